import { runOp } from "../engine.js";
import { ArgumentError } from "../errors.js";
import type { Tensor } from "../tensor.js";

/**
 * Pads each axis with `paddings[axis] = [before, after]` copies of `value`.
 *
 * @example
 * ```ts
 * pad(tensor([1, 2]), [[1, 2]]); // [0, 1, 2, 0, 0]
 * ```
 */
export function pad(x: Tensor, paddings: readonly (readonly [number, number])[], value = 0): Tensor {
  if (paddings.length !== x.rank) {
    throw new ArgumentError(`pad: got ${paddings.length} paddings for ${x.describe()}, expected ${x.rank}`);
  }
  for (const [before, after] of paddings) {
    if (!Number.isInteger(before) || !Number.isInteger(after) || before < 0 || after < 0) {
      throw new ArgumentError(`pad: paddings ${JSON.stringify(paddings)} must be non-negative integers`);
    }
  }
  const shape = x.shape.map(
    (d, i) => d + (paddings[i] as readonly [number, number])[0] + (paddings[i] as readonly [number, number])[1],
  );
  const p = paddings.map(([a, b]) => [a, b] as const);
  return runOp("pad", [x], { paddings: p, value }, (b) => b.pad(x, p, value), shape, x.dtype);
}
