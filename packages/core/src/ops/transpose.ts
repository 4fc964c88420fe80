import { runOp } from "../engine.js";
import { ArgumentError } from "../errors.js";
import type { Tensor } from "../tensor.js";

/**
 * Permutes axes: output axis k is input axis `perm[k]`. Without `perm`, reverses the axes.
 *
 * @example
 * ```ts
 * transpose(zeros([2, 3, 4]), [0, 2, 1]).shape; // [2, 4, 3]
 * ```
 */
export function transpose(x: Tensor, perm?: readonly number[]): Tensor {
  const p = perm ?? x.shape.map((_, i) => x.rank - 1 - i);
  const sorted = [...p].sort((a, b) => a - b);
  if (p.length !== x.rank || sorted.some((v, i) => v !== i)) {
    throw new ArgumentError(
      `transpose: perm [${p.join(",")}] is not a permutation of the ${x.rank} axes of ${x.describe()}`,
    );
  }
  const shape = p.map((i) => x.shape[i] as number);
  return runOp("transpose", [x], { perm: p }, (b) => b.transpose(x, p), shape, x.dtype);
}
