// Creation, context loss, warmup and memory reporting of the WebGL backend itself.
import { cpu } from "@tapegrad/backend-cpu";
import { type WebGLBackend, webgl } from "@tapegrad/backend-webgl";
import { BackendError } from "@tapegrad/core";
import { describe, expect, it } from "vitest";

describe("creating the backend", () => {
  it("fails clearly without EXT_color_buffer_float, never falling back to 16-bit floats", async () => {
    const fake = { getExtension: () => null, isContextLost: () => false } as unknown as WebGL2RenderingContext;
    await expect(webgl({ gl: fake })).rejects.toThrow(BackendError);
    await expect(webgl({ gl: fake })).rejects.toThrow(/EXT_color_buffer_float.*never falls back to 16-bit floats/);
  });

  it("fails clearly when the canvas gives no WebGL2 context", async () => {
    const canvas = document.createElement("canvas");
    canvas.getContext("2d");
    await expect(webgl({ canvas })).rejects.toThrow(/WebGL2 is not available/);
  });

  it("has every fused kernel the CPU backend has", async () => {
    const b = await webgl();
    // The contract: a fused kernel added to the CPU must be added here too.
    expect(Object.keys(b.fused).sort()).toEqual(Object.keys(cpu().fused ?? {}).sort());
    b.dispose();
  });

  it("declares float32, int32 and bool at 32-bit float precision with sync reads", async () => {
    const b = await webgl();
    expect(b.name).toBe("webgl");
    expect(b.capabilities).toEqual({ dtypes: ["float32", "int32", "bool"], floatPrecision: 32, syncRead: true });
    expect(() => b.write(new Float64Array([1]), "float64")).toThrow(BackendError);
    b.dispose();
  });
});

describe("a lost context", () => {
  it("turns every later use into a BackendError instead of wrong numbers", async () => {
    const b: WebGLBackend = await webgl({ canvas: document.createElement("canvas") });
    const id = b.write(new Float32Array([1, 2, 3]), "float32");
    const info = { dataId: id, shape: [3], dtype: "float32" } as const;
    expect(Array.from(b.readSync(b.unary("neg", info)))).toEqual([-1, -2, -3]);
    b.gl.getExtension("WEBGL_lose_context")?.loseContext();
    expect(b.isContextLost).toBe(true);
    expect(() => b.unary("exp", info)).toThrow(/context was lost/);
    expect(() => b.readSync(id)).toThrow(/context was lost/);
    expect(() => b.write(new Float32Array([1]), "float32")).toThrow(/context was lost/);
    await expect(b.read(id)).rejects.toThrow(/context was lost/);
    // Freeing still works, so disposing tensors after a loss does not throw.
    expect(() => b.disposeData(id)).not.toThrow();
    b.dispose();
  });
});

describe("warmup and memory", () => {
  it("compiles programs ahead of use, once", async () => {
    const b = await webgl({ canvas: document.createElement("canvas") });
    const compiled = await b.warmup(["matmulBiasAct", "add", "sum"]);
    expect(compiled).toBeGreaterThan(0);
    expect(b.memory().programs).toBe(compiled);
    expect(await b.warmup(["add"])).toBe(0);
    await expect(b.warmup(["nonsense"])).rejects.toThrow(/unknown op "nonsense"/);
    b.dispose();
  });

  it("pools textures by size and frees them on dispose", async () => {
    const b = await webgl({ canvas: document.createElement("canvas") });
    const a = b.write(new Float32Array(5000), "float32");
    expect(b.memory()).toMatchObject({ texturesInUse: 1, bytesInUse: 4096 * 2 * 4, texturesPooled: 0 });
    b.disposeData(a);
    expect(b.memory()).toMatchObject({ texturesInUse: 0, bytesInUse: 0, texturesPooled: 1 });
    const c = b.write(new Float32Array(6000), "float32");
    expect(b.memory()).toMatchObject({ texturesInUse: 1, texturesPooled: 0 });
    const i = b.write(new Int32Array(6000), "int32");
    expect(b.memory()).toMatchObject({ texturesInUse: 2, texturesPooled: 0 });
    b.disposeData(c);
    b.disposeData(i);
    expect(() => b.disposeData(i)).toThrow(/twice/);
    b.dispose();
    expect(b.memory()).toMatchObject({ texturesInUse: 0, texturesPooled: 0, bytesPooled: 0 });
  });
});
