// Every kernel on WebGL against the CPU backend on the same inputs, including the edge values
// (NaN, ±Infinity, -0, halves) where GLSL built-ins and JavaScript disagree.
import { cpu } from "@tapegrad/backend-cpu";
import { type WebGLBackend, webgl } from "@tapegrad/backend-webgl";
import {
  type Backend,
  type DataId,
  type DType,
  type Shape,
  sizeOf,
  type TensorInfo,
  type TypedArray,
} from "@tapegrad/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BINARY_OPS, UNARY_OPS } from "../src/op_names.js";

let gpu: WebGLBackend;
const ref: Backend = cpu();

beforeAll(async () => {
  gpu = await webgl();
});
afterAll(() => gpu.dispose());

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function values(n: number, dtype: DType, seed: number, lo = -3, hi = 3): TypedArray {
  const r = rng(seed);
  if (dtype === "int32") return Int32Array.from({ length: n }, () => Math.floor(lo + (hi - lo) * r()));
  if (dtype === "bool") return Uint8Array.from({ length: n }, () => (r() < 0.5 ? 1 : 0));
  return Float32Array.from({ length: n }, () => lo + (hi - lo) * r());
}

type Pair = { gpu: TensorInfo; cpu: TensorInfo };

function both(vals: TypedArray, shape: Shape, dtype: DType): Pair {
  return {
    gpu: { dataId: gpu.write(vals, dtype), shape, dtype },
    cpu: { dataId: ref.write(vals, dtype), shape, dtype },
  };
}

function rand(shape: Shape, dtype: DType = "float32", seed = 1, lo = -3, hi = 3): Pair {
  return both(values(sizeOf(shape), dtype, seed, lo, hi), shape, dtype);
}

// GPUs may flush float32 subnormals (below 1.2e-38) to zero, so those compare as zero.
const SUBNORMAL = 1.2e-38;

function close(actual: TypedArray, expected: TypedArray, rtol = 2e-6, atol = 1e-6): void {
  expect(actual.constructor).toBe(expected.constructor);
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i] as number;
    const e = expected[i] as number;
    if (Number.isNaN(e) || !Number.isFinite(e)) {
      expect(Object.is(a, e) || (Number.isNaN(a) && Number.isNaN(e)), `element ${i}: ${a} vs ${e}`).toBe(true);
    } else {
      const tol = Math.max(atol + rtol * Math.abs(e), SUBNORMAL);
      expect(Math.abs(a - e), `element ${i}: ${a} vs ${e}`).toBeLessThanOrEqual(tol);
    }
  }
}

function check(run: (b: Backend, side: "gpu" | "cpu") => DataId, rtol?: number, atol?: number): void {
  const g = gpu.readSync(run(gpu, "gpu"));
  const c = ref.readSync(run(ref, "cpu"));
  close(g, c, rtol, atol);
}

const SPECIAL = Float32Array.from([
  0,
  -0,
  1,
  -1,
  0.5,
  -0.5,
  1.5,
  2.5,
  -2.5,
  1e-7,
  -1e-7,
  3,
  -3,
  20,
  -20,
  100,
  -100,
  1e30,
  Number.POSITIVE_INFINITY,
  Number.NEGATIVE_INFINITY,
  Number.NaN,
]);

describe("unary", () => {
  for (const op of UNARY_OPS) {
    it(`${op} float32 on edge values and random values`, () => {
      const loose = ["exp", "log", "log1p", "sin", "cos", "tanh"].includes(op);
      // Past 8192 sin and cos fall back to the GPU's own, less exact, range reduction.
      const edge = op === "sin" || op === "cos" ? SPECIAL.filter((v) => !(Math.abs(v) > 8192)) : SPECIAL;
      const x = both(edge, [edge.length], "float32");
      check((b, s) => b.unary(op, x[s]), loose ? 2e-6 : 0, 0);
      const y = rand([7, 33], "float32", 3, op === "log" || op === "sqrt" ? 0 : -5, 5);
      check((b, s) => b.unary(op, y[s]), loose ? 4e-6 : 0, loose ? 1e-7 : 0);
      if (op === "log" || op === "log1p") {
        const near = rand([100], "float32", 4, op === "log" ? 0.999 : -1e-3, op === "log" ? 1.001 : 1e-3);
        check((b, s) => b.unary(op, near[s]), 4e-6, 0);
      }
      if (op === "sin" || op === "cos") {
        const wide = rand([100], "float32", 4, -8000, 8000);
        check((b, s) => b.unary(op, wide[s]), 0, 2e-6);
      }
    });
  }
  it("int32 and bool inputs", () => {
    const xi = rand([50], "int32", 5, -9, 9);
    const xb = rand([50], "bool", 6);
    for (const op of ["neg", "abs", "sign", "reciprocal", "floor", "round", "logicalNot"] as const) {
      check((b, s) => b.unary(op, xi[s]));
      check((b, s) => b.unary(op, xb[s]));
    }
  });
});

describe("binary", () => {
  it("edge values, every pair", () => {
    const n = SPECIAL.length;
    const a = new Float32Array(n * n);
    const bv = new Float32Array(n * n);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        a[i * n + j] = SPECIAL[i] as number;
        bv[i * n + j] = SPECIAL[j] as number;
      }
    }
    const x = both(a, [n, n], "float32");
    const y = both(bv, [n, n], "float32");
    for (const op of BINARY_OPS) check((b, s) => b.binary(op, x[s], y[s], [n, n]), op === "pow" ? 3e-6 : 0, 0);
  });
  it("broadcasting: same, scalar, tile and strided operands", () => {
    const cases: [Shape, Shape, Shape][] = [
      [
        [4, 5],
        [4, 5],
        [4, 5],
      ],
      [[4, 5], [], [4, 5]],
      [[1], [4, 5], [4, 5]],
      [[4, 5], [5], [4, 5]],
      [[5], [4, 5], [4, 5]],
      [
        [4, 1],
        [4, 5],
        [4, 5],
      ],
      [
        [3, 1, 5],
        [4, 1],
        [3, 4, 5],
      ],
      [
        [2, 1, 3, 1],
        [1, 4, 1, 2],
        [2, 4, 3, 2],
      ],
    ];
    for (const [sa, sb, so] of cases) {
      const x = rand(sa, "float32", 7);
      const y = rand(sb, "float32", 8, 0.5, 2);
      for (const op of ["add", "sub", "mul", "div", "less"] as const) check((b, s) => b.binary(op, x[s], y[s], so));
    }
  });
  it("int32 arithmetic truncates and wraps like the CPU", () => {
    const x = both(Int32Array.from([7, -7, 7, -7, 0, 5, 3, -2, 2, 1000, 4096]), [11], "int32");
    const y = both(Int32Array.from([2, 2, -2, -2, 0, 0, 2, 3, -1, 1000, 4096]), [11], "int32");
    for (const op of BINARY_OPS) check((b, s) => b.binary(op, x[s], y[s], [11]));
  });
  it("bool arithmetic maps to 0/1", () => {
    const x = both(Uint8Array.from([0, 0, 1, 1]), [4], "bool");
    const y = both(Uint8Array.from([0, 1, 0, 1]), [4], "bool");
    for (const op of BINARY_OPS) check((b, s) => b.binary(op, x[s], y[s], [4]));
  });
});

describe("where and cast", () => {
  it("where broadcasts all three operands", () => {
    const c = rand([3, 1], "bool", 9);
    const a = rand([3, 4], "float32", 10);
    const y = rand([4], "float32", 11);
    check((b, s) => b.where(c[s], a[s], y[s], [3, 4]));
    const ci = rand([2, 3, 4], "bool", 12);
    const ai = rand([], "int32", 13);
    const bi = rand([3, 1], "int32", 14);
    check((b, s) => b.where(ci[s], ai[s], bi[s], [2, 3, 4]));
  });
  it("cast between every dtype pair", () => {
    const f = both(SPECIAL, [SPECIAL.length], "float32");
    const i = rand([20], "int32", 15, -100, 100);
    const bo = rand([20], "bool", 16);
    for (const x of [f, i, bo]) {
      for (const dt of ["float32", "int32", "bool"] as const) check((b, s) => b.cast(x[s], dt));
    }
  });
});

describe("reductions", () => {
  const shapes: [Shape, number[]][] = [
    [[6], [0]],
    [[4, 5], [0]],
    [[4, 5], [1]],
    [
      [4, 5],
      [0, 1],
    ],
    [[2, 3, 4], [1]],
    [
      [2, 3, 4],
      [0, 2],
    ],
    [
      [2, 1, 3, 4],
      [1, 3],
    ],
    [[3, 0], [1]],
    [
      [300, 70],
      [0, 1],
    ],
  ];
  for (const [shape, axes] of shapes) {
    it(`sum/max/min over ${JSON.stringify(axes)} of ${JSON.stringify(shape)}`, () => {
      const x = rand(shape, "float32", 17);
      for (const op of ["sum", "max", "min"] as const) check((b, s) => b.reduce(op, x[s], axes), 1e-6, 1e-5);
      const xi = rand(shape, "int32", 18, -50, 50);
      for (const op of ["sum", "max", "min"] as const) check((b, s) => b.reduce(op, xi[s], axes));
      const xb = rand(shape, "bool", 19);
      for (const op of ["sum", "max", "min"] as const) check((b, s) => b.reduce(op, xb[s], axes));
    });
  }
  it("sums many small terms with compensation", () => {
    const v = new Float32Array(20001).fill(1e-8);
    v[0] = 1;
    const x = both(v, [20001], "float32");
    const got = gpu.readSync(gpu.reduce("sum", x.gpu, [0]))[0] as number;
    expect(Math.abs(got - 1.0002)).toBeLessThan(2e-7);
  });
  it("max and min propagate NaN; sum of infinities", () => {
    const x = both(Float32Array.from([1, Number.NaN, 3, 4, Number.POSITIVE_INFINITY, 1]), [2, 3], "float32");
    for (const op of ["sum", "max", "min"] as const) check((b, s) => b.reduce(op, x[s], [1]));
  });
  it("argmax/argmin: first index, NaN wins", () => {
    const x = both(Float32Array.from([1, 5, 5, 2, Number.NaN, 7, 0, 0, 0, -1, -1, 3]), [2, 2, 3], "float32");
    for (const axis of [0, 1, 2]) {
      for (const op of ["argmax", "argmin"] as const) check((b, s) => b.argReduce(op, x[s], axis));
    }
  });
});

describe("matmul", () => {
  const cases: [Shape, Shape, boolean, boolean, Shape][] = [
    [[3, 4], [4, 5], false, false, [3, 5]],
    [[4, 3], [4, 5], true, false, [3, 5]],
    [[3, 4], [5, 4], false, true, [3, 5]],
    [[4, 3], [5, 4], true, true, [3, 5]],
    [[2, 3, 4], [4, 5], false, false, [2, 3, 5]],
    [[2, 1, 3, 4], [3, 5, 4], false, true, [2, 3, 3, 5]],
    [[8, 300], [300, 33], false, false, [8, 33]],
    [[3, 0], [0, 2], false, false, [3, 2]],
  ];
  for (const [sa, sb, ta, tb, so] of cases) {
    it(`${JSON.stringify(sa)}${ta ? "ᵀ" : ""} x ${JSON.stringify(sb)}${tb ? "ᵀ" : ""}`, () => {
      const a = rand(sa, "float32", 20);
      const y = rand(sb, "float32", 21);
      // Both backends accumulate float32 products in float32, in different orders.
      check((b, s) => b.matmul(a[s], y[s], ta, tb, so), 1e-5, 1e-6 * (sa[sa.length - 1] as number) ** 1.5);
      const ai = rand(sa, "int32", 22, -5, 5);
      const bi = rand(sb, "int32", 23, -5, 5);
      check((b, s) => b.matmul(ai[s], bi[s], ta, tb, so));
    });
  }
});

describe("movement", () => {
  it("transpose, broadcastTo, slice, pad", () => {
    const x = rand([2, 3, 4], "float32", 24);
    check((b, s) => b.transpose(x[s], [2, 0, 1]));
    check((b, s) => b.transpose(x[s], [1, 0, 2]));
    const y = rand([3, 1], "int32", 25);
    check((b, s) => b.broadcastTo(y[s], [2, 3, 5]));
    check((b, s) => b.slice(x[s], [1, 1, 2], [1, 2, 2]));
    check((b, s) =>
      b.pad(
        x[s],
        [
          [1, 0],
          [0, 2],
          [1, 1],
        ],
        7.5,
      ),
    );
    const z = rand([4], "bool", 26);
    check((b, s) => b.pad(z[s], [[2, 1]], 3));
    const sc = rand([], "float32", 27);
    check((b, s) => b.broadcastTo(sc[s], [2, 2]));
    check((b, s) => b.transpose(sc[s], []));
  });
  it("concat of a few and of many inputs", () => {
    const parts = [rand([2, 1, 3], "float32", 28), rand([2, 4, 3], "float32", 29), rand([2, 0, 3], "float32", 30)];
    check((b, s) =>
      b.concat(
        parts.map((p) => p[s]),
        1,
      ),
    );
    const many = Array.from({ length: 19 }, (_, k) => rand([k % 3, 2], "int32", 31 + k));
    check((b, s) =>
      b.concat(
        many.map((p) => p[s]),
        0,
      ),
    );
  });
  it("gather and scatterAdd with repeated indices", () => {
    const x = rand([4, 3, 2], "float32", 50);
    const idx = both(Int32Array.from([2, 0, 2, 1, 1, 1]), [2, 3], "int32");
    for (const axis of [0, 1]) {
      if (axis === 1) {
        const idx1 = both(Int32Array.from([2, 0, 2]), [3], "int32");
        check((b, s) => b.gather(x[s], idx1[s], 1));
        const u1 = rand([4, 3, 2], "float32", 51);
        check((b, s) => b.scatterAdd(u1[s], idx1[s], 1, [4, 3, 2]));
      } else {
        check((b, s) => b.gather(x[s], idx[s], 0));
        const u = rand([2, 3, 3, 2], "float32", 52);
        check((b, s) => b.scatterAdd(u[s], idx[s], 0, [4, 3, 2]), 1e-6, 1e-6);
        const ub = rand([2, 3, 3, 2], "bool", 53);
        check((b, s) => b.scatterAdd(ub[s], idx[s], 0, [4, 3, 2]));
      }
    }
  });
});

describe("creation and fused kernels", () => {
  it("fill and arange in every dtype", () => {
    for (const dt of ["float32", "int32", "bool"] as const) {
      check((b) => b.fill(5000, -2.5, dt));
      check((b) => b.arange(-3, 0.5, 13, dt));
    }
  });
  it("sigmoid and softmax", () => {
    const x = both(SPECIAL, [3, 7], "float32");
    check((b, s) => b.fused?.sigmoid?.(x[s]) as DataId, 2e-6, 0);
    const y = rand([5, 10], "float32", 60, -20, 20);
    check((b, s) => b.fused?.softmax?.(y[s]) as DataId, 4e-6, 1e-7);
    check((b, s) => b.fused?.softmax?.(x[s]) as DataId, 4e-6, 1e-7);
  });
  it("matmulBiasAct for every activation", () => {
    const a = rand([6, 9], "float32", 61);
    const w = rand([9, 4], "float32", 62);
    const bias = rand([4], "float32", 63);
    for (const act of ["linear", "relu", "sigmoid", "tanh"] as const) {
      check((b, s) => b.fused?.matmulBiasAct?.(a[s], w[s], bias[s], act, false, false) as DataId, 1e-5, 1e-6);
      check((b, s) => b.fused?.matmulBiasAct?.(a[s], w[s], null, act, false, false) as DataId, 1e-5, 1e-6);
    }
  });
});

describe("fused training kernels", () => {
  it("activationGrad for every activation, NaN and edge values of y included", () => {
    const n = SPECIAL.length;
    const dy = rand([n], "float32", 64);
    const edge = both(SPECIAL, [n], "float32");
    const inRange = rand([n], "float32", 65, -1, 1);
    for (const act of ["linear", "relu", "sigmoid", "tanh"] as const) {
      // Against the CPU's fused kernel, which matches the composed ops within an ulp or two.
      check((b, s) => b.fused?.activationGrad?.(dy[s], edge[s], act) as DataId, 2e-7, 0);
      check((b, s) => b.fused?.activationGrad?.(dy[s], inRange[s], act) as DataId, 2e-7, 0);
    }
  });

  it("adamUpdate returns param', m' and v' as the CPU's fused kernel does, inputs unchanged", () => {
    const p = rand([7, 13], "float32", 66);
    const g = rand([7, 13], "float32", 67);
    const m = rand([7, 13], "float32", 68, -1, 1);
    const v = rand([7, 13], "float32", 69, 0, 1);
    const hyper = { stepSize: 1e-3, beta1: 0.9, beta2: 0.999, epsilon: 1e-7 };
    const gpuOut = gpu.fused?.adamUpdate?.(p.gpu, g.gpu, m.gpu, v.gpu, hyper);
    const cpuOut = ref.fused?.adamUpdate?.(p.cpu, g.cpu, m.cpu, v.cpu, hyper);
    expect(gpuOut).toHaveLength(3);
    gpuOut?.forEach((id, k) => {
      close(gpu.readSync(id), ref.readSync(cpuOut?.[k] as DataId), 1e-6, 1e-7);
    });
    close(gpu.readSync(m.gpu.dataId), ref.readSync(m.cpu.dataId), 0, 0);
  });
});

describe("storage", () => {
  it("round-trips every dtype, large tensors across texture rows, and reads asynchronously", async () => {
    const big = values(10000, "float32", 70);
    const id = gpu.write(big, "float32");
    expect(gpu.readSync(id)).toEqual(big);
    expect(await gpu.read(id)).toEqual(big);
    const ints = Int32Array.from([-(2 ** 24), -1, 0, 1, 2 ** 24]);
    expect(await gpu.read(gpu.write(ints, "int32"))).toEqual(ints);
    expect(gpu.readSync(gpu.write(Uint8Array.from([0, 3, 1]), "bool"))).toEqual(Uint8Array.from([0, 1, 1]));
    expect(gpu.readSync(gpu.write(new Float32Array(0), "float32"))).toEqual(new Float32Array(0));
  });
});
