import { DTypeError } from "./errors.js";

/**
 * The element types a tensor can hold. `float32` is the default; `float64` is the reference
 * precision for gradient checks (CPU backend).
 *
 * @example
 * ```ts
 * const t = tensor([1, 2, 3], { dtype: "int32" });
 * t.dtype; // "int32"
 * ```
 */
export type DType = "float32" | "float64" | "int32" | "bool";

/**
 * Every dtype, in promotion order (bool < int32 < float32 < float64).
 *
 * @example
 * ```ts
 * for (const dtype of DTYPES) console.log(zeros([1], dtype).dtype);
 * ```
 */
export const DTYPES: readonly DType[] = ["bool", "int32", "float32", "float64"];

/**
 * The typed array that stores each dtype: `bool` is stored as 0/1 in a `Uint8Array`.
 *
 * @example
 * ```ts
 * const values: TypedArrayFor<"float64"> = new Float64Array(3);
 * ```
 */
export type TypedArrayFor<D extends DType> = D extends "float32"
  ? Float32Array
  : D extends "float64"
    ? Float64Array
    : D extends "int32"
      ? Int32Array
      : Uint8Array;

/**
 * Any of the typed arrays tensors are stored in.
 *
 * @example
 * ```ts
 * const data: TypedArray = await tensor([1, 2]).data();
 * ```
 */
export type TypedArray = Float32Array | Float64Array | Int32Array | Uint8Array;

/**
 * Whether a dtype holds real numbers (and so can carry a gradient).
 *
 * @example
 * ```ts
 * isFloat("float32"); // true
 * isFloat("int32"); // false
 * ```
 */
export function isFloat(dtype: DType): boolean {
  return dtype === "float32" || dtype === "float64";
}

/**
 * Bytes per element of a dtype.
 *
 * @example
 * ```ts
 * bytesPerElement("float64"); // 8
 * ```
 */
export function bytesPerElement(dtype: DType): number {
  switch (dtype) {
    case "float64":
      return 8;
    case "float32":
    case "int32":
      return 4;
    case "bool":
      return 1;
  }
}

/**
 * Allocates a zero-filled typed array for `size` elements of `dtype`.
 *
 * @example
 * ```ts
 * allocTypedArray("int32", 4); // Int32Array [0, 0, 0, 0]
 * ```
 */
export function allocTypedArray<D extends DType>(dtype: D, size: number): TypedArrayFor<D> {
  switch (dtype) {
    case "float64":
      return new Float64Array(size) as TypedArrayFor<D>;
    case "float32":
      return new Float32Array(size) as TypedArrayFor<D>;
    case "int32":
      return new Int32Array(size) as TypedArrayFor<D>;
    default:
      return new Uint8Array(size) as TypedArrayFor<D>;
  }
}

/**
 * The dtype whose storage a typed array is, or undefined for other array types.
 *
 * @example
 * ```ts
 * dtypeOfTypedArray(new Float64Array(2)); // "float64"
 * ```
 */
export function dtypeOfTypedArray(values: ArrayBufferView): DType | undefined {
  if (values instanceof Float32Array) return "float32";
  if (values instanceof Float64Array) return "float64";
  if (values instanceof Int32Array) return "int32";
  if (values instanceof Uint8Array) return "bool";
  return undefined;
}

/**
 * The dtype two operands are promoted to in a binary op, following NumPy's rules for
 * same-kind arrays: bool < int32 < float32 < float64. Mixing int32 with float32 gives float32
 * (as in TensorFlow.js and PyTorch, unlike NumPy's float64), so float32 models stay float32.
 *
 * @example
 * ```ts
 * promoteTypes("int32", "float32"); // "float32"
 * promoteTypes("float32", "float64"); // "float64"
 * ```
 */
export function promoteTypes(a: DType, b: DType): DType {
  return DTYPES.indexOf(a) >= DTYPES.indexOf(b) ? a : b;
}

/**
 * Throws a DTypeError unless `dtype` is one of `allowed`.
 *
 * @example
 * ```ts
 * assertDType("log", "float32", ["float32", "float64"]); // ok
 * ```
 */
export function assertDType(op: string, dtype: DType, allowed: readonly DType[], what = "input"): void {
  if (!allowed.includes(dtype)) {
    throw new DTypeError(`${op}: ${what} has dtype ${dtype}, expected one of ${allowed.join(", ")}`);
  }
}

/**
 * The floating dtypes.
 *
 * @example
 * ```ts
 * assertDType("exp", x.dtype, FLOAT_DTYPES);
 * ```
 */
export const FLOAT_DTYPES: readonly DType[] = ["float32", "float64"];
/**
 * The numeric (non-bool) dtypes.
 *
 * @example
 * ```ts
 * NUMERIC_DTYPES.includes("bool"); // false
 * ```
 */
export const NUMERIC_DTYPES: readonly DType[] = ["int32", "float32", "float64"];
