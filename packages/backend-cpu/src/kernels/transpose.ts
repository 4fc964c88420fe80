import type { TypedArray } from "@tapegrad/core";
import { stridesOf } from "@tapegrad/core";
import type { Allocator, ArrayView } from "../kernel_types.js";
import { copyStrided } from "./copy_strided.js";

/**
 * Permutes axes: output axis k is input axis `perm[k]`. The output is written in order while
 * the input is read through permuted strides.
 *
 * @example
 * ```ts
 * transpose({ values: new Float32Array([1, 2, 3, 4, 5, 6]), shape: [2, 3], dtype: "float32" }, [1, 0], alloc);
 * // [1, 4, 2, 5, 3, 6]
 * ```
 */
export function transpose(x: ArrayView, perm: readonly number[], alloc: Allocator): TypedArray {
  const inStrides = stridesOf(x.shape);
  const outShape = perm.map((p) => x.shape[p] as number);
  const out = alloc(x.dtype, x.values.length, false);
  copyStrided(
    x.values,
    outShape,
    perm.map((p) => inStrides[p] as number),
    0,
    out,
    stridesOf(outShape),
    0,
  );
  return out;
}
