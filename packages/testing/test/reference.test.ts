import { reference as R } from "@tapegrad/testing";
import { describe, expect, it } from "vitest";

describe("reference", () => {
  it("broadcasts binary ops like NumPy", () => {
    // a: [2, 1], b: [3] → [2, 3]
    const a = R.array([2, 1], [1, 2]);
    const b = R.array([3], [10, 20, 30]);
    const y = R.binary("add", a, b);
    expect(y.shape).toEqual([2, 3]);
    expect(y.values).toEqual([11, 21, 31, 12, 22, 32]);
    // A scalar and an empty dimension.
    expect(R.binary("mul", R.array([], [2]), R.array([2, 2], [1, 2, 3, 4])).values).toEqual([2, 4, 6, 8]);
    expect(R.binary("add", R.array([0, 3], []), R.array([1, 3], [1, 2, 3])).shape).toEqual([0, 3]);
    expect(() => R.broadcastShape([2], [3])).toThrow();
  });

  it("reduces over axes with keepDims and empty axes", () => {
    const x = R.array([2, 3], [1, 2, 3, 4, 5, 6]);
    expect(R.sum(x, [1]).values).toEqual([6, 15]);
    expect(R.sum(x, [0], true)).toEqual({ shape: [1, 3], values: [5, 7, 9] });
    expect(R.sum(x).values).toEqual([21]);
    expect(R.max(x, -1).values).toEqual([3, 6]);
    expect(R.sum(R.array([2, 0], []), 1).values).toEqual([0, 0]);
    expect(R.argReduce("argmax", R.array([2, 3], [1, 5, 5, 7, 0, 7]), 1).values).toEqual([1, 0]);
    expect(R.argReduce("argmin", R.array([3], [2, Number.NaN, 1]), 0).values).toEqual([1]);
    expect(R.variance(R.array([4], [1, 2, 3, 4])).values).toEqual([1.25]);
  });

  it("multiplies batched matrices with transposes and batch broadcasting", () => {
    const a = R.array([2, 2], [1, 2, 3, 4]);
    expect(R.matmul(a, a).values).toEqual([7, 10, 15, 22]);
    expect(R.matmul(a, a, true, false).values).toEqual([10, 14, 14, 20]);
    expect(R.matmul(a, a, false, true).values).toEqual([5, 11, 11, 25]);
    const batched = R.matmul(R.array([2, 1, 2], [1, 0, 0, 1]), a);
    expect(batched.shape).toEqual([2, 1, 2]);
    expect(batched.values).toEqual([1, 2, 3, 4]);
  });

  it("moves data like the movement ops", () => {
    const x = R.array([2, 3], [1, 2, 3, 4, 5, 6]);
    expect(R.transpose(x, [1, 0]).values).toEqual([1, 4, 2, 5, 3, 6]);
    expect(R.slice(x, [0, 1], [2, 2]).values).toEqual([2, 3, 5, 6]);
    expect(R.pad(R.array([2], [1, 2]), [[1, 2]], 0).values).toEqual([0, 1, 2, 0, 0]);
    expect(R.concat([R.array([1, 2], [1, 2]), R.array([1, 1], [3])], 1).values).toEqual([1, 2, 3]);
    expect(R.gather(x, R.array([2], [2, 0]), 1).values).toEqual([3, 1, 6, 4]);
    expect(R.scatterAdd(R.array([3], [1, 2, 3]), R.array([3], [0, 0, 2]), 0, [3]).values).toEqual([3, 0, 3]);
    expect(R.broadcastTo(R.array([2], [1, 2]), [2, 2]).values).toEqual([1, 2, 1, 2]);
    expect(R.tile(R.array([1, 2], [1, 2]), [2, 2]).values).toEqual([1, 2, 1, 2, 1, 2, 1, 2]);
  });

  it("computes the composites stably", () => {
    expect(R.logSumExp(R.array([2], [1000, 1000]), 0).values[0]).toBeCloseTo(1000 + Math.LN2, 10);
    expect(R.logSumExp(R.array([2], [-Infinity, -Infinity]), 0).values).toEqual([-Infinity]);
    expect(R.softmax(R.array([3], [1000, 0, 1000]), 0).values).toEqual([0.5, 0, 0.5]);
    expect(R.sigmoid(R.array([2], [-800, 800])).values).toEqual([0, 1]);
    expect(R.softplus(R.array([1], [800])).values).toEqual([800]);
    expect(R.unary("round", R.array([4], [-2.5, -0.5, 0.5, 1.5])).values).toEqual([-2, -0, 0, 2]);
  });

  it("stores values as each dtype does", () => {
    expect(R.storeAs(-1.7, "int32")).toBe(-1);
    expect(R.storeAs(2 ** 31, "int32")).toBe(-(2 ** 31));
    expect(R.storeAs(Number.NaN, "bool")).toBe(1);
    expect(R.storeAs(0.1, "float32")).toBe(Math.fround(0.1));
  });
});
