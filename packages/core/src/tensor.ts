import type { Backend, DataId, TensorInfo } from "./backend.js";
import type { DType, TypedArray } from "./dtype.js";
import { releaseTensor } from "./engine.js";
import { ArgumentError, BackendError, DisposedError } from "./errors.js";
import { formatTensor } from "./format.js";
import * as ops from "./ops/index.js";
import { formatShape, type Shape, sizeOf } from "./shape.js";

/**
 * Something that can stand where a tensor operand is expected: a tensor, or a plain number
 * (broadcast as a scalar of the other operand's dtype).
 *
 * @example
 * ```ts
 * const y = add(x, 1); // 1 is a TensorLike
 * ```
 */
export type TensorLike = Tensor | number;

/**
 * Nested JavaScript arrays of numbers (or booleans for bool tensors), as `toArray` returns.
 *
 * @example
 * ```ts
 * const rows: NestedArray = [[1, 2], [3, 4]];
 * ```
 */
export type NestedArray = number | boolean | NestedArray[];

/**
 * An n-dimensional array on a backend. Tensors are immutable: every op returns a new one.
 * A tensor owns backend storage until `dispose()` (or the `tidy` / scope it was made in)
 * frees it; `reshape` returns a view sharing the same storage.
 *
 * @example
 * ```ts
 * const x = tensor([[1, 2], [3, 4]]);
 * const y = x.matmul(x).add(1).relu();
 * console.log(y.toString());
 * y.dispose();
 * ```
 */
export class Tensor implements TensorInfo {
  /** Process-unique id, increasing in creation order. */
  readonly id: number;
  /** Dimensions, outermost first. */
  readonly shape: Shape;
  readonly dtype: DType;
  /** Number of elements. */
  readonly size: number;
  /** Where the tensor was created, when debug mode is on (see `setDebugMode`). */
  readonly creationSite: string | undefined;
  /** @internal Storage; only a Variable's ever changes (on assign). */
  protected storage: DataId;
  /** @internal */
  readonly backend: Backend;
  #disposed = false;

  /** @internal Tensors are made by ops and creation functions, never with `new`. */
  constructor(id: number, dataId: DataId, shape: Shape, dtype: DType, backend: Backend, creationSite?: string) {
    this.id = id;
    this.storage = dataId;
    this.shape = Object.freeze([...shape]);
    this.dtype = dtype;
    this.size = sizeOf(shape);
    this.backend = backend;
    this.creationSite = creationSite;
  }

  /** @internal The backend storage this handle reads. */
  get dataId(): DataId {
    return this.storage;
  }

  /** Number of dimensions. */
  get rank(): number {
    return this.shape.length;
  }

  /** Whether `dispose()` has run. */
  get isDisposed(): boolean {
    return this.#disposed;
  }

  /** `float32[2,3]` — for messages. */
  describe(): string {
    return `${this.dtype}${formatShape(this.shape)}`;
  }

  #assertLive(what: string): void {
    if (this.#disposed) throw new DisposedError(`${what}: tensor #${this.id} ${this.describe()} was disposed`);
  }

  /** All elements, row-major, as a fresh typed array (bool as 0/1 bytes); never blocks. */
  async data(): Promise<TypedArray> {
    this.#assertLive("data");
    return this.backend.read(this.dataId);
  }

  /** All elements synchronously; throws on backends that cannot read synchronously. */
  dataSync(): TypedArray {
    this.#assertLive("dataSync");
    if (!this.backend.capabilities.syncRead) {
      throw new BackendError(`dataSync: backend "${this.backend.name}" cannot read synchronously; use await data()`);
    }
    return this.backend.readSync(this.dataId);
  }

  /** The elements as nested arrays (booleans for bool tensors). */
  toArray(): NestedArray {
    const flat = this.dataSync();
    const bool = this.dtype === "bool";
    const build = (dim: number, offset: number): NestedArray => {
      if (dim === this.rank) return bool ? flat[offset] !== 0 : (flat[offset] as number);
      const n = this.shape[dim] as number;
      const inner = sizeOf(this.shape.slice(dim + 1));
      return Array.from({ length: n }, (_, i) => build(dim + 1, offset + i * inner));
    };
    return build(0, 0);
  }

  /** The single element of a one-element tensor. */
  item(): number | boolean {
    if (this.size !== 1)
      throw new ArgumentError(`item: tensor ${this.describe()} has ${this.size} elements, expected 1`);
    const v = this.dataSync()[0] as number;
    return this.dtype === "bool" ? v !== 0 : v;
  }

  /** NumPy-style repr, truncated with `...` for large tensors. */
  toString(): string {
    if (this.#disposed) return `Tensor(disposed, ${this.describe()})`;
    return formatTensor(this.dataSync(), this.shape, this.dtype);
  }

  /** Frees the tensor's storage (shared storage lives on while a view uses it). Idempotent. */
  dispose(): void {
    if (this.#disposed) return;
    this.#disposed = true;
    releaseTensor(this);
  }

  /** Lets `using t = ...` dispose the tensor at the end of its block. */
  [Symbol.dispose](): void {
    this.dispose();
  }

  // Fluent forms of the common ops; each is the function of the same name.
  /** `add(this, b)` as a method. */
  add(b: TensorLike): Tensor {
    return ops.add(this, b);
  }
  /** `sub(this, b)` as a method. */
  sub(b: TensorLike): Tensor {
    return ops.sub(this, b);
  }
  /** `mul(this, b)` as a method. */
  mul(b: TensorLike): Tensor {
    return ops.mul(this, b);
  }
  /** `div(this, b)` as a method. */
  div(b: TensorLike): Tensor {
    return ops.div(this, b);
  }
  /** `pow(this, b)` as a method. */
  pow(b: TensorLike): Tensor {
    return ops.pow(this, b);
  }
  /** `maximum(this, b)` as a method. */
  maximum(b: TensorLike): Tensor {
    return ops.maximum(this, b);
  }
  /** `minimum(this, b)` as a method. */
  minimum(b: TensorLike): Tensor {
    return ops.minimum(this, b);
  }
  /** `equal(this, b)` as a method. */
  equal(b: TensorLike): Tensor {
    return ops.equal(this, b);
  }
  /** `less(this, b)` as a method. */
  less(b: TensorLike): Tensor {
    return ops.less(this, b);
  }
  /** `greater(this, b)` as a method. */
  greater(b: TensorLike): Tensor {
    return ops.greater(this, b);
  }
  /** `neg(this)` as a method. */
  neg(): Tensor {
    return ops.neg(this);
  }
  /** `exp(this)` as a method. */
  exp(): Tensor {
    return ops.exp(this);
  }
  /** `log(this)` as a method. */
  log(): Tensor {
    return ops.log(this);
  }
  /** `sqrt(this)` as a method. */
  sqrt(): Tensor {
    return ops.sqrt(this);
  }
  /** `abs(this)` as a method. */
  abs(): Tensor {
    return ops.abs(this);
  }
  /** `tanh(this)` as a method. */
  tanh(): Tensor {
    return ops.tanh(this);
  }
  /** `square(this)` as a method. */
  square(): Tensor {
    return ops.square(this);
  }
  /** `sigmoid(this)` as a method. */
  sigmoid(): Tensor {
    return ops.sigmoid(this);
  }
  /** `relu(this)` as a method. */
  relu(): Tensor {
    return ops.relu(this);
  }
  /** `softmax(this, axis)` as a method. */
  softmax(axis = -1): Tensor {
    return ops.softmax(this, axis);
  }
  /** `matmul(this, b, options)` as a method. */
  matmul(b: Tensor, options?: ops.MatmulOptions): Tensor {
    return ops.matmul(this, b, options);
  }
  /** `transpose(this, perm)` as a method. */
  transpose(perm?: readonly number[]): Tensor {
    return ops.transpose(this, perm);
  }
  /** `reshape(this, shape)` as a method. */
  reshape(shape: Shape): Tensor {
    return ops.reshape(this, shape);
  }
  /** `sum(this, axis, keepDims)` as a method. */
  sum(axis?: number | readonly number[], keepDims = false): Tensor {
    return ops.sum(this, axis, keepDims);
  }
  /** `mean(this, axis, keepDims)` as a method. */
  mean(axis?: number | readonly number[], keepDims = false): Tensor {
    return ops.mean(this, axis, keepDims);
  }
  /** `max(this, axis, keepDims)` as a method. */
  max(axis?: number | readonly number[], keepDims = false): Tensor {
    return ops.max(this, axis, keepDims);
  }
  /** `min(this, axis, keepDims)` as a method. */
  min(axis?: number | readonly number[], keepDims = false): Tensor {
    return ops.min(this, axis, keepDims);
  }
  /** `argmax(this, axis)` as a method. */
  argmax(axis = -1): Tensor {
    return ops.argmax(this, axis);
  }
  /** `cast(this, dtype)` as a method. */
  cast(dtype: DType): Tensor {
    return ops.cast(this, dtype);
  }
  /** `clone(this)` as a method. */
  clone(): Tensor {
    return ops.clone(this);
  }
}
