import type { DType } from "@tapegrad/core";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { backend, broadcastAt, broadcastPairArb, ravel, read, shapeArb, sizeOfShape, t, unravel } from "./helpers.js";

function iota(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}

const permCase = shapeArb(4, 4, 0).chain((shape) =>
  fc.record({
    shape: fc.constant(shape),
    perm: fc.shuffledSubarray(iota(shape.length), { minLength: shape.length, maxLength: shape.length }),
  }),
);

describe("transpose", () => {
  it("moves every element to its permuted index (property)", () => {
    fc.assert(
      fc.property(permCase, fc.constantFrom<DType>("float32", "int32", "bool", "float64"), ({ shape, perm }, dtype) => {
        const n = sizeOfShape(shape);
        const values = iota(n).map((v) => (dtype === "bool" ? v % 2 : v));
        const outShape = perm.map((p) => shape[p] as number);
        const out = read(backend.transpose(t(values, shape, dtype), perm));
        for (let i = 0; i < n; i++) {
          const outIdx = unravel(i, outShape);
          const inIdx = new Array<number>(shape.length);
          perm.forEach((p, k) => {
            inIdx[p] = outIdx[k] as number;
          });
          expect(out[i]).toBe(values[ravel(inIdx, shape)]);
        }
      }),
      { numRuns: 200 },
    );
  });

  it("round-trips through the inverse permutation", () => {
    const x = t(iota(24), [2, 3, 4], "float32");
    const y = backend.transpose(x, [2, 0, 1]);
    const back = backend.transpose({ dataId: y, shape: [4, 2, 3], dtype: "float32" }, [1, 2, 0]);
    expect(read(back)).toEqual(iota(24));
  });
});

describe("broadcastTo", () => {
  it("repeats size-1 and missing axes (property)", () => {
    fc.assert(
      fc.property(broadcastPairArb(), ({ a, out }) => {
        const target = out.map((d, i) => {
          const ai = a.length - out.length + i;
          return ai >= 0 && a[ai] !== 1 ? (a[ai] as number) : d;
        });
        const values = iota(sizeOfShape(a));
        const got = read(backend.broadcastTo(t(values, a, "int32"), target));
        const expected = iota(sizeOfShape(target)).map((i) => broadcastAt(values, a, unravel(i, target)));
        expect(got).toEqual(expected);
      }),
      { numRuns: 200 },
    );
  });
});

describe("slice and pad", () => {
  const boxCase = shapeArb(4, 5, 1).chain((shape) =>
    fc.record({
      shape: fc.constant(shape),
      begin: fc.tuple(...shape.map((d) => fc.integer({ min: 0, max: d }))),
      pads: fc.tuple(...shape.map(() => fc.tuple(fc.integer({ min: 0, max: 2 }), fc.integer({ min: 0, max: 2 })))),
    }),
  );

  it("slices the requested box (property)", () => {
    fc.assert(
      fc.property(boxCase, fc.nat(), ({ shape, begin }, s) => {
        const size = shape.map((d, i) => (s + i) % (d - (begin[i] as number) + 1));
        const values = iota(sizeOfShape(shape));
        const got = read(backend.slice(t(values, shape, "float64"), begin, size));
        const expected = iota(sizeOfShape(size)).map((i) => {
          const idx = unravel(i, size).map((v, d) => v + (begin[d] as number));
          return values[ravel(idx, shape)];
        });
        expect(got).toEqual(expected);
      }),
      { numRuns: 200 },
    );
  });

  it("pads with a value, and slicing the padding off gives x back (property)", () => {
    fc.assert(
      fc.property(boxCase, ({ shape, pads }) => {
        const values = iota(sizeOfShape(shape)).map((v) => v + 1);
        const paddings = pads as [number, number][];
        const padded = backend.pad(t(values, shape, "float32"), paddings, -5);
        const outShape = shape.map(
          (d, i) => d + (paddings[i] as [number, number])[0] + (paddings[i] as [number, number])[1],
        );
        const p = read(padded);
        const inside = p.filter((v) => v !== -5).length;
        expect(inside).toBe(values.length);
        expect(p.length - inside).toBe(sizeOfShape(outShape) - values.length);
        const back = backend.slice(
          { dataId: padded, shape: outShape, dtype: "float32" },
          paddings.map(([before]) => before),
          shape,
        );
        expect(read(back)).toEqual(values);
      }),
      { numRuns: 200 },
    );
  });

  it("pads int32 and bool with their stored value", () => {
    expect(read(backend.pad(t([1, 2], [2], "int32"), [[1, 1]], 2.9))).toEqual([2, 1, 2, 2]);
    expect(read(backend.pad(t([0], [1], "bool"), [[0, 2]], 3))).toEqual([0, 1, 1]);
  });
});

describe("concat", () => {
  it("joins along any axis, and slicing splits it back (property)", () => {
    fc.assert(
      fc.property(
        shapeArb(3, 3, 0).filter((s) => s.length > 0),
        fc.nat(),
        fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 1, maxLength: 4 }),
        (base, axisSeed, extents) => {
          const axis = axisSeed % base.length;
          const shapes = extents.map((e) => base.map((d, i) => (i === axis ? e : d)));
          let next = 0;
          const inputs = shapes.map((s) => {
            const values = iota(sizeOfShape(s)).map((v) => v + next);
            next += values.length;
            return { values, shape: s };
          });
          const outShape = base.map((d, i) => (i === axis ? extents.reduce((a, b) => a + b, 0) : d));
          const joined = backend.concat(
            inputs.map((x) => t(x.values, x.shape, "int32")),
            axis,
          );
          expect(read(joined).length).toBe(sizeOfShape(outShape));
          let start = 0;
          for (const x of inputs) {
            const begin = outShape.map((_, i) => (i === axis ? start : 0));
            const part = backend.slice({ dataId: joined, shape: outShape, dtype: "int32" }, begin, x.shape);
            expect(read(part)).toEqual(x.values);
            start += x.shape[axis] as number;
          }
        },
      ),
      { numRuns: 150 },
    );
  });
});

describe("gather and scatterAdd", () => {
  it("gathers slices at indices of any shape", () => {
    const x = t(iota(12), [3, 4], "float32");
    const idx = t([2, 0, 2, 1], [2, 2], "int32");
    expect(read(backend.gather(x, idx, 0))).toEqual([8, 9, 10, 11, 0, 1, 2, 3, 8, 9, 10, 11, 4, 5, 6, 7]);
    expect(read(backend.gather(x, t([3, 0], [2], "int32"), 1))).toEqual([3, 0, 7, 4, 11, 8]);
  });

  it("is the adjoint of gather: <gather(x), u> = <x, scatterAdd(u)> (property)", () => {
    fc.assert(
      fc.property(
        shapeArb(3, 4, 1).filter((s) => s.length > 0),
        fc.nat(),
        fc.array(fc.nat(), { minLength: 0, maxLength: 6 }),
        (shape, axisSeed, rawIdx) => {
          const axis = axisSeed % shape.length;
          const len = shape[axis] as number;
          const indices = rawIdx.map((i) => i % len);
          const xv = iota(sizeOfShape(shape)).map((v) => (v % 7) - 3);
          const gShape = [...shape.slice(0, axis), indices.length, ...shape.slice(axis + 1)];
          const uv = iota(sizeOfShape(gShape)).map((v) => (v % 5) - 2);
          const idx = t(indices, [indices.length], "int32");
          const g = read(backend.gather(t(xv, shape, "float64"), idx, axis));
          const s = read(backend.scatterAdd(t(uv, gShape, "float64"), idx, axis, shape));
          const lhs = g.reduce((acc, v, i) => acc + v * (uv[i] as number), 0);
          const rhs = s.reduce((acc, v, i) => acc + v * (xv[i] as number), 0);
          expect(lhs).toBe(rhs);
        },
      ),
      { numRuns: 200 },
    );
  });

  it("accumulates repeated indices", () => {
    const u = t([1, 2, 3, 4, 5, 6], [3, 2], "int32");
    const idx = t([1, 1, 0], [3], "int32");
    expect(read(backend.scatterAdd(u, idx, 0, [3, 2]))).toEqual([5, 6, 4, 6, 0, 0]);
  });

  it("rejects indices out of range", () => {
    expect(() => backend.gather(t([1, 2], [2]), t([2], [1], "int32"), 0)).toThrow(/out of range/);
    expect(() => backend.scatterAdd(t([1], [1]), t([-1], [1], "int32"), 0, [2])).toThrow(/out of range/);
  });
});
