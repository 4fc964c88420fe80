import { broadcastShapes, sizeOf } from "@tapegrad/core";
import {
  axesArb,
  broadcastPairArb,
  broadcastShapesArb,
  permutationArb,
  shapeArb,
  tensorArb,
  valuesArb,
} from "@tapegrad/testing";
import fc from "fast-check";
import { describe, expect, it } from "vitest";

describe("shapeArb", () => {
  it("respects rank and dimension bounds", () => {
    fc.assert(
      fc.property(
        fc
          .integer({ min: 0, max: 3 })
          .chain((minRank) =>
            fc.tuple(
              fc.constant(minRank),
              fc.integer({ min: minRank, max: 5 }),
              fc.integer({ min: 1, max: 6 }),
              fc.boolean(),
            ),
          ),
        fc.integer(),
        ([minRank, maxRank, maxDim, allowEmpty], seed) => {
          for (const shape of fc.sample(shapeArb({ minRank, maxRank, maxDim, allowEmpty }), { numRuns: 20, seed })) {
            expect(shape.length).toBeGreaterThanOrEqual(minRank);
            expect(shape.length).toBeLessThanOrEqual(maxRank);
            for (const d of shape) {
              expect(Number.isInteger(d)).toBe(true);
              expect(d).toBeLessThanOrEqual(maxDim);
              expect(d).toBeGreaterThanOrEqual(allowEmpty ? 0 : 1);
            }
          }
        },
      ),
      { numRuns: 20 },
    );
  });

  it("draws scalars, size-1 and (when allowed) empty dimensions", () => {
    const shapes = fc.sample(shapeArb({ allowEmpty: true }), { numRuns: 300, seed: 1 });
    expect(shapes.some((s) => s.length === 0)).toBe(true);
    expect(shapes.some((s) => s.includes(1))).toBe(true);
    expect(shapes.some((s) => s.includes(0))).toBe(true);
    expect(shapes.some((s) => s.length === 4)).toBe(true);
  });
});

describe("broadcastPairArb / broadcastShapesArb", () => {
  it("gives shapes that broadcast, with missing leading dims and 1s", () => {
    const pairs = fc.sample(broadcastPairArb({ maxRank: 4, allowEmpty: true }), { numRuns: 300, seed: 2 });
    for (const [a, b] of pairs) expect(() => broadcastShapes("test", a, b)).not.toThrow();
    expect(pairs.some(([a, b]) => a.length !== b.length)).toBe(true);
    expect(pairs.some(([a, b]) => a.some((d, i) => d === 1 && b[b.length - a.length + i] !== 1))).toBe(true);
  });

  it("gives any number of mutually broadcastable shapes", () => {
    for (const shapes of fc.sample(broadcastShapesArb(3), { numRuns: 100, seed: 3 })) {
      expect(shapes).toHaveLength(3);
      const [a, b, c] = shapes as [number[], number[], number[]];
      expect(() => broadcastShapes("test", broadcastShapes("test", a, b), c)).not.toThrow();
    }
  });
});

describe("valuesArb / tensorArb", () => {
  it("fills the shape with values of the dtype in range", () => {
    for (const v of fc.sample(valuesArb([2, 3], "float32", { min: -1, max: 2 }), { numRuns: 50, seed: 4 })) {
      expect(v).toHaveLength(6);
      for (const x of v) {
        expect(x).toBe(Math.fround(x));
        expect(x).toBeGreaterThanOrEqual(-1);
        expect(x).toBeLessThanOrEqual(2);
      }
    }
    for (const v of fc.sample(valuesArb([5], "int32", { min: -3, max: 3 }), { numRuns: 50, seed: 5 })) {
      for (const x of v) expect(Number.isInteger(x) && x >= -3 && x <= 3).toBe(true);
    }
    for (const v of fc.sample(valuesArb([5], "bool"), { numRuns: 20, seed: 6 })) {
      for (const x of v) expect(x === 0 || x === 1).toBe(true);
    }
  });

  it("keeps values away from kinks", () => {
    const opts = { min: -1, max: 1, awayFrom: [0, 0.5], margin: 0.01 };
    for (const v of fc.sample(valuesArb([8], "float64", opts), { numRuns: 100, seed: 7 })) {
      for (const x of v) {
        expect(Math.abs(x)).toBeGreaterThanOrEqual(0.01 - 1e-12);
        expect(Math.abs(x - 0.5)).toBeGreaterThanOrEqual(0.01 - 1e-12);
        expect(x).toBeGreaterThanOrEqual(-1);
        expect(x).toBeLessThanOrEqual(1);
      }
    }
    for (const v of fc.sample(valuesArb([8], "int32", { min: -2, max: 2, awayFrom: [0] }), { numRuns: 50, seed: 8 })) {
      expect(v).not.toContain(0);
    }
  });

  it("never produces NaN, infinities or float32 subnormals", () => {
    for (const v of fc.sample(valuesArb([16], "float64", { min: -1e-30, max: 1e-30 }), { numRuns: 50, seed: 9 })) {
      for (const x of v) expect(x === 0 || Math.abs(x) >= 1.1754943508222875e-38).toBe(true);
    }
  });

  it("describes tensors whose values fill their shape", () => {
    const arb = tensorArb({ shape: { maxRank: 3, allowEmpty: true }, dtype: ["int32", "float64"] });
    for (const d of fc.sample(arb, { numRuns: 100, seed: 10 })) {
      expect(d.values).toHaveLength(sizeOf(d.shape));
      expect(["int32", "float64"]).toContain(d.dtype);
    }
    const fixed = fc.sample(tensorArb({ shape: [2, 2] }), { numRuns: 5, seed: 11 });
    for (const d of fixed) expect(d.shape).toEqual([2, 2]);
  });
});

describe("axesArb / permutationArb", () => {
  it("gives distinct in-range axes, sometimes negative", () => {
    const samples = fc.sample(axesArb(4, { minLength: 1 }), { numRuns: 200, seed: 12 });
    for (const axes of samples) {
      expect(axes.length).toBeGreaterThanOrEqual(1);
      const normalized = axes.map((a) => (a < 0 ? a + 4 : a));
      expect(new Set(normalized).size).toBe(axes.length);
      for (const a of normalized) expect(a >= 0 && a < 4).toBe(true);
    }
    expect(samples.some((axes) => axes.some((a) => a < 0))).toBe(true);
  });

  it("gives permutations", () => {
    for (const rank of [0, 1, 3, 4]) {
      for (const p of fc.sample(permutationArb(rank), { numRuns: 30, seed: rank })) {
        expect([...p].sort()).toEqual(Array.from({ length: rank }, (_, i) => i));
      }
    }
  });
});
