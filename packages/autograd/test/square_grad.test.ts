// mul(x, x) returns one gradient 2·(dy·x) instead of two dy·x that the sweep adds: the same
// numbers, bit for bit, in first and second order, and only where both operands are one tensor.
import { grad, valueAndGrads } from "@tapegrad/autograd";
import { mul, square, sum, type Tensor, tensor } from "@tapegrad/core";
import { describe, expect, it } from "vitest";
import { f64 } from "./helpers.js";

describe("the gradient of x·x", () => {
  it("is 2·x·dy exactly, in float32 and float64", () => {
    for (const dtype of ["float32", "float64"] as const) {
      using x = tensor([0.1, -3.7, 0, 1e-20, 2.5e30], { dtype });
      using w = tensor([1.3, 0.7, -2, 5, 1e-8], { dtype });
      // sum(w · x²): dx = 2·w·x, computed the old way (two w·x added) for comparison.
      const { value, grads: g } = valueAndGrads(() => sum(mul(w, square(x))), [x]);
      value.dispose();
      using dx = g[0] as Tensor;
      const wx = Array.from(w.dataSync(), (wi, i) => wi * (x.dataSync()[i] as number));
      const expected = dtype === "float32" ? Float32Array.from(wx).map((v) => v + v) : wx.map((v) => v + v);
      expect(Array.from(dx.dataSync())).toEqual(Array.from(expected));
    }
  });

  it("still differentiates a product of two different tensors on both sides", () => {
    using a = f64([2, 3], [2]);
    using b = f64([5, 7], [2]);
    const { value, grads: g } = valueAndGrads(() => sum(mul(a, b)), [a, b]);
    value.dispose();
    expect(g.map((t) => Array.from((t as Tensor).dataSync()))).toEqual([
      [5, 7],
      [2, 3],
    ]);
    for (const t of g) t?.dispose();
  });

  it("has second derivative 2", () => {
    using x = f64([1.5, -2], [2]);
    const d2 = grad((t: Tensor) => sum(grad((u: Tensor) => sum(mul(u, u)))(t)));
    using h = d2(x);
    expect(Array.from(h.dataSync())).toEqual([2, 2]);
  });
});
