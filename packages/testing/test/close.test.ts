import { expectClose, isClose } from "@tapegrad/testing";
import { describe, expect, it } from "vitest";

describe("expectClose", () => {
  it("passes within tolerance, NaN and infinity aware", () => {
    expect(() =>
      expectClose([1, 2.00001, Number.NaN, Infinity], [1, 2, Number.NaN, Infinity], { rtol: 1e-4 }),
    ).not.toThrow();
    expect(isClose(Infinity, -Infinity, 1)).toBe(false);
    expect(isClose(Number.NaN, 0, 1)).toBe(false);
  });

  it("names the first mismatch with its index and values", () => {
    expect(() => expectClose([1, 2, 3, 4], [1, 2.5, 3, 5], { rtol: 1e-6, label: "add" })).toThrow(
      /^add: element \[1\] of 4 differs: got 2, expected 2.5 .*2 of 4 elements differ/s,
    );
    expect(() => expectClose([0, 0, 0, 1], [0, 0, 0, 0], { shape: [2, 2] })).toThrow(/element \[1,1\] \(flat 3\)/);
    expect(() => expectClose([Number.NaN], [1])).toThrow(/got NaN, expected 1/);
    expect(() => expectClose([1, 2], [1])).toThrow(/got 2 elements, expected 1/);
  });

  it("measures error against a scale when given one", () => {
    // A sum that cancelled to 0.001 may be off by rtol·Σ|x|.
    expect(() => expectClose([0.0011], [0.001], { rtol: 1e-4, atol: 0 })).toThrow();
    expect(() => expectClose([0.0011], [0.001], { rtol: 1e-4, atol: 0, scale: [1000] })).not.toThrow();
  });
});
