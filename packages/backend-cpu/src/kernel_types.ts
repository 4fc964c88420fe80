import type { DType, Shape, TypedArray } from "@tapegrad/core";

/**
 * What a kernel reads: an operand's elements with the shape and dtype core validated.
 *
 * @example
 * ```ts
 * const x: ArrayView = { values: new Float32Array(6), shape: [2, 3], dtype: "float32" };
 * ```
 */
export interface ArrayView {
  readonly values: TypedArray;
  readonly shape: Shape;
  readonly dtype: DType;
}

/**
 * Where kernels get output arrays: from the backend's pool. `zeroed` must be true unless the
 * kernel writes every element, since a pooled array holds whatever its last owner left.
 *
 * @example
 * ```ts
 * const alloc: Allocator = (dtype, length, zeroed) => pool.alloc(dtype, length, zeroed);
 * ```
 */
export type Allocator = (dtype: DType, length: number, zeroed: boolean) => TypedArray;
