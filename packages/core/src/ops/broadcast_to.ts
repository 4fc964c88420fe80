import { prepareInputs, runOp } from "../engine.js";
import { ShapeError } from "../errors.js";
import { assertShape, formatShape, type Shape, shapesEqual } from "../shape.js";
import type { Tensor } from "../tensor.js";
import { clone } from "./cast.js";

/**
 * Repeats size-1 (and missing leading) dimensions up to `shape`, as broadcasting would.
 *
 * @example
 * ```ts
 * broadcastTo(tensor([1, 2]), [3, 2]); // [[1, 2], [1, 2], [1, 2]]
 * ```
 */
export function broadcastTo(x: Tensor, shape: Shape): Tensor {
  prepareInputs("broadcastTo", [x]);
  assertShape("broadcastTo", shape);
  const offset = shape.length - x.rank;
  const ok = offset >= 0 && x.shape.every((d, i) => d === 1 || d === shape[offset + i]);
  if (!ok) throw new ShapeError(`broadcastTo: cannot broadcast ${x.describe()} to ${formatShape(shape)}`);
  if (shapesEqual(x.shape, shape)) return clone(x);
  return runOp("broadcastTo", [x], { shape: [...shape] }, (b) => b.broadcastTo(x, shape), shape, x.dtype);
}
