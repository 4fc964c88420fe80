import { type DType, type Tensor, type TypedArray, tensor } from "@tapegrad/core";

/**
 * A tensor described by plain data: what the arbitraries generate. It is not a live tensor,
 * so generating, shrinking and printing it never touches a backend or leaks; tests turn it
 * into one with {@link toTensor} and dispose that.
 *
 * @example
 * ```ts
 * const d: TensorDescription = { shape: [2], dtype: "float32", values: [0.5, -1] };
 * ```
 */
export interface TensorDescription {
  readonly shape: readonly number[];
  readonly dtype: DType;
  /** Row-major elements, exactly representable in `dtype` (bool as 0/1). */
  readonly values: readonly number[];
}

/**
 * The typed array a dtype stores its elements in, filled with `values`.
 *
 * @example
 * ```ts
 * typedArrayOf("int32", [1, 2]); // Int32Array [1, 2]
 * ```
 */
export function typedArrayOf(dtype: DType, values: ArrayLike<number>): TypedArray {
  switch (dtype) {
    case "float64":
      return Float64Array.from(values);
    case "float32":
      return Float32Array.from(values);
    case "int32":
      return Int32Array.from(values);
    case "bool":
      return Uint8Array.from(values, (v) => (v !== 0 ? 1 : 0));
  }
}

/**
 * Creates a live tensor on the current backend from a description (optionally as another
 * dtype). The caller owns it and must dispose it.
 *
 * @example
 * ```ts
 * fc.assert(
 *   fc.property(tensorArb(), (d) => {
 *     using x = toTensor(d);
 *     expect(x.shape).toEqual(d.shape);
 *   }),
 * );
 * ```
 */
export function toTensor(description: TensorDescription, dtype: DType = description.dtype): Tensor {
  return tensor(typedArrayOf(dtype, description.values), { shape: description.shape, dtype });
}
