import { getOpObserver, makeTensor, prepareInputs } from "../engine.js";
import { ArgumentError, kindOf, ShapeError } from "../errors.js";
import { formatShape, type Shape, sizeOf } from "../shape.js";
import type { Tensor } from "../tensor.js";

/**
 * The same elements in a new shape (a view: no copy). One dimension may be -1 and is
 * inferred.
 *
 * @example
 * ```ts
 * reshape(arange(6), [2, -1]).shape; // [2, 3]
 * ```
 */
export function reshape(x: Tensor, shape: Shape): Tensor {
  const backend = prepareInputs("reshape", [x]);
  const resolved = resolveShape(x, shape);
  const out = makeTensor(x.dataId, resolved, x.dtype, backend);
  const observer = getOpObserver();
  if (observer?.tracks([x])) observer.record("reshape", [x], out, { shape: resolved });
  return out;
}

function resolveShape(x: Tensor, shape: Shape): number[] {
  if (!Array.isArray(shape)) {
    throw new ArgumentError(`reshape: shape is ${kindOf(shape)}, expected an array of dimensions`);
  }
  const inferred = shape.filter((d) => d === -1).length;
  if (inferred > 1) throw new ArgumentError(`reshape: shape ${formatShape(shape)} has more than one -1`);
  for (const d of shape) {
    if (d !== -1 && (!Number.isInteger(d) || d < 0)) {
      throw new ArgumentError(`reshape: shape ${formatShape(shape)} must hold non-negative integers or one -1`);
    }
  }
  const known = sizeOf(shape.filter((d) => d !== -1));
  const out = shape.map((d) => (d === -1 ? (known === 0 ? 0 : x.size / known) : d));
  if (sizeOf(out) !== x.size || out.some((d) => !Number.isInteger(d))) {
    throw new ShapeError(`reshape: cannot reshape ${x.describe()} (${x.size} elements) to ${formatShape(shape)}`);
  }
  return out;
}
