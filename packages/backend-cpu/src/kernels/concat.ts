import type { TypedArray } from "@tapegrad/core";
import type { Allocator, ArrayView } from "../kernel_types.js";
import { product } from "../strided.js";

/**
 * Joins same-dtype tensors along `axis`. For every index of the leading axes each input
 * contributes one contiguous chunk, so the copy is a sequence of block moves.
 *
 * @example
 * ```ts
 * concat([a, b], 0, alloc); // a: [1, 3], b: [2, 3] → [3, 3]
 * ```
 */
export function concat(xs: readonly ArrayView[], axis: number, alloc: Allocator): TypedArray {
  const first = xs[0] as ArrayView;
  const outer = product(first.shape, 0, axis);
  const inner = product(first.shape, axis + 1);
  let axisTotal = 0;
  for (const x of xs) axisTotal += x.shape[axis] as number;
  const rowLen = axisTotal * inner;
  const out = alloc(first.dtype, outer * rowLen, false);
  let start = 0;
  for (const x of xs) {
    const chunk = (x.shape[axis] as number) * inner;
    const v = x.values;
    for (let o = 0; o < outer; o++) out.set(v.subarray(o * chunk, (o + 1) * chunk), o * rowLen + start);
    start += chunk;
  }
  return out;
}
