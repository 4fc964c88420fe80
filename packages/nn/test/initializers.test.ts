import { Rng, type Tensor } from "@tapegrad/core";
import {
  computeFans,
  constant,
  Dense,
  glorotNormal,
  glorotUniform,
  heNormal,
  heUniform,
  type Initializer,
  initializers,
  normal,
  uniform,
} from "@tapegrad/nn";
import { describe, expect, test } from "vitest";
import { checkLeaks, vals } from "./module_helpers.js";

checkLeaks();

function stats(t: Tensor): { mean: number; std: number; min: number; max: number } {
  const v = vals(t);
  const mean = v.reduce((a, b) => a + b, 0) / v.length;
  const variance = v.reduce((a, b) => a + (b - mean) ** 2, 0) / v.length;
  return { mean, std: Math.sqrt(variance), min: Math.min(...v), max: Math.max(...v) };
}

function sample(init: Initializer, shape: number[], seed = 0): ReturnType<typeof stats> {
  using t = init(shape, { rng: seed });
  return stats(t);
}

describe("initializers", () => {
  test("fans follow Keras", () => {
    expect(computeFans([784, 128])).toEqual({ fanIn: 784, fanOut: 128 });
    expect(computeFans([10])).toEqual({ fanIn: 10, fanOut: 10 });
    expect(computeFans([])).toEqual({ fanIn: 1, fanOut: 1 });
    expect(computeFans([3, 3, 16, 32])).toEqual({ fanIn: 144, fanOut: 288 });
  });

  test("glorotUniform stays within ±sqrt(6/(in+out)) and fills it uniformly", () => {
    const limit = Math.sqrt(6 / (784 + 128));
    const s = sample(glorotUniform, [784, 128]);
    expect(s.max).toBeLessThanOrEqual(limit);
    expect(s.min).toBeGreaterThanOrEqual(-limit);
    expect(s.max).toBeGreaterThan(0.99 * limit);
    expect(s.min).toBeLessThan(-0.99 * limit);
    expect(Math.abs(s.mean)).toBeLessThan(0.002);
    expect(s.std).toBeCloseTo(limit / Math.sqrt(3), 3);
  });

  test("glorotNormal (Keras 2): truncated normal whose std is sqrt(2/(in+out))", () => {
    const target = Math.sqrt(2 / (400 + 200));
    const s = sample(glorotNormal, [400, 200]);
    expect(s.std / target).toBeGreaterThan(0.98);
    expect(s.std / target).toBeLessThan(1.02);
    // Truncated at two standard deviations of the untruncated (corrected) normal.
    const bound = (2 * target) / 0.87962566103423978;
    expect(s.max).toBeLessThanOrEqual(bound);
    expect(s.min).toBeGreaterThanOrEqual(-bound);
    expect(Math.abs(s.mean)).toBeLessThan(0.002);
  });

  test("heNormal and heUniform scale by fan-in", () => {
    const hn = sample(heNormal, [500, 100]);
    expect(hn.std / Math.sqrt(2 / 500)).toBeGreaterThan(0.98);
    expect(hn.std / Math.sqrt(2 / 500)).toBeLessThan(1.02);
    const limit = Math.sqrt(6 / 500);
    const hu = sample(heUniform, [500, 100]);
    expect(hu.max).toBeLessThanOrEqual(limit);
    expect(hu.min).toBeGreaterThanOrEqual(-limit);
    expect(hu.std).toBeCloseTo(limit / Math.sqrt(3), 3);
  });

  test("zeros, ones, constant, uniform and normal", () => {
    using z = initializers.zeros([2, 3], { dtype: "float64" });
    expect(z.dtype).toBe("float64");
    expect(vals(z)).toEqual([0, 0, 0, 0, 0, 0]);
    using o = initializers.ones([2]);
    expect(vals(o)).toEqual([1, 1]);
    using c = constant(0.5)([3]);
    expect(vals(c)).toEqual([0.5, 0.5, 0.5]);
    const u = sample(uniform(2, 3), [20000]);
    expect(u.min).toBeGreaterThanOrEqual(2);
    expect(u.max).toBeLessThan(3);
    expect(u.mean).toBeCloseTo(2.5, 1);
    const n = sample(normal(1, 0.5), [20000]);
    expect(n.mean).toBeCloseTo(1, 1);
    expect(n.std).toBeCloseTo(0.5, 1);
    const k = sample(uniform(), [20000]);
    expect(k.max).toBeLessThanOrEqual(0.05);
    expect(() => uniform(1, 1)).toThrow(/max 1 must exceed min 1/);
  });

  test("the same seed gives the same weights; a shared Rng continues its stream", () => {
    for (const init of [glorotUniform, glorotNormal, heNormal, heUniform, uniform(), normal()]) {
      using a = init([8, 4], { rng: 42 });
      using b = init([8, 4], { rng: 42 });
      using c = init([8, 4], { rng: 43 });
      expect(vals(a)).toEqual(vals(b));
      expect(vals(a)).not.toEqual(vals(c));
    }
    using d1 = new Dense(16, 8, { seed: 7 });
    using d2 = new Dense(16, 8, { seed: 7 });
    expect(vals(d1.kernel)).toEqual(vals(d2.kernel));
    // One generator across layers: the second layer continues where the first stopped.
    const rng = new Rng(5);
    using first = new Dense(4, 4, { rng });
    using second = new Dense(4, 4, { rng });
    expect(vals(first.kernel)).not.toEqual(vals(second.kernel));
    const again = new Rng(5);
    using firstDraw = glorotUniform([4, 4], { rng: again });
    expect(vals(firstDraw)).toEqual(vals(first.kernel));
    using expected = glorotUniform([4, 4], { rng: again });
    expect(vals(second.kernel)).toEqual(vals(expected));
  });

  test("Dense defaults: glorotUniform kernel within its bound, zero bias", () => {
    using d = new Dense(784, 128, { seed: 1 });
    const limit = Math.sqrt(6 / (784 + 128));
    const s = stats(d.kernel);
    expect(Math.max(Math.abs(s.min), Math.abs(s.max))).toBeLessThanOrEqual(limit);
    expect(Math.max(Math.abs(s.min), Math.abs(s.max))).toBeGreaterThan(0.99 * limit);
    expect(vals(d.bias as Tensor).every((v) => v === 0)).toBe(true);
  });
});
