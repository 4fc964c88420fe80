import {
  customGrad,
  GradcheckError,
  type GradcheckOptions,
  type GradcheckResult,
  gradcheck,
  gradgradcheck,
} from "@tapegrad/autograd";
import {
  ArgumentError,
  add,
  DTypeError,
  exp,
  gather,
  mul,
  square,
  sum,
  type Tensor,
  tanh,
  tensor,
} from "@tapegrad/core";
import { describe, expect, it } from "vitest";
import { f64, live } from "./helpers.js";

/** x² with a deliberately wrong derivative 2x + 0.1 (a typical off-by-a-term bug). */
const wrongSquare = customGrad(
  (x: Tensor) => ({ value: square(x) }),
  (dy, _saved, [x]) => [mul(dy, add(mul(x, 2), 0.1))],
);

/** e^x whose backward reads the saved e^x: right first derivative, but the residual is a
 * constant to the second one. */
const expFrozenResidual = customGrad(
  (x: Tensor) => {
    const e = exp(x);
    return { value: e, save: [e] };
  },
  (dy, [e]) => [mul(dy, e as Tensor)],
);

describe("gradcheck", () => {
  const x = f64([0.5, -1.2, 2], [3]);

  it("passes a correct gradient and reports the numbers", () => {
    const r = gradcheck((x) => sum(mul(tanh(x), x)), [x]);
    expect(r.ok).toBe(true);
    expect(r.mode).toBe("full");
    expect(r.checked).toBe(3);
    expect(r.maxAbsError).toBeLessThan(1e-8);
    expect(r.report).toMatch(/^gradcheck passed/);
  });

  it("finds a wrong gradient and names the worst Jacobian entry", () => {
    const r = gradcheck((x) => wrongSquare(x), [x], { raise: false });
    expect(r.ok).toBe(false);
    expect(r.failures).toBe(3);
    expect(r.maxAbsError).toBeCloseTo(0.1, 6);
    const worst = r.worst as NonNullable<GradcheckResult["worst"]>;
    expect(worst.input).toBe(0);
    expect(worst.index).toEqual(worst.outputIndex);
    expect(worst.analytic - worst.numeric).toBeCloseTo(0.1, 6);
    expect(r.report).toMatch(/gradcheck failed .* 3 of 9 entries out of tolerance/);
    expect(r.report).toMatch(/worst: ∂output\[\d\]\/∂input0\[\d\]: analytic .* numeric/);
  });

  it("throws a GradcheckError carrying the report by default", () => {
    expect(() => gradcheck((x) => wrongSquare(x), [x])).toThrow(GradcheckError);
    try {
      gradcheck((x) => wrongSquare(x), [x]);
    } catch (e) {
      expect((e as GradcheckError).message).toMatch(/worst/);
      expect((e as GradcheckError).result?.ok).toBe(false);
    }
  });

  it("fast mode checks one random projection, reproducibly by seed", () => {
    const good = gradcheck((x) => exp(x), [x], { mode: "fast", seed: 3 });
    expect(good.ok).toBe(true);
    expect(good.checked).toBe(1);
    expect(good.worst?.input).toBe(-1);
    const bad = gradcheck((x) => wrongSquare(x), [x], { mode: "fast", seed: 3, raise: false });
    expect(bad.ok).toBe(false);
    expect(bad.report).toMatch(/random projection/);
    const again = gradcheck((x) => wrongSquare(x), [x], { mode: "fast", seed: 3, raise: false });
    expect(again.worst).toEqual(bad.worst);
  });

  it("refuses float32 inputs, telling to use float64", () => {
    const x32 = tensor([1, 2]);
    expect(() => gradcheck((x) => exp(x), [x32])).toThrow(DTypeError);
    expect(() => gradcheck((x) => exp(x), [x32])).toThrow(/float32\[2\].*float64/);
  });

  it("passes int32 inputs through as constants", () => {
    const table = f64([1, 2, 3, 4, 5, 6], [3, 2]);
    const idx = tensor([2, 0, 2], { dtype: "int32" });
    const r = gradcheck((t, i) => gather(t, i as Tensor, 0), [table, idx]);
    expect(r.ok).toBe(true);
    expect(r.checked).toBe(6 * 6);
  });

  it("refuses bad options and arguments, naming the option and what it expects", () => {
    const f = (x: Tensor) => sum(exp(x));
    const bad: [GradcheckOptions, RegExp][] = [
      [{ mode: "bogus" as never }, /^gradcheck: option mode is "bogus", expected "full" or "fast"$/],
      [{ eps: 0 }, /^gradcheck: option eps is 0, expected a finite number > 0$/],
      [{ eps: -1e-6 }, /option eps is -0\.000001/],
      [{ atol: -1 }, /^gradcheck: option atol is -1, expected a number ≥ 0$/],
      [{ rtol: Number.NaN }, /^gradcheck: option rtol is NaN, expected a number ≥ 0$/],
      [{ seed: 1.5 }, /^gradcheck: option seed is 1\.5, expected an integer$/],
      [{ raise: "no" as never }, /^gradcheck: option raise is "no", expected a boolean$/],
    ];
    for (const [options, message] of bad) {
      expect(() => gradcheck(f, [x], options)).toThrow(ArgumentError);
      expect(() => gradcheck(f, [x], options)).toThrow(message);
    }
    expect(() => gradgradcheck(f, [x], { mode: "slow" as never })).toThrow(/^gradgradcheck: option mode is "slow"/);
    expect(() => gradcheck(f, [x], null as never)).toThrow(/^gradcheck: options is null, expected an object$/);
    expect(() => gradcheck(f, x as never)).toThrow(/^gradcheck: inputs is object, expected an array of tensors$/);
    expect(() => gradcheck(3 as never, [x])).toThrow(/^gradcheck: f is number, expected a function$/);
    expect(() => gradgradcheck(f, [1 as never])).toThrow(/^gradgradcheck: input 0 is not a Tensor$/);
  });

  it("honours atol and rtol", () => {
    const loose = gradcheck((x) => wrongSquare(x), [x], { atol: 0.2, raise: false });
    expect(loose.ok).toBe(true);
  });

  it("leaves no tensors behind", () => {
    const before = live();
    gradcheck((x) => sum(exp(x)), [x]);
    gradcheck((x) => wrongSquare(x), [x], { raise: false });
    gradgradcheck((x) => exp(x), [x]);
    expect(live()).toBe(before);
  });
});

describe("gradgradcheck", () => {
  const x = f64([0.3, -0.7], [2]);

  it("passes correct second derivatives", () => {
    expect(gradgradcheck((x) => mul(exp(x), tanh(x)), [x]).ok).toBe(true);
  });

  it("catches a backward that is right to first order only", () => {
    expect(gradcheck((x) => expFrozenResidual(x), [x]).ok).toBe(true);
    const r = gradgradcheck((x) => expFrozenResidual(x), [x], { raise: false });
    expect(r.ok).toBe(false);
    expect(r.report).toMatch(/^gradgradcheck failed/);
  });
});
