import { assertDType, NUMERIC_DTYPES } from "../dtype.js";
import { prepareInputs } from "../engine.js";
import type { Tensor } from "../tensor.js";
import { less, notEqual } from "./binary.js";
import { abs } from "./unary.js";

/**
 * True where x is NaN.
 *
 * @example
 * ```ts
 * isNaN(tensor([NaN, 1])); // [true, false]
 * ```
 */
export function isNaN(x: Tensor): Tensor {
  prepareInputs("isNaN", [x]);
  assertDType("isNaN", x.dtype, NUMERIC_DTYPES);
  return notEqual(x, x);
}

/**
 * True where x is neither infinite nor NaN.
 *
 * @example
 * ```ts
 * isFinite(tensor([Infinity, NaN, 1])); // [false, false, true]
 * ```
 */
export function isFinite(x: Tensor): Tensor {
  prepareInputs("isFinite", [x]);
  assertDType("isFinite", x.dtype, NUMERIC_DTYPES);
  using a = abs(x);
  // NaN < Infinity is false, so this also rules out NaN.
  return less(a, Number.POSITIVE_INFINITY);
}
