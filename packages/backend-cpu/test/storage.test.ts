import type { DType } from "@tapegrad/core";
import { describe, expect, it } from "vitest";
import { cpu } from "../src/index.js";
import { BufferPool } from "../src/storage.js";

describe("storage", () => {
  it("declares its name and capabilities", () => {
    const b = cpu();
    expect(b.name).toBe("cpu");
    expect(b.capabilities).toEqual({
      dtypes: ["float32", "float64", "int32", "bool"],
      floatPrecision: 64,
      syncRead: true,
    });
  });

  it("copies on write and on read", async () => {
    const b = cpu();
    const src = new Float32Array([1, 2, 3]);
    const id = b.write(src, "float32");
    src[0] = 100;
    const r1 = b.readSync(id);
    expect(Array.from(r1)).toEqual([1, 2, 3]);
    r1[1] = 100;
    const r2 = await b.read(id);
    expect(Array.from(r2)).toEqual([1, 2, 3]);
    expect(r2).toBeInstanceOf(Float32Array);
  });

  it("stores each dtype in its typed array, bool as 0/1", () => {
    const b = cpu();
    const kinds: [DType, unknown][] = [
      ["float32", Float32Array],
      ["float64", Float64Array],
      ["int32", Int32Array],
      ["bool", Uint8Array],
    ];
    for (const [dtype, ctor] of kinds) expect(b.readSync(b.fill(2, 1, dtype))).toBeInstanceOf(ctor);
    expect(Array.from(b.readSync(b.write(new Uint8Array([0, 2, 255]), "bool")))).toEqual([0, 1, 1]);
  });

  it("reuses freed arrays without leaking their old values into results", () => {
    const b = cpu();
    const poison = () => {
      for (let i = 0; i < 8; i++) b.disposeData(b.fill(6, Number.NaN, "float32"));
      for (let i = 0; i < 8; i++) b.disposeData(b.fill(6, 7, "int32"));
      for (let i = 0; i < 8; i++) b.disposeData(b.fill(6, 1, "bool"));
    };
    const x = b.write(new Float32Array([1, 2, 3, 4, 5, 6]), "float32");
    const info = { dataId: x, shape: [2, 3], dtype: "float32" as const };
    const idx = b.write(new Int32Array([0, 0]), "int32");
    const checks: [string, () => object, number[]][] = [
      [
        "scatterAdd",
        () =>
          b.scatterAdd(
            { dataId: idx, shape: [2], dtype: "int32" },
            { dataId: idx, shape: [2], dtype: "int32" },
            0,
            [6],
          ),
        [0, 0, 0, 0, 0, 0],
      ],
      ["pad", () => b.pad({ dataId: x, shape: [6], dtype: "float32" }, [[0, 0]], 0), [1, 2, 3, 4, 5, 6]],
      ["matmul", () => b.matmul(info, info, false, true, [2, 2]), [14, 32, 32, 77]],
      ["reduce", () => b.reduce("sum", info, [0]), [5, 7, 9]],
      ["less", () => b.binary("less", info, info, [2, 3]), [0, 0, 0, 0, 0, 0]],
      ["cast", () => b.cast(info, "int32"), [1, 2, 3, 4, 5, 6]],
    ];
    for (const [name, run, expected] of checks) {
      poison();
      expect(b.memory().bytesPooled, name).toBeGreaterThan(0);
      expect(Array.from(b.readSync(run())), name).toEqual(expected);
    }
  });

  it("returns to the baseline of memory() after disposeData", () => {
    const b = cpu();
    const before = b.memory();
    expect(before).toEqual({ bytesInUse: 0, bytesPooled: 0 });
    const a = b.fill(10, 1, "float64");
    const c = b.fill(10, 1, "bool");
    expect(b.memory().bytesInUse).toBe(90);
    b.disposeData(a);
    b.disposeData(c);
    expect(b.memory()).toEqual({ bytesInUse: 0, bytesPooled: 90 });
    const again = b.fill(10, 2, "float64");
    expect(b.memory()).toEqual({ bytesInUse: 80, bytesPooled: 10 });
    b.disposeData(again);
    b.dispose();
    expect(b.memory()).toEqual({ bytesInUse: 0, bytesPooled: 0 });
  });

  it("pools nothing when pooling is off", () => {
    const b = cpu({ pool: false });
    b.disposeData(b.fill(100, 1, "float32"));
    expect(b.memory()).toEqual({ bytesInUse: 0, bytesPooled: 0 });
  });

  it("rejects use after dispose, double dispose and foreign ids", () => {
    const b = cpu();
    const id = b.fill(2, 1, "float32");
    b.disposeData(id);
    expect(() => b.readSync(id)).toThrow(/disposed/);
    expect(() => b.disposeData(id)).toThrow(/twice/);
    expect(() => b.readSync({})).toThrow(/another backend/);
  });

  it("keeps live storage valid after dispose() empties the pool", () => {
    const b = cpu();
    const id = b.fill(3, 4, "int32");
    b.dispose();
    expect(Array.from(b.readSync(id))).toEqual([4, 4, 4]);
  });

  it("bounds the pool: arrays beyond the cap are dropped", () => {
    const pool = new BufferPool(true, 16);
    const a = pool.alloc("float32", 3, true);
    const b = pool.alloc("float32", 3, true);
    pool.free(a, "float32");
    pool.free(b, "float32");
    expect(pool.memory()).toEqual({ bytesInUse: 0, bytesPooled: 12 });
    expect(pool.alloc("float32", 3, false)).toBe(a);
    expect(pool.alloc("float32", 3, false)).not.toBe(b);
  });
});
