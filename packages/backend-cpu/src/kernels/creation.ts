import type { DType, TypedArray } from "@tapegrad/core";
import type { Allocator } from "../kernel_types.js";

/**
 * `size` elements equal to `value`, stored as the dtype stores it (bool: `value !== 0`).
 *
 * @example
 * ```ts
 * fill(3, 1.5, "int32", alloc); // Int32Array [1, 1, 1]
 * ```
 */
export function fill(size: number, value: number, dtype: DType, alloc: Allocator): TypedArray {
  const out = alloc(dtype, size, false);
  out.fill(dtype === "bool" ? (value !== 0 ? 1 : 0) : value);
  return out;
}

/**
 * start, start + step, … (`size` elements), each computed as `start + i * step` so no rounding
 * error accumulates along the range.
 *
 * @example
 * ```ts
 * arange(0, 0.5, 4, "float32", alloc); // [0, 0.5, 1, 1.5]
 * ```
 */
export function arange(start: number, step: number, size: number, dtype: DType, alloc: Allocator): TypedArray {
  const out = alloc(dtype, size, false);
  if (dtype === "bool") {
    for (let i = 0; i < size; i++) out[i] = start + i * step !== 0 ? 1 : 0;
  } else {
    for (let i = 0; i < size; i++) out[i] = start + i * step;
  }
  return out;
}
