// Autograd runs unchanged on WebGL: the gradients of a small L2 autoencoder match the CPU's
// float64 gradients within float32 tolerance, and a short SGD loop leaks neither tensors nor
// textures.
import { valueAndGrads } from "@tapegrad/autograd";
import { cpu } from "@tapegrad/backend-cpu";
import { type WebGLBackend, webgl } from "@tapegrad/backend-webgl";
import {
  type Backend,
  type DType,
  dense,
  type FusedActivation,
  mean,
  memory,
  setBackend,
  square,
  sub,
  type Tensor,
  tensor,
  tidy,
  variable,
} from "@tapegrad/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

// The lecture's L2 autoencoder at full size: 784-128-64-128-784, relu inside, sigmoid on the
// reconstruction, mean squared error, on a batch of 8.
const SIZES = [784, 128, 64, 128, 784];
const ACTIVATIONS: FusedActivation[] = ["relu", "relu", "relu", "sigmoid"];
const BATCH = 8;

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

// Weights (glorot-uniform-like) and an input batch in [0, 1) like MNIST pixels, as plain
// numbers so each backend can build its own tensors from them.
function problem(seed: number): { x: Float64Array; params: { shape: number[]; values: Float64Array }[] } {
  const r = rng(seed);
  const params: { shape: number[]; values: Float64Array }[] = [];
  for (let l = 0; l < SIZES.length - 1; l++) {
    const fanIn = SIZES[l] as number;
    const fanOut = SIZES[l + 1] as number;
    const limit = Math.sqrt(6 / (fanIn + fanOut));
    params.push({
      shape: [fanIn, fanOut],
      values: Float64Array.from({ length: fanIn * fanOut }, () => (2 * r() - 1) * limit),
    });
    params.push({ shape: [fanOut], values: Float64Array.from({ length: fanOut }, () => 0.1 * (r() - 0.5)) });
  }
  return { x: Float64Array.from({ length: BATCH * 784 }, () => r()), params };
}

function loss(x: Tensor, params: readonly Tensor[]): Tensor {
  let h = x;
  for (let l = 0; l < ACTIVATIONS.length; l++) {
    h = dense(h, params[2 * l] as Tensor, params[2 * l + 1] as Tensor, ACTIVATIONS[l]);
  }
  return mean(square(sub(h, x)));
}

async function gradients(
  backend: Backend,
  dtype: DType,
  seed: number,
): Promise<{ loss: number; grads: Float64Array[]; shapes: number[][] }> {
  setBackend(backend);
  const { x, params } = problem(seed);
  const xt = tensor(x, { dtype, shape: [BATCH, 784] });
  const pts = params.map((p) => tensor(p.values, { dtype, shape: p.shape }));
  const { value, grads } = tidy(() => valueAndGrads(() => loss(xt, pts), pts));
  const result = {
    loss: (await value.data())[0] as number,
    grads: [] as Float64Array[],
    shapes: params.map((p) => p.shape),
  };
  for (const g of grads) result.grads.push(Float64Array.from(await g.data()));
  for (const t of [value, ...grads, xt, ...pts]) t.dispose();
  return result;
}

let gl: WebGLBackend;
beforeAll(async () => {
  gl = await webgl();
});
afterAll(() => gl.dispose());

describe("autograd on WebGL", () => {
  it("L2 autoencoder gradients match the CPU float64 gradients within float32 tolerance", async () => {
    const before = memory().numTensors;
    const reference = await gradients(cpu(), "float64", 7);
    const got = await gradients(gl, "float32", 7);
    expect(memory().numTensors).toBe(before);
    expect(Math.abs(got.loss - reference.loss) / reference.loss).toBeLessThan(1e-5);
    const report: string[] = [];
    reference.grads.forEach((ref, k) => {
      const g = got.grads[k] as Float64Array;
      let scale = 0;
      let err = 0;
      for (let i = 0; i < ref.length; i++) {
        scale = Math.max(scale, Math.abs(ref[i] as number));
        err = Math.max(err, Math.abs((g[i] as number) - (ref[i] as number)));
      }
      // Relative to the largest gradient entry of the parameter: float32 storage and sums give ~1e-6.
      report.push(`[${reference.shapes[k]?.join("x")}] ${(err / scale).toExponential(2)}`);
      expect(err / scale).toBeLessThan(1e-4);
    });
    console.log(`loss cpu ${reference.loss} webgl ${got.loss}; max |Δgrad| / max |grad|: ${report.join(", ")}`);
  });

  it("an SGD loop with Variable.assign returns tensors and textures to their baseline", async () => {
    setBackend(gl);
    const { x, params } = problem(11);
    const xt = tensor(x, { dtype: "float32", shape: [BATCH, 784] });
    const vars = params.map((p) => variable(tensor(p.values, { dtype: "float32", shape: p.shape })));
    // One step first, so every texture size the loop needs is in the pool before the baseline.
    const step = (): number => {
      const value = tidy(() => {
        const { value, grads } = valueAndGrads(() => loss(xt, vars), vars);
        vars.forEach((v, k) => {
          v.assign(sub(v, (grads[k] as Tensor).mul(0.5)));
        });
        return value;
      });
      const l = value.item() as number;
      value.dispose();
      return l;
    };
    const first = step();
    const core = memory();
    const gpu = gl.memory();
    let last = first;
    for (let i = 0; i < 5; i++) last = step();
    expect(last).toBeLessThan(first);
    expect(memory().numTensors).toBe(core.numTensors);
    expect(memory().numDataBuffers).toBe(core.numDataBuffers);
    expect(gl.memory().texturesInUse).toBe(gpu.texturesInUse);
    expect(gl.memory().bytesInUse).toBe(gpu.bytesInUse);
    for (const t of [xt, ...vars]) t.dispose();
    expect(gl.memory().texturesInUse).toBe(gpu.texturesInUse - 1 - vars.length);
  });
});
