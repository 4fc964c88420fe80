import { promoteTypes } from "../dtype.js";
import { prepareInputs, runOp } from "../engine.js";
import { DTypeError } from "../errors.js";
import { broadcastShapes } from "../shape.js";
import type { Tensor, TensorLike } from "../tensor.js";
import { scalarDTypeFor, scalarTensor, withCasts } from "./operand.js";

/**
 * Picks `a` where `cond` is true and `b` elsewhere; all three broadcast together.
 *
 * @example
 * ```ts
 * where(greater(x, 0), x, 0); // relu
 * ```
 */
export function where(cond: Tensor, a: TensorLike, b: TensorLike): Tensor {
  if (cond.dtype !== "bool") throw new DTypeError(`where: condition has dtype ${cond.dtype}, expected bool`);
  const ref = typeof a === "number" ? (typeof b === "number" ? undefined : b) : a;
  const refDtype = ref?.dtype ?? "float32";
  const ta = typeof a === "number" ? scalarTensor(a, scalarDTypeFor(a, refDtype)) : a;
  const tb = typeof b === "number" ? scalarTensor(b, scalarDTypeFor(b, refDtype)) : b;
  try {
    prepareInputs("where", [cond, ta, tb]);
    const outShape = broadcastShapes("where", broadcastShapes("where", cond.shape, ta.shape), tb.shape);
    const dtype = promoteTypes(ta.dtype, tb.dtype);
    return withCasts([ta, tb], dtype, ([ca, cb]) =>
      runOp("where", [cond, ca, cb], {}, (k) => k.where(cond, ca, cb, outShape), outShape, dtype),
    );
  } finally {
    if (ta !== a) ta.dispose();
    if (tb !== b) tb.dispose();
  }
}
