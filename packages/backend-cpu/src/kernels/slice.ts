import type { TypedArray } from "@tapegrad/core";
import { sizeOf, stridesOf } from "@tapegrad/core";
import type { Allocator, ArrayView } from "../kernel_types.js";
import { copyStrided } from "./copy_strided.js";

/**
 * The box of x starting at `begin` with extent `size` (step 1).
 *
 * @example
 * ```ts
 * slice({ values: new Float32Array([1, 2, 3, 4]), shape: [2, 2], dtype: "float32" }, [0, 1], [2, 1], alloc);
 * // [2, 4]
 * ```
 */
export function slice(x: ArrayView, begin: readonly number[], size: readonly number[], alloc: Allocator): TypedArray {
  const inStrides = stridesOf(x.shape);
  let base = 0;
  for (let d = 0; d < begin.length; d++) base += (begin[d] as number) * (inStrides[d] as number);
  const out = alloc(x.dtype, sizeOf(size), false);
  copyStrided(x.values, size, inStrides, base, out, stridesOf(size), 0);
  return out;
}
