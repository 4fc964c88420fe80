import { ArgumentError, argmax, argmin, DTypeError, max, mean, min, std, sum, tensor, variance } from "@tapegrad/core";
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import {
  checkLeaks,
  expectClose,
  intValuesArb,
  numTensors,
  shapeArb,
  size,
  strides,
  unravel,
  vals,
} from "./helpers.js";

checkLeaks();

/** Plain-JS reduction of flat `values` of `shape` over `axes` (keepDims shape, flat values). */
function reduceRef(
  values: readonly number[],
  shape: readonly number[],
  axes: readonly number[],
  init: number,
  f: (acc: number, v: number) => number,
): { shape: number[]; values: number[] } {
  const kept = shape.map((d, i) => (axes.includes(i) ? 1 : d));
  const out = new Array<number>(size(kept)).fill(init);
  const ks = strides(kept);
  values.forEach((v, i) => {
    const idx = unravel(i, shape);
    const o = idx.reduce((acc, x, d) => acc + (axes.includes(d) ? 0 : x * (ks[d] as number)), 0);
    out[o] = f(out[o] as number, v);
  });
  return { shape: kept, values: out };
}

const shapeAndAxes = shapeArb(4, 4, 1).chain((shape) =>
  fc.record({
    shape: fc.constant(shape),
    values: intValuesArb(shape),
    axes: fc.subarray(
      shape.map((_, i) => i),
      { minLength: 1 },
    ),
    keepDims: fc.boolean(),
    negative: fc.boolean(),
  }),
);

describe("reductions", () => {
  test("sum, max, min over any axes match plain JS, with and without keepDims", () => {
    fc.assert(
      fc.property(shapeAndAxes, ({ shape, values, axes, keepDims, negative }) => {
        using x = tensor(values, { shape });
        const given = negative ? axes.map((a) => a - shape.length) : axes;
        for (const [op, init, f] of [
          [sum, 0, (a: number, v: number) => a + v],
          [max, -Infinity, Math.max],
          [min, Infinity, Math.min],
        ] as const) {
          using y = op(x, given, keepDims);
          const ref = reduceRef(values, shape, axes, init, f);
          const expectedShape = keepDims ? ref.shape : shape.filter((_, i) => !axes.includes(i));
          expect(y.shape).toEqual(expectedShape);
          expect(vals(y)).toEqual(ref.values);
        }
      }),
      { numRuns: 60 },
    );
  });

  test("sum over all axes equals nested sums one axis at a time", () => {
    fc.assert(
      fc.property(
        shapeArb(4, 4, 1).chain((shape) => fc.tuple(fc.constant(shape), intValuesArb(shape))),
        ([shape, values]) => {
          using x = tensor(values, { shape, dtype: "float64" });
          using all = sum(x);
          expect(all.shape).toEqual([]);
          let t = x.clone();
          for (let i = 0; i < shape.length; i++) {
            const next = sum(t, 0);
            t.dispose();
            t = next;
          }
          expect(vals(t)).toEqual(vals(all));
          expect(all.item()).toBe(values.reduce((a, b) => a + b, 0));
          t.dispose();
          using kept = sum(x, undefined, true);
          expect(kept.shape).toEqual(shape.map(() => 1));
        },
      ),
      { numRuns: 40 },
    );
  });

  test("dtypes: bool sums count trues as int32; int32 stays int32; empty reductions", () => {
    using b = tensor([
      [true, false, true],
      [true, true, true],
    ]);
    using s = sum(b, 1);
    expect([s.dtype, vals(s)]).toEqual(["int32", [2, 3]]);
    using sAll = sum(b);
    expect(sAll.item()).toBe(5);
    using i = tensor([1, 2, 3], { dtype: "int32" });
    using si = sum(i);
    using mi = max(i);
    expect([si.dtype, si.item(), mi.dtype, mi.item()]).toEqual(["int32", 6, "int32", 3]);
    using e = tensor([], { shape: [0, 3] });
    using se = sum(e, 0);
    expect([se.shape, vals(se)]).toEqual([[3], [0, 0, 0]]);
    // No axes: a copy of the input.
    using none = sum(i, []);
    expect([none.shape, vals(none)]).toEqual([[3], [1, 2, 3]]);
    using sc = tensor(4);
    using ss = sum(sc);
    expect([ss.shape, ss.item()]).toEqual([[], 4]);
  });

  test("max and min propagate NaN and handle infinities", () => {
    using x = tensor([1, Number.NaN, 3, -Infinity, Infinity, 0], { shape: [2, 3] });
    using mx = max(x, 1);
    using mn = min(x, 1);
    expect(vals(mx)).toEqual([Number.NaN, Infinity]);
    expect(vals(mn)).toEqual([Number.NaN, -Infinity]);
  });

  test("argmax and argmin give the first extreme index as int32", () => {
    using x = tensor([
      [1, 5, 5],
      [7, 4, 7],
      [2, 2, 1],
    ]);
    using a0 = argmax(x, 0);
    using a1 = argmax(x);
    using n1 = argmin(x, -1);
    expect([a0.dtype, vals(a0), vals(a1), vals(n1)]).toEqual(["int32", [1, 0, 1], [1, 0, 0], [0, 1, 2]]);
    using i = tensor([3, 9, 9], { dtype: "int32" });
    using ai = argmax(i);
    expect([ai.shape, ai.item()]).toEqual([[], 1]);
  });

  test("mean, variance and std match plain JS (population statistics)", () => {
    const rows = [
      [1, 2, 3, 4],
      [2, 4, 8, 16],
      [-1, 0.5, 0.25, 7],
    ];
    using x = tensor(rows, { dtype: "float64" });
    const jsMean = (r: number[]) => r.reduce((a, b) => a + b, 0) / r.length;
    const jsVar = (r: number[]) => jsMean(r.map((v) => (v - jsMean(r)) ** 2));
    using m = mean(x, 1);
    using v = variance(x, 1);
    using s = std(x, -1, true);
    expectClose(vals(m), rows.map(jsMean), { rtol: 1e-15 });
    expectClose(vals(v), rows.map(jsVar), { rtol: 1e-14 });
    expect(s.shape).toEqual([3, 1]);
    expectClose(
      vals(s),
      rows.map((r) => Math.sqrt(jsVar(r))),
      { rtol: 1e-14 },
    );
    using mAll = mean(x);
    expectClose([mAll.item() as number], [jsMean(rows.flat())], { rtol: 1e-15 });
    using vCols = variance(x, 0);
    const cols = [0, 1, 2, 3].map((c) => rows.map((r) => r[c] as number));
    expectClose(vals(vCols), cols.map(jsVar), { rtol: 1e-14 });
    using i = tensor([1, 2], { dtype: "int32" });
    using mi = mean(i);
    expect([mi.dtype, mi.item()]).toEqual(["float32", 1.5]);
    using b = tensor([true, false, false, false]);
    using mb = mean(b);
    expect(mb.item()).toBe(0.25);
    using big = tensor([1e8 + 1, 1e8 + 3], { dtype: "float64" });
    using vb = variance(big);
    expect(vb.item()).toBe(1);
  });

  test("errors name the op, axis and shape, and allocate nothing", () => {
    using x = tensor([
      [1, 2],
      [3, 4],
    ]);
    using i = tensor([1, 2], { dtype: "int32" });
    using b = tensor([true]);
    using empty = tensor([], { shape: [2, 0] });
    const before = numTensors();
    for (const [name, op] of [
      ["sum", sum],
      ["max", max],
      ["min", min],
      ["mean", mean],
      ["variance", variance],
      ["std", std],
    ] as const) {
      expect(() => op(x, 2), name).toThrow(new RegExp(`^${name}: axis 2 is out of range for rank 2$`));
      expect(() => op(x, [0, -2]), name).toThrow(new RegExp(`^${name}: axes \\[0,-2\\] repeat an axis$`));
      expect(() => op(x, 0.5), name).toThrow(ArgumentError);
    }
    expect(() => max(empty, 1)).toThrow(/max: cannot reduce over axis 1 of size 0 in float32\[2,0\]/);
    expect(() => min(empty)).toThrow(ArgumentError);
    expect(() => max(b)).toThrow(/max: input has dtype bool/);
    expect(() => variance(i)).toThrow(/variance: input has dtype int32, expected one of float32, float64/);
    expect(() => std(i)).toThrow(/std: input has dtype int32/);
    expect(() => argmax(x, 2)).toThrow(/argmax: axis 2 is out of range for rank 2/);
    expect(() => argmin(empty, 1)).toThrow(/argmin: axis 1 of float32\[2,0\] is empty/);
    expect(() => argmax(b)).toThrow(DTypeError);
    expect(numTensors()).toBe(before);
    const gone = tensor([1, 2]);
    gone.dispose();
    for (const [name, op] of [
      ["sum", sum],
      ["mean", mean],
      ["variance", variance],
      ["std", std],
      ["argmax", argmax],
    ] as const) {
      expect(() => op(gone), name).toThrow(new RegExp(`^${name}: input tensor #\\d+ float32\\[2\\] was disposed$`));
    }
    expect(numTensors()).toBe(before);
  });
});
