import { grad, gradcheck, grads } from "@tapegrad/autograd";
import { dense, div, exp, mul, sum, type Tensor } from "@tapegrad/core";
import { describe, expect, it } from "vitest";
import { f64 } from "./helpers.js";

// Bugs the property tests found, pinned as examples.

describe("regressions", () => {
  it("div with only the numerator differentiated returns one gradient per input", () => {
    // The div rule returned [da] instead of [da, null] when b needed no gradient.
    const b = f64([2, 4], [2]);
    const da = grad((a: Tensor) => sum(div(a, b)))(f64([1, 1], [2]));
    expect(da.toArray()).toEqual([0.5, 0.25]);
  });

  it("dense without a bias has two inputs, so two gradients", () => {
    // The dense rule always returned three gradients, also for dense(x, w, null).
    const x = f64([1, 2], [1, 2]);
    const w = f64([0.5, -0.5], [2, 1]);
    expect(gradcheck((x, w) => dense(x, w, null, "sigmoid"), [x, w]).ok).toBe(true);
    const { w: dw } = grads(() => sum(dense(x, w, null, "linear")), { w });
    expect(dw.toArray()).toEqual([[1], [2]]);
  });

  it("grad(grad(f)) sees the inner function's argument as the outer one's", () => {
    // grad passes each differentiated argument as a fresh handle; made with stopGradient, the
    // enclosing tape lost track of it and second derivatives came out 0.
    const x = f64([0.3], []);
    expect(grad(grad((x: Tensor) => exp(mul(x, 2))))(x).item()).toBeCloseTo(4 * Math.exp(0.6), 12);
  });
});
