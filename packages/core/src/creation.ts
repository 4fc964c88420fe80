import {
  allocTypedArray,
  assertDType,
  DTYPES,
  type DType,
  dtypeOfTypedArray,
  NUMERIC_DTYPES,
  type TypedArray,
} from "./dtype.js";
import { getBackend, makeTensor, prepareInputs } from "./engine.js";
import { ArgumentError, DTypeError, ShapeError } from "./errors.js";
import { assertShape, formatShape, type Shape, sizeOf } from "./shape.js";
import type { NestedArray, Tensor } from "./tensor.js";

/**
 * Options for creating a tensor from values.
 *
 * @example
 * ```ts
 * const opts: TensorOptions = { dtype: "float64", shape: [2, 2] };
 * ```
 */
export interface TensorOptions {
  /** Defaults to the typed array's dtype, bool for booleans, else float32. */
  dtype?: DType;
  /** Required shape; flat values are reshaped to it. Defaults to the nesting of `values`. */
  shape?: Shape;
}

function inferShape(values: NestedArray): number[] {
  const shape: number[] = [];
  let v: NestedArray = values;
  while (Array.isArray(v)) {
    shape.push(v.length);
    if (v.length === 0) break;
    v = v[0] as NestedArray;
  }
  return shape;
}

function flatten(values: NestedArray, shape: readonly number[], out: number[], dim = 0): void {
  if (dim === shape.length) {
    if (Array.isArray(values))
      throw new ShapeError(`tensor: nested arrays are ragged, expected shape ${formatShape(shape)}`);
    if (typeof values === "boolean") out.push(values ? 1 : 0);
    else if (typeof values === "number") out.push(values);
    else throw new ArgumentError(`tensor: got ${typeof values} ${String(values)}, expected numbers or booleans`);
    return;
  }
  if (!Array.isArray(values) || values.length !== shape[dim]) {
    throw new ShapeError(`tensor: nested arrays are ragged, expected shape ${formatShape(shape)}`);
  }
  for (const v of values) flatten(v, shape, out, dim + 1);
}

function firstLeaf(values: NestedArray): NestedArray {
  let v = values;
  while (Array.isArray(v) && v.length > 0) v = v[0] as NestedArray;
  return v;
}

/**
 * Creates a tensor from nested arrays, a flat typed array, or a single number.
 *
 * @example
 * ```ts
 * tensor([[1, 2], [3, 4]]); // float32 [2, 2]
 * tensor(new Float64Array([1, 2, 3, 4]), { shape: [2, 2] }); // float64 [2, 2]
 * tensor([true, false]); // bool [2]
 * ```
 */
export function tensor(values: NestedArray | TypedArray, options: TensorOptions = {}): Tensor {
  let flat: ArrayLike<number>;
  let shape: readonly number[];
  let dtype: DType;
  if (ArrayBuffer.isView(values)) {
    const own = dtypeOfTypedArray(values);
    if (own === undefined)
      throw new DTypeError("tensor: unsupported typed array, expected Float32/Float64/Int32/Uint8Array");
    dtype = options.dtype ?? (own === "bool" ? "int32" : own);
    flat = values;
    shape = options.shape ?? [values.length];
  } else {
    const inferred = inferShape(values);
    const numbers: number[] = [];
    flatten(values, inferred, numbers);
    dtype = options.dtype ?? (typeof firstLeaf(values) === "boolean" ? "bool" : "float32");
    flat = numbers;
    shape = options.shape ?? inferred;
  }
  assertDType("tensor", dtype, DTYPES, "dtype");
  assertShape("tensor", shape);
  if (sizeOf(shape) !== flat.length) {
    throw new ShapeError(
      `tensor: ${flat.length} values do not fill shape ${formatShape(shape)} (${sizeOf(shape)} elements)`,
    );
  }
  const data = allocTypedArray(dtype, flat.length);
  if (dtype === "bool") for (let i = 0; i < flat.length; i++) data[i] = flat[i] !== 0 ? 1 : 0;
  else data.set(flat);
  return fromTypedArray(data, shape, dtype);
}

/** @internal Uploads a typed array the caller owns and will not modify. */
export function fromTypedArray(data: TypedArray, shape: Shape, dtype: DType): Tensor {
  const backend = getBackend();
  assertDType("tensor", dtype, backend.capabilities.dtypes, `dtype on backend "${backend.name}"`);
  return makeTensor(backend.write(data, dtype), shape, dtype, backend);
}

/**
 * A 0-d tensor.
 *
 * @example
 * ```ts
 * scalar(3).item(); // 3
 * ```
 */
export function scalar(value: number | boolean, dtype?: DType): Tensor {
  return tensor(value, { dtype: dtype ?? (typeof value === "boolean" ? "bool" : "float32") });
}

/**
 * A tensor of `shape` filled with `value`.
 *
 * @example
 * ```ts
 * full([2, 2], 7); // [[7, 7], [7, 7]]
 * ```
 */
export function full(shape: Shape, value: number, dtype: DType = "float32"): Tensor {
  assertShape("full", shape);
  assertDType("full", dtype, DTYPES, "dtype");
  const backend = getBackend();
  return makeTensor(backend.fill(sizeOf(shape), value, dtype), shape, dtype, backend);
}

/**
 * A tensor of zeros.
 *
 * @example
 * ```ts
 * zeros([2, 3]).shape; // [2, 3]
 * ```
 */
export function zeros(shape: Shape, dtype: DType = "float32"): Tensor {
  return full(shape, 0, dtype);
}

/**
 * A tensor of ones.
 *
 * @example
 * ```ts
 * ones([3], "int32"); // [1, 1, 1]
 * ```
 */
export function ones(shape: Shape, dtype: DType = "float32"): Tensor {
  return full(shape, 1, dtype);
}

/**
 * Zeros with the shape and dtype of `x`.
 *
 * @example
 * ```ts
 * zerosLike(x).shape; // x.shape
 * ```
 */
export function zerosLike(x: Tensor): Tensor {
  return full(x.shape, 0, x.dtype);
}

/**
 * Ones with the shape and dtype of `x`.
 *
 * @example
 * ```ts
 * onesLike(x).dtype; // x.dtype
 * ```
 */
export function onesLike(x: Tensor): Tensor {
  return full(x.shape, 1, x.dtype);
}

/**
 * Evenly spaced values in [start, stop) with `step`; `arange(n)` is 0…n-1. Integer arguments
 * give int32 unless a dtype is given.
 *
 * @example
 * ```ts
 * arange(5); // int32 [0, 1, 2, 3, 4]
 * arange(0, 1, 0.25); // float32 [0, 0.25, 0.5, 0.75]
 * ```
 */
export function arange(start: number, stop?: number, step = 1, dtype?: DType): Tensor {
  const [lo, hi] = stop === undefined ? [0, start] : [start, stop];
  if (step === 0 || !Number.isFinite(step)) throw new ArgumentError(`arange: step ${step} must be finite and non-zero`);
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) {
    throw new ArgumentError(`arange: start ${lo} and stop ${hi} must be finite`);
  }
  const n = Math.max(0, Math.ceil((hi - lo) / step));
  const dt = dtype ?? (Number.isInteger(lo) && Number.isInteger(step) ? "int32" : "float32");
  assertDType("arange", dt, NUMERIC_DTYPES, "dtype");
  const backend = getBackend();
  return makeTensor(backend.arange(lo, step, n, dt), [n], dt, backend);
}

/**
 * `num` evenly spaced values from start to stop, both included.
 *
 * @example
 * ```ts
 * linspace(0, 1, 5); // [0, 0.25, 0.5, 0.75, 1]
 * ```
 */
export function linspace(start: number, stop: number, num: number, dtype: DType = "float32"): Tensor {
  if (!Number.isInteger(num) || num < 0) throw new ArgumentError(`linspace: num ${num} must be a non-negative integer`);
  const data = allocTypedArray(dtype, num);
  const step = num > 1 ? (stop - start) / (num - 1) : 0;
  for (let i = 0; i < num; i++) data[i] = i === num - 1 && num > 1 ? stop : start + i * step;
  return fromTypedArray(data, [num], dtype);
}

/**
 * The identity matrix (n × m, m defaults to n).
 *
 * @example
 * ```ts
 * eye(2); // [[1, 0], [0, 1]]
 * ```
 */
export function eye(n: number, m = n, dtype: DType = "float32"): Tensor {
  assertShape("eye", [n, m]);
  const data = allocTypedArray(dtype, n * m);
  for (let i = 0; i < Math.min(n, m); i++) data[i * m + i] = 1;
  return fromTypedArray(data, [n, m], dtype);
}

/**
 * One-hot rows for integer class indices: shape `[...indices.shape, depth]`.
 *
 * @example
 * ```ts
 * oneHot(tensor([0, 2], { dtype: "int32" }), 3); // [[1, 0, 0], [0, 0, 1]]
 * ```
 */
export function oneHot(indices: Tensor, depth: number, dtype: DType = "float32"): Tensor {
  prepareInputs("oneHot", [indices]);
  if (indices.dtype !== "int32") throw new DTypeError(`oneHot: indices have dtype ${indices.dtype}, expected int32`);
  if (!Number.isInteger(depth) || depth <= 0)
    throw new ArgumentError(`oneHot: depth ${depth} must be a positive integer`);
  const idx = indices.dataSync();
  const data = allocTypedArray(dtype, idx.length * depth);
  idx.forEach((v, i) => {
    if (v < 0 || v >= depth) throw new ArgumentError(`oneHot: index ${v} is out of range [0, ${depth})`);
    data[i * depth + v] = 1;
  });
  return fromTypedArray(data, [...indices.shape, depth], dtype);
}
