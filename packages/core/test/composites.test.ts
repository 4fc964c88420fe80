import {
  clip,
  type DType,
  DTypeError,
  dense,
  elu,
  type FusedActivation,
  gelu,
  hardSigmoid,
  leakyRelu,
  logSigmoid,
  logSoftmax,
  logSumExp,
  norm,
  relu,
  relu6,
  ShapeError,
  selu,
  sigmoid,
  sigmoidCrossEntropyWithLogits,
  silu,
  softmax,
  softplus,
  softsign,
  square,
  type Tensor,
  tensor,
  tile,
  unstack,
} from "@tapegrad/core";
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import {
  checkLeaks,
  expectClose,
  intValuesArb,
  numTensors,
  shapeArb,
  size,
  unravel,
  vals,
  withoutFused,
} from "./helpers.js";

checkLeaks();

const xs = [-1000, -30, -5, -1.5, -1, -0.25, 0, 0.25, 1, 1.5, 3, 5, 6, 7, 30, 1000];

const softplusRef = (x: number) => (x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x)));
const SELU_A = 1.6732632423543772;
const SELU_L = 1.0507009873554805;

const elementwise: [string, (x: Tensor) => Tensor, (x: number) => number][] = [
  ["sigmoid", sigmoid, (x) => 1 / (1 + Math.exp(-x))],
  ["relu", relu, (x) => Math.max(x, 0)],
  ["leakyRelu", (x) => leakyRelu(x), (x) => (x > 0 ? x : 0.2 * x)],
  ["leakyRelu(0.01)", (x) => leakyRelu(x, 0.01), (x) => (x > 0 ? x : 0.01 * x)],
  ["elu", (x) => elu(x), (x) => (x > 0 ? x : Math.expm1(x))],
  ["elu(0.5)", (x) => elu(x, 0.5), (x) => (x > 0 ? x : 0.5 * Math.expm1(x))],
  ["softplus", softplus, softplusRef],
  ["square", square, (x) => x * x],
  ["clip", (x) => clip(x, -1, 2.5), (x) => Math.min(Math.max(x, -1), 2.5)],
  ["logSigmoid", logSigmoid, (x) => -softplusRef(-x)],
  ["selu", selu, (x) => SELU_L * (x > 0 ? x : SELU_A * Math.expm1(x))],
  [
    "gelu",
    gelu,
    (x) =>
      Math.abs(x) > 100 ? Math.max(x, 0) : 0.5 * x * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (x + 0.044715 * x ** 3))),
  ],
  ["silu", silu, (x) => x / (1 + Math.exp(-x))],
  ["softsign", softsign, (x) => x / (1 + Math.abs(x))],
  ["relu6", relu6, (x) => Math.min(Math.max(x, 0), 6)],
  ["hardSigmoid", hardSigmoid, (x) => Math.min(Math.max(x + 3, 0), 6) / 6],
];

describe("elementwise composites match plain-JS references in float64", () => {
  for (const [name, op, ref] of elementwise) {
    test(name, () => {
      for (const fused of [true, false]) {
        const run = () => {
          using x = tensor(xs, { dtype: "float64" });
          using y = op(x);
          expect([y.shape, y.dtype]).toEqual([[xs.length], "float64"]);
          expectClose(vals(y), xs.map(ref), { rtol: 1e-13, atol: 1e-300 });
          using x32 = tensor(xs);
          using y32 = op(x32);
          expect(y32.dtype).toBe("float32");
          expectClose(vals(y32), xs.map(Math.fround).map(ref), { rtol: 2e-6, atol: 1e-7 });
        };
        if (fused) run();
        else withoutFused(run);
      }
    });
  }

  test("known values from the docs and papers", () => {
    using x = tensor([0, -1000, 1000], { dtype: "float64" });
    using s = sigmoid(x);
    using ls = logSigmoid(x);
    using sp = softplus(x);
    expectClose(vals(s), [0.5, 0, 1], { rtol: 0, atol: 0 });
    expectClose(vals(ls), [-Math.LN2, -1000, 0], { rtol: 0, atol: 0 });
    expectClose(vals(sp), [Math.LN2, 0, 1000], { rtol: 0, atol: 0 });
    // Regression: the composed sigmoid was (tanh(x/2) + 1) / 2, which is 0 in float32 below
    // about -17 and loses relative precision in float64 from about -20.
    withoutFused(() => {
      using left = tensor([-20, -30, -80]);
      using sl = sigmoid(left);
      expectClose(
        vals(sl),
        [-20, -30, -80].map((v) => Math.exp(v) / (1 + Math.exp(v))),
        { rtol: 1e-6, atol: 0 },
      );
    });
    using one = tensor([1], { dtype: "float64" });
    using g = gelu(one);
    expect(g.item()).toBeCloseTo(0.8411919906082768, 15);
  });

  test("relu and relu6 keep int32; float-only composites reject int32 and bool", () => {
    using i = tensor([-3, 2, 9], { dtype: "int32" });
    using r = relu(i);
    using r6 = relu6(i);
    expect([r.dtype, vals(r), r6.dtype, vals(r6)]).toEqual(["int32", [0, 2, 9], "int32", [0, 2, 6]]);
    using b = tensor([true]);
    const before = numTensors();
    for (const [name, op] of elementwise) {
      const base = name.replace(/\(.*\)$/, "");
      if (!["relu", "relu6", "square", "clip"].includes(base)) {
        expect(() => op(i), name).toThrow(
          new RegExp(`^${base}: input has dtype int32, expected one of float32, float64$`),
        );
      }
      if (base !== "clip") expect(() => op(b), name).toThrow(DTypeError);
    }
    expect(() => clip(i, 2, 1)).toThrow(/^clip: lower bound 2 exceeds upper bound 1$/);
    expect(numTensors()).toBe(before);
  });
});

function softmaxRef(row: number[]): number[] {
  const m = Math.max(...row);
  const shift = Number.isFinite(m) ? m : 0;
  const e = row.map((v) => Math.exp(v - shift));
  const s = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / s);
}
function logSumExpRef(row: number[]): number {
  const m = Math.max(...row);
  if (!Number.isFinite(m)) return m;
  return m + Math.log(row.reduce((a, v) => a + Math.exp(v - m), 0));
}

describe("softmax, logSoftmax, logSumExp", () => {
  const rows = [
    [1, 2, 3, 4],
    [1000, 1000, 999, -1000],
    [-1000, -1000, -999, -1001],
    [-Infinity, 0, 1, -Infinity],
    [0, 0, 0, 0],
  ];
  const dtypes: DType[] = ["float64", "float32"];

  test("match stable references along the last axis, large inputs included", () => {
    for (const fused of [true, false]) {
      const run = () => {
        for (const dtype of dtypes) {
          const tol = dtype === "float64" ? 1e-14 : 1e-6;
          using x = tensor(rows, { dtype });
          using sm = softmax(x);
          using lsm = logSoftmax(x);
          using lse = logSumExp(x);
          using lseKeep = logSumExp(x, -1, true);
          expect([lse.shape, lseKeep.shape]).toEqual([[5], [5, 1]]);
          expectClose(vals(sm), rows.flatMap(softmaxRef), { rtol: tol, atol: tol });
          expectClose(vals(lse), rows.map(logSumExpRef), { rtol: tol, atol: tol });
          const lsmRef = rows.flatMap((r) => r.map((v) => v - logSumExpRef(r)));
          expectClose(vals(lsm), lsmRef, { rtol: tol, atol: tol * 1000 });
          expect(vals(sm).every((v) => !Number.isNaN(v))).toBe(true);
        }
      };
      if (fused) run();
      else withoutFused(run);
    }
  });

  test("logSumExp of 1000s is 1000 + log 2; an all -Infinity row is -Infinity, not NaN", () => {
    using x = tensor(
      [
        [1000, 1000],
        [-Infinity, -Infinity],
        [-1000, -1000],
      ],
      { dtype: "float64" },
    );
    using l = logSumExp(x, 1);
    expect(vals(l)).toEqual([1000 + Math.LN2, -Infinity, -1000 + Math.LN2]);
    using ls = logSoftmax(x);
    expect(vals(ls)[0]).toBeCloseTo(-Math.LN2, 12);
  });

  test("other axes and several axes", () => {
    using x = tensor(
      [
        [1, 2],
        [3, 5],
      ],
      { dtype: "float64" },
    );
    using s0 = softmax(x, 0);
    const c0 = softmaxRef([1, 3]);
    const c1 = softmaxRef([2, 5]);
    expectClose(vals(s0), [c0[0], c1[0], c0[1], c1[1]] as number[], { rtol: 1e-14 });
    using all = logSumExp(x, [0, 1]);
    expect(all.shape).toEqual([]);
    expectClose([all.item() as number], [logSumExpRef([1, 2, 3, 5])], { rtol: 1e-15 });
    using both = logSumExp(x, [-1, 0], true);
    expect(both.shape).toEqual([1, 1]);
  });

  test("errors name the op", () => {
    using x = tensor([[1, 2]]);
    using i = tensor([1], { dtype: "int32" });
    const before = numTensors();
    expect(() => softmax(x, 2)).toThrow(/^softmax: axis 2 is out of range for rank 2$/);
    expect(() => logSoftmax(x, -3)).toThrow(/^logSoftmax: axis -3 is out of range for rank 2$/);
    expect(() => logSumExp(x, [1, 1])).toThrow(/^logSumExp: axes \[1,1\] repeat an axis$/);
    expect(() => softmax(i)).toThrow(/^softmax: input has dtype int32/);
    expect(() => logSumExp(i)).toThrow(DTypeError);
    const gone = tensor([1, 2]);
    gone.dispose();
    expect(() => softmax(gone)).toThrow(/^softmax: input tensor #\d+ float32\[2\] was disposed$/);
    expect(() => logSumExp(gone)).toThrow(/^logSumExp: input tensor/);
    expect(numTensors()).toBe(before);
  });
});

describe("sigmoidCrossEntropyWithLogits", () => {
  test("matches the reference, stably for large logits", () => {
    const logits = [-1000, -3, -0.5, 0, 0.5, 3, 1000];
    const labels = [0, 1, 0.25, 1, 0, 0.5, 0];
    using x = tensor(logits, { dtype: "float64" });
    using z = tensor(labels, { dtype: "float64" });
    using y = sigmoidCrossEntropyWithLogits(x, z);
    const ref = logits.map((l, i) => Math.max(l, 0) - l * (labels[i] as number) + Math.log1p(Math.exp(-Math.abs(l))));
    expectClose(vals(y), ref, { rtol: 1e-14, atol: 1e-300 });
    // Against the naive formula where it is accurate.
    const naive = (l: number, t: number) =>
      -(t * Math.log(1 / (1 + Math.exp(-l))) + (1 - t) * Math.log(1 - 1 / (1 + Math.exp(-l))));
    expectClose(
      vals(y).slice(1, 6),
      logits.slice(1, 6).map((l, i) => naive(l, labels[i + 1] as number)),
      { rtol: 1e-12 },
    );
    using row = tensor([[0.5, 1]]);
    using col = tensor([[1], [0]]);
    using b = sigmoidCrossEntropyWithLogits(row, col);
    expect(b.shape).toEqual([2, 2]);
    using i = tensor([1], { dtype: "int32" });
    expect(() => sigmoidCrossEntropyWithLogits(i, row)).toThrow(
      /^sigmoidCrossEntropyWithLogits: logits has dtype int32/,
    );
    expect(() => sigmoidCrossEntropyWithLogits(row, i)).toThrow(
      /^sigmoidCrossEntropyWithLogits: labels has dtype int32/,
    );
    using three = tensor([1, 2, 3]);
    expect(() => sigmoidCrossEntropyWithLogits(row, three)).toThrow(ShapeError);
  });
});

describe("dense", () => {
  const activations: [FusedActivation, (v: number) => number][] = [
    ["linear", (v) => v],
    ["relu", (v) => Math.max(v, 0)],
    ["sigmoid", (v) => 1 / (1 + Math.exp(-v))],
    ["tanh", Math.tanh],
  ];
  const X = [
    [1, -2, 0.5],
    [0, 3, -1],
  ];
  const W = [
    [0.5, -1, 2, 0],
    [1, 0.25, -0.5, 1],
    [-2, 1, 1, 3],
  ];
  const B = [0.1, -0.2, 0.3, -3];
  const refZ = (bias: boolean) =>
    X.flatMap(
      (row) =>
        W[0]?.map((_, j) =>
          row.reduce((acc, v, k) => acc + v * ((W[k] as number[])[j] as number), bias ? (B[j] as number) : 0),
        ) ?? [],
    );

  for (const [activation, f] of activations) {
    test(`act = ${activation}, with and without bias, fused and composed`, () => {
      for (const fused of [true, false]) {
        const run = () => {
          for (const dtype of ["float64", "float32"] as const) {
            using x = tensor(X, { dtype });
            using w = tensor(W, { dtype });
            using b = tensor(B, { dtype });
            using y = dense(x, w, b, activation);
            using yn = dense(x, w, null, activation);
            expect([y.shape, y.dtype]).toEqual([[2, 4], dtype]);
            const tol = dtype === "float64" ? 1e-14 : 1e-6;
            expectClose(vals(y), refZ(true).map(f), { rtol: tol, atol: tol });
            expectClose(vals(yn), refZ(false).map(f), { rtol: tol, atol: tol });
          }
        };
        if (fused) run();
        else withoutFused(run);
      }
    });
  }

  test("errors name dense and the shapes, and allocate nothing", () => {
    using x = tensor(X);
    using w = tensor(W);
    using b = tensor(B);
    using b3 = tensor([1, 2, 3]);
    using w64 = tensor(W, { dtype: "float64" });
    using wi = tensor(W, { dtype: "int32" });
    using x3 = tensor([[[1]]]);
    const before = numTensors();
    expect(() => dense(w, x, null)).toThrow(/^dense: inner dimensions differ: float32\[3,4\] x float32\[2,3\]$/);
    expect(() => dense(x, w, b3)).toThrow(/^dense: bias float32\[3\] does not match 4 outputs$/);
    expect(() => dense(x3, w, null)).toThrow(
      /^dense: expected 2-D input and weights, got float32\[1,1,1\] and float32\[3,4\]$/,
    );
    expect(() => dense(x, w64, b)).toThrow(DTypeError);
    expect(() => dense(x, w64, b)).toThrow(/^dense: operands mix dtypes float32, float64, float32$/);
    expect(() => dense(x, wi, null)).toThrow(/^dense: input has dtype int32/);
    expect(() => dense(x, w, b, "softmax" as never)).toThrow(
      /^dense: activation "softmax" is not one of linear, relu, sigmoid, tanh$/,
    );
    expect(numTensors()).toBe(before);
  });
});

describe("norm, tile, unstack", () => {
  test("norm is the L2 norm over the given axes", () => {
    using x = tensor(
      [
        [3, 4],
        [6, -8],
      ],
      { dtype: "float64" },
    );
    using all = norm(x);
    using rows = norm(x, 1);
    using cols = norm(x, 0, true);
    expect([all.shape, rows.shape, cols.shape]).toEqual([[], [2], [1, 2]]);
    expectClose([all.item() as number], [Math.sqrt(125)], { rtol: 1e-15 });
    expect(vals(rows)).toEqual([5, 10]);
    expectClose(vals(cols), [Math.sqrt(45), Math.sqrt(80)], { rtol: 1e-15 });
    using i = tensor([3], { dtype: "int32" });
    expect(() => norm(i)).toThrow(/^norm: input has dtype int32/);
    expect(() => norm(x, 2)).toThrow(/^norm: axis 2 is out of range for rank 2$/);
  });

  test("tile repeats like NumPy's tile", () => {
    fc.assert(
      fc.property(
        shapeArb(3, 3).chain((shape) =>
          fc.record({
            shape: fc.constant(shape),
            values: intValuesArb(shape),
            reps: fc.array(fc.integer({ min: 0, max: 3 }), { maxLength: 4 }),
          }),
        ),
        ({ shape, values, reps }) => {
          using x = tensor(values, { shape });
          using y = tile(x, reps);
          const rank = Math.max(shape.length, reps.length);
          const dims = [...Array(rank - shape.length).fill(1), ...shape] as number[];
          const times = [...Array(rank - reps.length).fill(1), ...reps] as number[];
          const outShape = dims.map((d, i) => d * (times[i] as number));
          expect(y.shape).toEqual(outShape);
          const expected = Array.from({ length: size(outShape) }, (_, i) => {
            const idx = unravel(i, outShape).map((v, d) => v % (dims[d] as number));
            return values[idx.reduce((acc, v, d) => acc * (dims[d] as number) + v, 0)];
          });
          expect(vals(y)).toEqual(expected);
        },
      ),
      { numRuns: 50 },
    );
    using x = tensor([1, 2]);
    using t = tile(x, [2, 2]);
    expect(t.toArray()).toEqual([
      [1, 2, 1, 2],
      [1, 2, 1, 2],
    ]);
    expect(() => tile(x, [-1])).toThrow(/^tile: reps \[-1\] must be non-negative integers$/);
    expect(() => tile(x, [1.5])).toThrow(/^tile: reps/);
  });

  test("unstack is the inverse of stack", () => {
    using x = tensor(
      [
        [1, 2, 3],
        [4, 5, 6],
      ],
      { dtype: "int32" },
    );
    const rows = unstack(x);
    const cols = unstack(x, -1);
    expect(rows.map((r) => r.toArray())).toEqual([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    expect(cols.map((c) => c.toArray())).toEqual([
      [1, 4],
      [2, 5],
      [3, 6],
    ]);
    expect(cols[0]?.dtype).toBe("int32");
    for (const t of [...rows, ...cols]) t.dispose();
    using e = tensor([], { shape: [0, 2] });
    expect(unstack(e)).toEqual([]);
    expect(() => unstack(x, 2)).toThrow(/^unstack: axis 2 is out of range for rank 2$/);
  });
});

describe("composites free their intermediates", () => {
  test("each composite leaves exactly its result allocated", () => {
    using x = tensor([-2, -0.5, 0, 0.5, 2], { dtype: "float64" });
    for (const fused of [true, false]) {
      withoutFusedIf(!fused, () => {
        using y = tensor([-2, -0.5, 0, 0.5, 2], { dtype: "float64" });
        const ops: ((t: Tensor) => Tensor)[] = [
          ...elementwise.map(([, op]) => op),
          softmax,
          logSoftmax,
          (t) => logSumExp(t),
          (t) => norm(t),
          (t) => sigmoidCrossEntropyWithLogits(t, t),
          (t) => tile(t, [2]),
        ];
        for (const op of ops) {
          const before = numTensors();
          using _out = op(y);
          expect(numTensors()).toBe(before + 1);
        }
      });
    }
    expect(x.size).toBe(5);
  });
});

function withoutFusedIf(on: boolean, fn: () => void): void {
  if (on) withoutFused(fn);
  else fn();
}
