import type { DType, ReduceOp } from "@tapegrad/core";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  backend,
  expectClose,
  randomValues,
  ravel,
  read,
  shapeArb,
  sizeOfShape,
  t,
  toTyped,
  unravel,
} from "./helpers.js";

function reduceRef(
  op: ReduceOp,
  values: readonly number[],
  shape: readonly number[],
  axes: readonly number[],
): number[] {
  const outShape = shape.filter((_, d) => !axes.includes(d));
  const init = op === "sum" ? 0 : op === "max" ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
  const out = new Array<number>(sizeOfShape(outShape)).fill(init);
  for (let i = 0; i < values.length; i++) {
    const idx = unravel(i, shape).filter((_, d) => !axes.includes(d));
    const o = ravel(idx, outShape);
    const v = values[i] as number;
    const cur = out[o] as number;
    out[o] = op === "sum" ? cur + v : op === "max" ? Math.max(cur, v) : Math.min(cur, v);
  }
  return out;
}

const reduceCase = shapeArb(4, 4, 0)
  .filter((s) => s.length > 0)
  .chain((shape) =>
    fc.record({
      shape: fc.constant(shape),
      axes: fc
        .subarray(
          shape.map((_, i) => i),
          { minLength: 1 },
        )
        .map((a) => [...a].sort((x, y) => x - y)),
      op: fc.constantFrom<ReduceOp>("sum", "max", "min"),
      dtype: fc.constantFrom<DType>("float32", "float64", "int32"),
      seed: fc.integer({ min: 1 }),
    }),
  );

describe("reduce", () => {
  it("matches a naive reduction over random axes (property)", () => {
    fc.assert(
      fc.property(reduceCase, ({ shape, axes, op, dtype, seed }) => {
        const values = Array.from(toTyped(randomValues(sizeOfShape(shape), seed, 10), dtype));
        const out = backend.reduce(op, t(values, shape, dtype), axes);
        const expected = Array.from(toTyped(reduceRef(op, values, shape, axes), dtype));
        expectClose(read(out), expected, dtype === "float32" ? 1e-6 : 1e-12, 1e-5);
      }),
      { numRuns: 300 },
    );
  });

  it("gives 0, -Infinity and +Infinity for empty reductions", () => {
    const x = t([], [2, 0], "float32");
    expect(read(backend.reduce("sum", x, [1]))).toEqual([0, 0]);
    expect(read(backend.reduce("max", x, [1]))).toEqual([Number.NEGATIVE_INFINITY, Number.NEGATIVE_INFINITY]);
    expect(read(backend.reduce("min", x, [0, 1]))).toEqual([Number.POSITIVE_INFINITY]);
  });

  it("sums bool into int32", () => {
    const out = backend.reduce("sum", t([1, 0, 1, 1], [2, 2], "bool"), [0, 1]);
    const values = backend.readSync(out);
    expect(values).toBeInstanceOf(Int32Array);
    expect(Array.from(values)).toEqual([3]);
  });

  it("propagates NaN through max and min", () => {
    const x = t([1, Number.NaN, 3, 4], [2, 2], "float64");
    expect(read(backend.reduce("max", x, [1]))).toEqual([Number.NaN, 4]);
    expect(read(backend.reduce("min", x, [0]))).toEqual([1, Number.NaN]);
  });

  it("accumulates float32 sums in doubles", () => {
    const n = 1 << 16;
    const out = backend.reduce("sum", t(new Array<number>(n).fill(0.1), [n], "float32"), [0]);
    expect(read(out)[0]).toBe(Math.fround(n * Math.fround(0.1)));
  });

  it("keeps float64 precision", () => {
    const out = backend.reduce("sum", t([0.1, 0.2, 0.3], [3], "float64"), [0]);
    expect(read(out)[0]).toBe(0.1 + 0.2 + 0.3);
  });
});

describe("argReduce", () => {
  it("returns the first extreme index along an axis", () => {
    const x = t([1, 5, 5, 0, 7, -1, 7, -1], [2, 4], "float32");
    expect(read(backend.argReduce("argmax", x, 1))).toEqual([1, 0]);
    expect(read(backend.argReduce("argmin", x, 1))).toEqual([3, 1]);
    expect(read(backend.argReduce("argmax", x, 0))).toEqual([1, 0, 1, 0]);
    expect(backend.readSync(backend.argReduce("argmin", x, 0))).toBeInstanceOf(Int32Array);
  });

  it("treats NaN as the extreme for both, like NumPy", () => {
    const x = t([1, Number.NaN, 3, Number.NaN], [4], "float64");
    expect(read(backend.argReduce("argmax", x, 0))).toEqual([1]);
    expect(read(backend.argReduce("argmin", x, 0))).toEqual([1]);
  });

  it("matches a naive scan (property)", () => {
    fc.assert(
      fc.property(
        shapeArb(3, 4, 1).filter((s) => s.length > 0),
        fc.integer({ min: 0, max: 2 }),
        fc.integer({ min: 1 }),
        (shape, axisSeed, seed) => {
          const axis = axisSeed % shape.length;
          const values = randomValues(sizeOfShape(shape), seed, 3).map(Math.round);
          const out = read(backend.argReduce("argmax", t(values, shape, "int32"), axis));
          const outShape = shape.filter((_, d) => d !== axis);
          for (let o = 0; o < out.length; o++) {
            const idx = unravel(o, outShape);
            let best = Number.NEGATIVE_INFINITY;
            let bestK = -1;
            for (let k = 0; k < (shape[axis] as number); k++) {
              const full = [...idx.slice(0, axis), k, ...idx.slice(axis)];
              const v = values[ravel(full, shape)] as number;
              if (v > best) {
                best = v;
                bestK = k;
              }
            }
            expect(out[o]).toBe(bestK);
          }
        },
      ),
      { numRuns: 100 },
    );
  });
});
