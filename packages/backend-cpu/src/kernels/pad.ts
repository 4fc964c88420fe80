import type { TypedArray } from "@tapegrad/core";
import { sizeOf, stridesOf } from "@tapegrad/core";
import type { Allocator, ArrayView } from "../kernel_types.js";
import { copyStrided } from "./copy_strided.js";

/**
 * Pads each axis with `paddings[axis] = [before, after]` elements equal to `value` (stored as
 * the dtype stores it: truncated for int32, `value !== 0` for bool).
 *
 * @example
 * ```ts
 * pad({ values: new Float32Array([1, 2]), shape: [2], dtype: "float32" }, [[1, 0]], 0, alloc);
 * // [0, 1, 2]
 * ```
 */
export function pad(
  x: ArrayView,
  paddings: readonly (readonly [number, number])[],
  value: number,
  alloc: Allocator,
): TypedArray {
  const outShape = x.shape.map((d, i) => {
    const [before, after] = paddings[i] as readonly [number, number];
    return d + before + after;
  });
  const outStrides = stridesOf(outShape);
  const out = alloc(x.dtype, sizeOf(outShape), false);
  out.fill(x.dtype === "bool" ? (value !== 0 ? 1 : 0) : value);
  let base = 0;
  for (let d = 0; d < outShape.length; d++) {
    base += ((paddings[d] as readonly [number, number])[0] as number) * (outStrides[d] as number);
  }
  copyStrided(x.values, x.shape, stridesOf(x.shape), 0, out, outStrides, base);
  return out;
}
