import type { UnaryOp } from "../backend.js";
import { assertDType, type DType, FLOAT_DTYPES, NUMERIC_DTYPES } from "../dtype.js";
import { prepareInputs, runOp } from "../engine.js";
import type { Tensor } from "../tensor.js";

function unary(op: UnaryOp, allowed: readonly DType[]): (x: Tensor) => Tensor {
  return (x) => {
    prepareInputs(op, [x]);
    assertDType(op, x.dtype, allowed);
    return runOp(op, [x], {}, (b) => b.unary(op, x), x.shape, x.dtype);
  };
}

/**
 * -x, elementwise.
 *
 * @example
 * ```ts
 * neg(tensor([1, -2])); // [-1, 2]
 * ```
 */
export const neg = unary("neg", NUMERIC_DTYPES);
/**
 * e^x, elementwise (float dtypes).
 *
 * @example
 * ```ts
 * exp(tensor([0, 1])); // [1, 2.718...]
 * ```
 */
export const exp = unary("exp", FLOAT_DTYPES);
/**
 * Natural logarithm, elementwise (float dtypes); log(0) = -Infinity.
 *
 * @example
 * ```ts
 * log(tensor([1, Math.E])); // [0, 1]
 * ```
 */
export const log = unary("log", FLOAT_DTYPES);
/**
 * log(1 + x), accurate for small x (float dtypes).
 *
 * @example
 * ```ts
 * log1p(tensor([1e-10])); // [1e-10]
 * ```
 */
export const log1p = unary("log1p", FLOAT_DTYPES);
/**
 * Square root, elementwise (float dtypes).
 *
 * @example
 * ```ts
 * sqrt(tensor([4, 9])); // [2, 3]
 * ```
 */
export const sqrt = unary("sqrt", FLOAT_DTYPES);
/**
 * |x|, elementwise.
 *
 * @example
 * ```ts
 * abs(tensor([-1, 2])); // [1, 2]
 * ```
 */
export const abs = unary("abs", NUMERIC_DTYPES);
/**
 * -1, 0 or 1 by the sign of x (its gradient is zero).
 *
 * @example
 * ```ts
 * sign(tensor([-3, 0, 2])); // [-1, 0, 1]
 * ```
 */
export const sign = unary("sign", NUMERIC_DTYPES);
/**
 * Sine, elementwise (float dtypes).
 *
 * @example
 * ```ts
 * sin(tensor([0])); // [0]
 * ```
 */
export const sin = unary("sin", FLOAT_DTYPES);
/**
 * Cosine, elementwise (float dtypes).
 *
 * @example
 * ```ts
 * cos(tensor([0])); // [1]
 * ```
 */
export const cos = unary("cos", FLOAT_DTYPES);
/**
 * Hyperbolic tangent, elementwise (float dtypes).
 *
 * @example
 * ```ts
 * tanh(tensor([0])); // [0]
 * ```
 */
export const tanh = unary("tanh", FLOAT_DTYPES);
/**
 * 1 / x, elementwise (float dtypes).
 *
 * @example
 * ```ts
 * reciprocal(tensor([2, 4])); // [0.5, 0.25]
 * ```
 */
export const reciprocal = unary("reciprocal", FLOAT_DTYPES);
/**
 * Largest integer ≤ x (identity on int32; gradient zero).
 *
 * @example
 * ```ts
 * floor(tensor([1.5, -1.5])); // [1, -2]
 * ```
 */
export const floor = unary("floor", NUMERIC_DTYPES);
/**
 * Smallest integer ≥ x (identity on int32; gradient zero).
 *
 * @example
 * ```ts
 * ceil(tensor([1.5, -1.5])); // [2, -1]
 * ```
 */
export const ceil = unary("ceil", NUMERIC_DTYPES);
/**
 * Nearest integer, halves to even as in NumPy (identity on int32; gradient zero).
 *
 * @example
 * ```ts
 * round(tensor([0.5, 1.5, 2.4])); // [0, 2, 2]
 * ```
 */
export const round = unary("round", NUMERIC_DTYPES);
/**
 * Logical not of a bool tensor.
 *
 * @example
 * ```ts
 * logicalNot(tensor([true, false])); // [false, true]
 * ```
 */
export const logicalNot = unary("logicalNot", ["bool"]);
