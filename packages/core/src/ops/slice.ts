import { runOp } from "../engine.js";
import { ArgumentError } from "../errors.js";
import type { Tensor } from "../tensor.js";

/**
 * The box of `x` starting at `begin` with extent `size` along each axis. A size of -1 means
 * "to the end"; `begin` and `size` may be shorter than the rank (the rest is taken whole).
 *
 * @example
 * ```ts
 * slice(arange(10).reshape([2, 5]), [0, 1], [2, 3]); // [[1, 2, 3], [6, 7, 8]]
 * ```
 */
export function slice(x: Tensor, begin: readonly number[], size?: readonly number[]): Tensor {
  if (begin.length > x.rank || (size !== undefined && size.length > x.rank)) {
    throw new ArgumentError(`slice: begin/size longer than the rank of ${x.describe()}`);
  }
  const b = x.shape.map((_, i) => begin[i] ?? 0);
  const s = x.shape.map((d, i) => {
    const want = size?.[i] ?? -1;
    return want === -1 ? d - (b[i] as number) : want;
  });
  for (let i = 0; i < x.rank; i++) {
    const bi = b[i] as number;
    const si = s[i] as number;
    if (!Number.isInteger(bi) || !Number.isInteger(si) || bi < 0 || si < 0 || bi + si > (x.shape[i] as number)) {
      throw new ArgumentError(
        `slice: begin [${b.join(",")}] size [${s.join(",")}] fall outside ${x.describe()} on axis ${i}`,
      );
    }
  }
  return runOp("slice", [x], { begin: b, size: s }, (k) => k.slice(x, b, s), s, x.dtype);
}
