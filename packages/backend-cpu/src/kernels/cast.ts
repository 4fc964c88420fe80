import type { DType, TypedArray } from "@tapegrad/core";
import type { Allocator, ArrayView } from "../kernel_types.js";

/**
 * Converts x to `dtype`. Floats to int32 go through the Int32Array store, which truncates
 * toward zero (NaN becomes 0, out-of-range values wrap); anything to bool is `value !== 0`, so
 * NaN becomes true as in NumPy; float64 to float32 rounds to nearest.
 *
 * @example
 * ```ts
 * cast({ values: new Float32Array([-1.7, 0, NaN]), shape: [3], dtype: "float32" }, "bool", alloc);
 * // Uint8Array [1, 0, 1]
 * ```
 */
export function cast(x: ArrayView, dtype: DType, alloc: Allocator): TypedArray {
  const src = x.values;
  const n = src.length;
  const out = alloc(dtype, n, false);
  if (dtype === "bool" && x.dtype !== "bool") {
    for (let i = 0; i < n; i++) out[i] = src[i] !== 0 ? 1 : 0;
  } else {
    out.set(src);
  }
  return out;
}
