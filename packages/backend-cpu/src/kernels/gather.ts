import type { Shape, TypedArray } from "@tapegrad/core";
import { BackendError } from "@tapegrad/core";
import type { Allocator, ArrayView } from "../kernel_types.js";
import { product } from "../strided.js";

/**
 * Takes slices of x along `axis` at `indices` (int32, any shape): output shape is
 * x.shape[:axis] ++ indices.shape ++ x.shape[axis+1:]. Each taken slice is a contiguous block
 * copy. An index out of range throws a BackendError rather than reading past the tensor.
 *
 * @example
 * ```ts
 * gather(x, { values: new Int32Array([2, 0]), shape: [2], dtype: "int32" }, 0, alloc); // rows 2 and 0
 * ```
 */
export function gather(x: ArrayView, indices: ArrayView, axis: number, alloc: Allocator): TypedArray {
  const outer = product(x.shape, 0, axis);
  const len = x.shape[axis] as number;
  const inner = product(x.shape, axis + 1);
  const idx = indices.values;
  const count = idx.length;
  const out = alloc(x.dtype, outer * count * inner, false);
  const src = x.values;
  let o = 0;
  for (let r = 0; r < outer; r++) {
    for (let t = 0; t < count; t++) {
      const from = (r * len + checkIndex("gather", idx[t] as number, len)) * inner;
      out.set(src.subarray(from, from + inner), o);
      o += inner;
    }
  }
  return out;
}

/**
 * The adjoint of {@link gather}: a zero tensor of `outShape` into which each slice of `updates`
 * is added at its index along `axis`; repeated indices accumulate. For bool, adding is logical
 * or, so results stay 0/1.
 *
 * @example
 * ```ts
 * scatterAdd(updates, { values: new Int32Array([1, 1]), shape: [2], dtype: "int32" }, 0, [3], alloc);
 * // updates [a, b] → [0, a + b, 0]
 * ```
 */
export function scatterAdd(
  updates: ArrayView,
  indices: ArrayView,
  axis: number,
  outShape: Shape,
  alloc: Allocator,
): TypedArray {
  const outer = product(outShape, 0, axis);
  const len = outShape[axis] as number;
  const inner = product(outShape, axis + 1);
  const idx = indices.values;
  const count = idx.length;
  const out = alloc(updates.dtype, outer * len * inner, true);
  const src = updates.values;
  const isBool = updates.dtype === "bool";
  let u = 0;
  for (let r = 0; r < outer; r++) {
    for (let t = 0; t < count; t++) {
      const to = (r * len + checkIndex("scatterAdd", idx[t] as number, len)) * inner;
      if (isBool) {
        for (let j = 0; j < inner; j++) out[to + j] = (out[to + j] as number) | (src[u + j] as number);
      } else {
        for (let j = 0; j < inner; j++) out[to + j] = (out[to + j] as number) + (src[u + j] as number);
      }
      u += inner;
    }
  }
  return out;
}

function checkIndex(op: string, i: number, len: number): number {
  if (i < 0 || i >= len) throw new BackendError(`cpu: ${op} index ${i} is out of range for an axis of size ${len}`);
  return i;
}
