import {
  ArgumentError,
  arange,
  concat,
  DTypeError,
  expandDims,
  flatten,
  gather,
  pad,
  reshape,
  ShapeError,
  scatterAdd,
  slice,
  split,
  squeeze,
  stack,
  type Tensor,
  tensor,
  transpose,
  zeros,
} from "@tapegrad/core";
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { checkLeaks, intValuesArb, numTensors, shapeArb, size, strides, unravel, vals } from "./helpers.js";

checkLeaks();

const shapeValues = (maxRank = 4, minRank = 0) =>
  shapeArb(maxRank, 4, minRank).chain((shape) => fc.record({ shape: fc.constant(shape), values: intValuesArb(shape) }));

function disposeAll(ts: Tensor[]): void {
  for (const t of ts) t.dispose();
}

describe("reshape and transpose", () => {
  test("reshape round trips and is a view", () => {
    fc.assert(
      fc.property(shapeValues(), fc.integer({ min: 0, max: 3 }), ({ shape, values }, cut) => {
        using x = tensor(values, { shape });
        using flat = reshape(x, [-1]);
        expect(flat.shape).toEqual([values.length]);
        expect(flat.dataId).toBe(x.dataId);
        const c = Math.min(cut, shape.length);
        const merged = [size(shape.slice(0, c)), ...shape.slice(c)];
        using mid = reshape(flat, merged);
        using back = reshape(mid, shape);
        expect(back.shape).toEqual(shape);
        expect(vals(back)).toEqual(values);
      }),
      { numRuns: 50 },
    );
  });

  test("transpose by perm then by its inverse is the identity; values move as perm says", () => {
    const permCase = shapeValues(4, 1).chain(({ shape, values }) =>
      fc.record({
        shape: fc.constant(shape),
        values: fc.constant(values),
        perm: fc.shuffledSubarray(
          shape.map((_, i) => i),
          { minLength: shape.length, maxLength: shape.length },
        ),
      }),
    );
    fc.assert(
      fc.property(permCase, ({ shape, values, perm }) => {
        using x = tensor(values, { shape });
        using y = transpose(x, perm);
        const outShape = perm.map((p) => shape[p] as number);
        expect(y.shape).toEqual(outShape);
        const xs = strides(shape);
        const expected = Array.from({ length: values.length }, (_, i) => {
          const idx = unravel(i, outShape);
          return values[idx.reduce((acc, v, k) => acc + v * (xs[perm[k] as number] as number), 0)];
        });
        expect(vals(y)).toEqual(expected);
        const inverse = perm.map((_, i) => perm.indexOf(i));
        using back = transpose(y, inverse);
        expect(vals(back)).toEqual(values);
      }),
      { numRuns: 50 },
    );
  });

  test("transpose without perm reverses the axes", () => {
    using x = zeros([2, 3, 4]);
    using y = transpose(x);
    expect(y.shape).toEqual([4, 3, 2]);
  });

  test("expandDims, squeeze and flatten", () => {
    using x = zeros([3, 1, 2]);
    using e0 = expandDims(x);
    using e3 = expandDims(x, -1);
    using s = squeeze(x);
    using s1 = squeeze(x, [-2]);
    using f = flatten(x);
    using sc = tensor(5);
    using fs = flatten(sc);
    expect([e0.shape, e3.shape, s.shape, s1.shape, f.shape, fs.shape]).toEqual([
      [1, 3, 1, 2],
      [3, 1, 2, 1],
      [3, 2],
      [3, 2],
      [3, 2],
      [1],
    ]);
    expect(() => squeeze(x, [0])).toThrow(/^squeeze: axis 0 of float32\[3,1,2\] has size 3, expected 1$/);
    expect(() => expandDims(x, 4)).toThrow(/^expandDims: axis 4 is out of range for rank 4$/);
  });

  test("flatten keeps an empty batch (regression: [0, 28, 28] became [0, 0])", () => {
    using x = zeros([0, 28, 28]);
    using f = flatten(x);
    expect(f.shape).toEqual([0, 784]);
  });

  test("reshape errors", () => {
    using x = arange(6);
    expect(() => reshape(x, [4, -1])).toThrow(/^reshape: cannot reshape int32\[6\] \(6 elements\) to \[4,-1\]$/);
    expect(() => reshape(x, [-1, -1])).toThrow(/^reshape: shape \[-1,-1\] has more than one -1$/);
    expect(() => reshape(x, [2, -3])).toThrow(ArgumentError);
    expect(() => reshape(x, [7])).toThrow(ShapeError);
    expect(() => transpose(x, [1])).toThrow(/^transpose: perm \[1\] is not a permutation of the 1 axes of int32\[6\]$/);
    using m = zeros([2, 3]);
    expect(() => transpose(m, [0, 0])).toThrow(ArgumentError);
  });
});

describe("slice, concat, split, stack, pad", () => {
  test("slicing a tensor into pieces along an axis and concatenating them gives it back", () => {
    const sliceCase = shapeValues(4, 1).chain(({ shape, values }) =>
      fc.record({
        shape: fc.constant(shape),
        values: fc.constant(values),
        axis: fc.integer({ min: 0, max: shape.length - 1 }),
        cutFraction: fc.double({ min: 0, max: 1, noNaN: true }),
      }),
    );
    fc.assert(
      fc.property(sliceCase, ({ shape, values, axis, cutFraction }) => {
        using x = tensor(values, { shape });
        const d = shape[axis] as number;
        const cut = Math.floor(cutFraction * d);
        using left = slice(
          x,
          shape.map(() => 0),
          shape.map((s, i) => (i === axis ? cut : s)),
        );
        using right = slice(
          x,
          shape.map((_, i) => (i === axis ? cut : 0)),
        );
        using joined = concat([left, right], axis - shape.length);
        expect(joined.shape).toEqual(shape);
        expect(vals(joined)).toEqual(values);
        const parts = split(x, [cut, d - cut], axis);
        expect(vals(parts[0] as Tensor)).toEqual(vals(left));
        expect(vals(parts[1] as Tensor)).toEqual(vals(right));
        disposeAll(parts);
      }),
      { numRuns: 50 },
    );
  });

  test("slice takes the box at begin with extent size", () => {
    using x = tensor(
      Array.from({ length: 24 }, (_, i) => i),
      { shape: [2, 3, 4], dtype: "int32" },
    );
    using y = slice(x, [1, 0, 1], [1, 2, 2]);
    expect([y.shape, vals(y)]).toEqual([
      [1, 2, 2],
      [13, 14, 17, 18],
    ]);
    using z = slice(x, [0, 2]);
    expect([z.shape, vals(z)]).toEqual([
      [2, 1, 4],
      [8, 9, 10, 11, 20, 21, 22, 23],
    ]);
    using e = slice(x, [0, 0, 4], [2, 3, 0]);
    expect(e.shape).toEqual([2, 3, 0]);
  });

  test("split into equal parts, then stack, gives back the input with a new axis", () => {
    fc.assert(
      fc.property(
        shapeValues(3, 1),
        fc.integer({ min: 0, max: 2 }),
        fc.integer({ min: 0, max: 3 }),
        ({ shape, values }, axisSeed, stackAxisSeed) => {
          using x = tensor(values, { shape });
          const axis = axisSeed % shape.length;
          const parts = split(x, shape[axis] as number, axis);
          expect(parts.map((p) => p.shape[axis])).toEqual(parts.map(() => 1));
          const squeezed = parts.map((p) => squeeze(p, [axis]));
          using restacked = stack(squeezed, axis);
          expect(restacked.shape).toEqual(shape);
          expect(vals(restacked)).toEqual(values);
          const sa = stackAxisSeed % shape.length;
          using other = stack(squeezed, sa - shape.length);
          const rest = shape.filter((_, i) => i !== axis);
          expect(other.shape).toEqual([...rest.slice(0, sa), shape[axis], ...rest.slice(sa)]);
          disposeAll(parts);
          disposeAll(squeezed);
        },
      ),
      { numRuns: 40 },
    );
  });

  test("concat promotes dtypes; stack of scalars is a vector", () => {
    using i = tensor([1, 2], { dtype: "int32" });
    using f = tensor([0.5]);
    using c = concat([i, f]);
    expect([c.dtype, vals(c)]).toEqual(["float32", [1, 2, 0.5]]);
    using a = tensor(1);
    using b = tensor(2);
    using s = stack([a, b]);
    expect([s.shape, vals(s)]).toEqual([[2], [1, 2]]);
    using one = concat([i]);
    expect(vals(one)).toEqual([1, 2]);
  });

  test("pad", () => {
    using x = tensor([
      [1, 2],
      [3, 4],
    ]);
    using p = pad(x, [
      [1, 0],
      [0, 2],
    ]);
    expect(p.toArray()).toEqual([
      [0, 0, 0, 0],
      [1, 2, 0, 0],
      [3, 4, 0, 0],
    ]);
    using q = pad(
      x,
      [
        [0, 0],
        [1, 1],
      ],
      -1,
    );
    expect(vals(q)).toEqual([-1, 1, 2, -1, -1, 3, 4, -1]);
    using back = slice(p, [1, 0], [2, 2]);
    expect(vals(back)).toEqual(vals(x));
  });

  test("errors name the op and shapes, and allocate nothing", () => {
    using x = zeros([2, 3]);
    using y = zeros([3, 3]);
    using v = zeros([3]);
    const before = numTensors();
    expect(() => slice(x, [0, 2], [2, 2])).toThrow(
      /^slice: begin \[0,2\] size \[2,2\] fall outside float32\[2,3\] on axis 1$/,
    );
    expect(() => slice(x, [-1, 0])).toThrow(ArgumentError);
    expect(() => slice(x, [0, 0, 0])).toThrow(/^slice: begin\/size longer than the rank of float32\[2,3\]$/);
    expect(() => concat([x, y], 1)).toThrow(/^concat: shapes \[2,3\], \[3,3\] differ outside axis 1$/);
    expect(() => concat([x, v])).toThrow(ShapeError);
    expect(() => concat([])).toThrow(/^concat: got no tensors, expected at least one$/);
    expect(() => concat([x], 2)).toThrow(/^concat: axis 2 is out of range for rank 2$/);
    expect(() => stack([x, y])).toThrow(/^stack: shapes \[2,3\], \[3,3\] differ, expected one shape$/);
    expect(() => stack([x, x], 3)).toThrow(/^stack: axis 3 is out of range for rank 3$/);
    expect(() => stack([])).toThrow(/^stack: got no tensors/);
    expect(() => split(x, 4, 1)).toThrow(/^split: axis 1 of float32\[2,3\] cannot be split into 4 equal parts$/);
    expect(() => split(x, [1, 1], 1)).toThrow(/^split: sizes \[1,1\] do not add up to 3 on axis 1$/);
    // Regression: a negative size meant "to the end" in slice and left earlier parts allocated.
    expect(() => split(x, [-1, 4], 1)).toThrow(/^split: sizes \[-1,4\] must be non-negative integers$/);
    expect(() => pad(x, [[1, 1]])).toThrow(/^pad: got 1 paddings for float32\[2,3\], expected 2$/);
    expect(() =>
      pad(x, [
        [0, -1],
        [0, 0],
      ]),
    ).toThrow(/^pad: paddings .* must be non-negative integers$/);
    expect(numTensors()).toBe(before);
  });

  test("a disposed input among casts leaves nothing allocated (regression: concat leaked its casts)", () => {
    using i = tensor([1], { dtype: "int32" });
    using f = tensor([1], { dtype: "float64" });
    const gone = tensor([2], { dtype: "int32" });
    gone.dispose();
    const before = numTensors();
    expect(() => concat([i, f, gone])).toThrow(/^concat: input tensor #\d+ int32\[1\] was disposed$/);
    expect(() => stack([i, gone])).toThrow(/^stack: input tensor/);
    expect(numTensors()).toBe(before);
  });
});

describe("gather and scatterAdd", () => {
  const gatherCase = shapeValues(3, 1).chain(({ shape, values }) =>
    fc
      .record({
        axis: fc.integer({ min: 0, max: shape.length - 1 }),
        indexShape: shapeArb(2, 3),
      })
      .chain(({ axis, indexShape }) =>
        fc.record({
          shape: fc.constant(shape),
          values: fc.constant(values),
          axis: fc.constant(axis),
          indexShape: fc.constant(indexShape),
          indices: fc.array(fc.integer({ min: 0, max: (shape[axis] as number) - 1 }), {
            minLength: size(indexShape),
            maxLength: size(indexShape),
          }),
          u: intValuesArb([...shape.slice(0, axis), ...indexShape, ...shape.slice(axis + 1)]),
        }),
      ),
  );

  test("gather takes slices at the indices", () => {
    fc.assert(
      fc.property(gatherCase, ({ shape, values, axis, indexShape, indices }) => {
        using x = tensor(values, { shape });
        using idx = tensor(indices, { shape: indexShape, dtype: "int32" });
        using y = gather(x, idx, axis);
        const outShape = [...shape.slice(0, axis), ...indexShape, ...shape.slice(axis + 1)];
        expect(y.shape).toEqual(outShape);
        const xs = strides(shape);
        const expected = Array.from({ length: size(outShape) }, (_, i) => {
          const o = unravel(i, outShape);
          const ii = o.slice(axis, axis + indexShape.length);
          const k = indices[ii.reduce((acc, v, d) => acc + v * (strides(indexShape)[d] as number), 0)] as number;
          const src = [...o.slice(0, axis), k, ...o.slice(axis + indexShape.length)];
          return values[src.reduce((acc, v, d) => acc + v * (xs[d] as number), 0)];
        });
        expect(vals(y)).toEqual(expected);
      }),
      { numRuns: 50 },
    );
  });

  test("scatterAdd is the adjoint of gather: <gather(x), u> = <x, scatterAdd(u)>", () => {
    fc.assert(
      fc.property(gatherCase, ({ shape, values, axis, indexShape, indices, u }) => {
        using x = tensor(values, { shape, dtype: "float64" });
        using idx = tensor(indices, { shape: indexShape, dtype: "int32" });
        using ut = tensor(u, {
          shape: [...shape.slice(0, axis), ...indexShape, ...shape.slice(axis + 1)],
          dtype: "float64",
        });
        using g = gather(x, idx, axis);
        using s = scatterAdd(ut, idx, axis, shape);
        expect(s.shape).toEqual(shape);
        const dot = (a: number[], b: number[]) => a.reduce((acc, v, i) => acc + v * (b[i] as number), 0);
        expect(dot(vals(g), u)).toBe(dot(values, vals(s)));
      }),
      { numRuns: 50 },
    );
  });

  test("repeated indices accumulate; errors name the op and the bad index", () => {
    using u = tensor([1, 2, 3]);
    using idx = tensor([0, 0, 2], { dtype: "int32" });
    using s = scatterAdd(u, idx, 0, [3]);
    expect(vals(s)).toEqual([3, 0, 3]);
    using x = tensor([10, 20, 30]);
    using bad = tensor([3], { dtype: "int32" });
    using negative = tensor([-1], { dtype: "int32" });
    using fidx = tensor([0]);
    using b = tensor([true, false]);
    const before = numTensors();
    expect(() => gather(x, bad)).toThrow(/^gather: index 3 is out of range \[0, 3\)$/);
    expect(() => gather(x, negative)).toThrow(/^gather: index -1 is out of range/);
    expect(() => gather(x, fidx)).toThrow(DTypeError);
    expect(() => gather(x, fidx)).toThrow(/^gather: indices have dtype float32, expected int32$/);
    expect(() => gather(x, idx, 1)).toThrow(/^gather: axis 1 is out of range for rank 1$/);
    expect(() => scatterAdd(u, idx, 0, [2])).toThrow(/^scatterAdd: index 2 is out of range \[0, 2\)$/);
    expect(() => scatterAdd(u, idx, 0, [3, 2])).toThrow(
      /^scatterAdd: updates float32\[3\] do not match \[3,2\] for indices int32\[3\] into \[3,2\]$/,
    );
    expect(() => scatterAdd(b, bad, 0, [4])).toThrow(/^scatterAdd: updates has dtype bool/);
    expect(numTensors()).toBe(before);
  });
});
