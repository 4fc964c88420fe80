import { assertDType, DTYPES, type DType } from "../dtype.js";
import { runOp } from "../engine.js";
import type { Tensor } from "../tensor.js";
import { reshape } from "./reshape.js";

/**
 * Converts to another dtype. Floats to int32 truncate toward zero; anything to bool is
 * `value !== 0`. Casting to the same dtype returns a new view.
 *
 * @example
 * ```ts
 * cast(tensor([1.7, -1.7]), "int32"); // [1, -1]
 * ```
 */
export function cast(x: Tensor, dtype: DType): Tensor {
  assertDType("cast", dtype, DTYPES, "target");
  if (x.dtype === dtype) return clone(x);
  return runOp("cast", [x], { dtype }, (b) => b.cast(x, dtype), x.shape, dtype);
}

/**
 * A new tensor handle with the same values (sharing storage: tensors are immutable).
 *
 * @example
 * ```ts
 * const y = clone(x);
 * x.dispose(); // y is still usable
 * ```
 */
export function clone(x: Tensor): Tensor {
  return reshape(x, x.shape);
}
