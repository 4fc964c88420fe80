import type { Shape, TypedArray } from "@tapegrad/core";
import { planStrided } from "../strided.js";

/**
 * Copies the elements of a strided view of `src` (iteration `shape`, per-axis `srcStrides`,
 * starting at `srcBase`) into `dst` laid out with `dstStrides` from `dstBase`. Transpose,
 * broadcastTo, slice and pad are all this one walk with different strides, so they share it.
 *
 * @example
 * ```ts
 * // 2×3 transpose into a 3×2 destination
 * copyStrided(src, [3, 2], [1, 3], 0, dst, [2, 1], 0);
 * ```
 */
export function copyStrided(
  src: TypedArray,
  shape: Shape,
  srcStrides: readonly number[],
  srcBase: number,
  dst: TypedArray,
  dstStrides: readonly number[],
  dstBase: number,
): void {
  const plan = planStrided(shape, [srcStrides, dstStrides], [srcBase, dstBase]);
  const offS = plan.offsets[0] as Int32Array;
  const offD = plan.offsets[1] as Int32Array;
  const ss = plan.innerStrides[0] as number;
  const sd = plan.innerStrides[1] as number;
  const inner = plan.inner;
  for (let r = 0; r < plan.rows; r++) {
    let is = offS[r] as number;
    let id = offD[r] as number;
    if (ss === 1 && sd === 1) {
      dst.set(src.subarray(is, is + inner), id);
    } else {
      for (let j = 0; j < inner; j++, is += ss, id += sd) dst[id] = src[is] as number;
    }
  }
}
