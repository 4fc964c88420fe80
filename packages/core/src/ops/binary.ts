import type { BinaryOp } from "../backend.js";
import { type DType, promoteTypes } from "../dtype.js";
import { prepareInputs, runOp } from "../engine.js";
import { broadcastShapes } from "../shape.js";
import type { Tensor, TensorLike } from "../tensor.js";
import { withCasts, withOperands } from "./operand.js";

type Family = "arithmetic" | "division" | "comparison" | "logical";

function operandDType(op: string, family: Family, a: DType, b: DType): DType {
  const common = promoteTypes(a, b);
  switch (family) {
    case "logical":
      return "bool";
    case "comparison":
      return common;
    case "division":
      // True division, as in PyTorch and NumPy: int / int is a float.
      return common === "float64" ? "float64" : "float32";
    case "arithmetic":
      if (common === "bool" && op !== "maximum" && op !== "minimum") return "int32";
      return common;
  }
}

function binary(op: BinaryOp, family: Family): (a: TensorLike, b: TensorLike) => Tensor {
  return (a, b) =>
    withOperands(op, a, b, (ta, tb) => {
      // Checked before any cast, so the error names this op and no cast is left behind.
      prepareInputs(op, [ta, tb]);
      const outShape = broadcastShapes(op, ta.shape, tb.shape);
      const dtype = operandDType(op, family, ta.dtype, tb.dtype);
      return withCasts([ta, tb], dtype, ([ca, cb]) => {
        const outDtype = family === "comparison" || family === "logical" ? "bool" : dtype;
        return runOp(op, [ca, cb], {}, (k) => k.binary(op, ca, cb, outShape), outShape, outDtype);
      });
    });
}

/**
 * a + b with NumPy broadcasting; numbers broadcast as scalars.
 *
 * @example
 * ```ts
 * add(tensor([1, 2]), 10); // [11, 12]
 * ```
 */
export const add = binary("add", "arithmetic");
/**
 * a - b with broadcasting.
 *
 * @example
 * ```ts
 * sub(tensor([[1], [2]]), tensor([1, 2])); // [[0, -1], [1, 0]]
 * ```
 */
export const sub = binary("sub", "arithmetic");
/**
 * a · b elementwise, with broadcasting.
 *
 * @example
 * ```ts
 * mul(tensor([1, 2]), tensor([3, 4])); // [3, 8]
 * ```
 */
export const mul = binary("mul", "arithmetic");
/**
 * a / b elementwise (true division: integers give float32).
 *
 * @example
 * ```ts
 * div(tensor([1, 3]), 2); // [0.5, 1.5]
 * ```
 */
export const div = binary("div", "division");
/**
 * a raised to b, elementwise.
 *
 * @example
 * ```ts
 * pow(tensor([2, 3]), 2); // [4, 9]
 * ```
 */
export const pow = binary("pow", "arithmetic");
/**
 * Elementwise maximum (NaN if either is NaN).
 *
 * @example
 * ```ts
 * maximum(tensor([1, 5]), 3); // [3, 5]
 * ```
 */
export const maximum = binary("maximum", "arithmetic");
/**
 * Elementwise minimum (NaN if either is NaN).
 *
 * @example
 * ```ts
 * minimum(tensor([1, 5]), 3); // [1, 3]
 * ```
 */
export const minimum = binary("minimum", "arithmetic");
/**
 * a == b elementwise, as bool.
 *
 * @example
 * ```ts
 * equal(tensor([1, 2]), 2); // [false, true]
 * ```
 */
export const equal = binary("equal", "comparison");
/**
 * a != b elementwise, as bool.
 *
 * @example
 * ```ts
 * notEqual(tensor([1, 2]), 2); // [true, false]
 * ```
 */
export const notEqual = binary("notEqual", "comparison");
/**
 * a < b elementwise, as bool.
 *
 * @example
 * ```ts
 * less(tensor([1, 2]), 2); // [true, false]
 * ```
 */
export const less = binary("less", "comparison");
/**
 * a <= b elementwise, as bool.
 *
 * @example
 * ```ts
 * lessEqual(tensor([1, 2]), 2); // [true, true]
 * ```
 */
export const lessEqual = binary("lessEqual", "comparison");
/**
 * a > b elementwise, as bool.
 *
 * @example
 * ```ts
 * greater(tensor([1, 2]), 1); // [false, true]
 * ```
 */
export const greater = binary("greater", "comparison");
/**
 * a >= b elementwise, as bool.
 *
 * @example
 * ```ts
 * greaterEqual(tensor([1, 2]), 2); // [false, true]
 * ```
 */
export const greaterEqual = binary("greaterEqual", "comparison");
/**
 * Logical and; operands are cast to bool (non-zero is true).
 *
 * @example
 * ```ts
 * logicalAnd(tensor([true, true]), tensor([true, false])); // [true, false]
 * ```
 */
export const logicalAnd = binary("logicalAnd", "logical");
/**
 * Logical or; operands are cast to bool (non-zero is true).
 *
 * @example
 * ```ts
 * logicalOr(tensor([true, false]), tensor([false, false])); // [true, false]
 * ```
 */
export const logicalOr = binary("logicalOr", "logical");
