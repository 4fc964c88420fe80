import { promoteTypes } from "../dtype.js";
import { prepareInputs, runOp } from "../engine.js";
import { ArgumentError, ShapeError } from "../errors.js";
import { formatShape, normalizeAxis } from "../shape.js";
import type { Tensor } from "../tensor.js";
import { withCasts } from "./operand.js";

/**
 * Joins tensors along an existing axis; shapes must agree on every other axis.
 *
 * @example
 * ```ts
 * concat([ones([2, 1]), zeros([2, 3])], 1).shape; // [2, 4]
 * ```
 */
export function concat(xs: readonly Tensor[], axis = 0): Tensor {
  const first = xs[0];
  if (first === undefined) throw new ArgumentError("concat: got no tensors, expected at least one");
  const a = normalizeAxis("concat", axis, first.rank);
  for (const t of xs) {
    const ok = t.rank === first.rank && t.shape.every((d, i) => i === a || d === first.shape[i]);
    if (!ok) {
      throw new ShapeError(`concat: shapes ${xs.map((x) => formatShape(x.shape)).join(", ")} differ outside axis ${a}`);
    }
  }
  prepareInputs("concat", xs);
  const dtype = xs.map((t) => t.dtype).reduce(promoteTypes);
  const shape = first.shape.map((d, i) => (i === a ? xs.reduce((s, t) => s + (t.shape[a] as number), 0) : d));
  return withCasts(xs, dtype, (cs) => runOp("concat", cs, { axis: a }, (b) => b.concat(cs, a), shape, dtype));
}
