import { promoteTypes } from "../dtype.js";
import { runOp } from "../engine.js";
import { DTypeError } from "../errors.js";
import { broadcastShapes } from "../shape.js";
import type { Tensor, TensorLike } from "../tensor.js";
import { cast } from "./cast.js";
import { scalarDTypeFor, scalarTensor } from "./operand.js";

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
  const made: Tensor[] = [];
  if (ta !== a) made.push(ta);
  if (tb !== b) made.push(tb);
  try {
    const outShape = broadcastShapes("where", broadcastShapes("where", cond.shape, ta.shape), tb.shape);
    const dtype = promoteTypes(ta.dtype, tb.dtype);
    const ca = ta.dtype === dtype ? ta : cast(ta, dtype);
    const cb = tb.dtype === dtype ? tb : cast(tb, dtype);
    if (ca !== ta) made.push(ca);
    if (cb !== tb) made.push(cb);
    return runOp("where", [cond, ca, cb], {}, (k) => k.where(cond, ca, cb, outShape), outShape, dtype);
  } finally {
    for (const t of made) t.dispose();
  }
}
