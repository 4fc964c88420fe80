import type { DType, TypedArray } from "@tapegrad/core";
import { allocTypedArray, BackendError, bytesPerElement } from "@tapegrad/core";

/**
 * The CPU backend's storage for one tensor: a dense row-major typed array of its dtype
 * (bool as 0/1 in a Uint8Array). Once disposed its array may belong to another tensor, so
 * every later access throws instead of reading someone else's numbers.
 *
 * @example
 * ```ts
 * const data = new CpuData(new Float32Array([1, 2]), "float32");
 * data.values; // Float32Array [1, 2]
 * ```
 */
export class CpuData {
  #values: TypedArray | null;
  /** The dtype the array stores. */
  readonly dtype: DType;

  constructor(values: TypedArray, dtype: DType) {
    this.#values = values;
    this.dtype = dtype;
  }

  /** The elements; throws a BackendError after the storage was disposed. */
  get values(): TypedArray {
    const v = this.#values;
    if (v === null) throw new BackendError("cpu: storage used after it was disposed");
    return v;
  }

  /** Whether {@link CpuData.release} has run. */
  get disposed(): boolean {
    return this.#values === null;
  }

  /** Gives up the array (to the pool) and marks this storage disposed. */
  release(): TypedArray {
    const v = this.values;
    this.#values = null;
    return v;
  }
}

/** Default cap on pooled bytes: beyond it freed arrays go to the garbage collector. */
const DEFAULT_POOL_CAP_BYTES = 256 * 1024 * 1024;

/**
 * Typed-array allocator that keeps freed arrays, keyed by dtype and length, for reuse. Training
 * allocates the same shapes every step, so reusing them spares the allocator and the garbage
 * collector; callers that do not overwrite every element ask for a zeroed array, so results
 * never depend on what the pool held.
 *
 * @example
 * ```ts
 * const pool = new BufferPool(true);
 * const a = pool.alloc("float32", 4, true);
 * pool.free(a, "float32");
 * pool.alloc("float32", 4, false) === a; // true
 * ```
 */
export class BufferPool {
  readonly #enabled: boolean;
  readonly #capBytes: number;
  readonly #free = new Map<string, TypedArray[]>();
  #bytesInUse = 0;
  #bytesPooled = 0;

  constructor(enabled: boolean, capBytes = DEFAULT_POOL_CAP_BYTES) {
    this.#enabled = enabled;
    this.#capBytes = capBytes;
  }

  /** An array of `length` elements of `dtype`; zero-filled when `zeroed`, else arbitrary. */
  alloc(dtype: DType, length: number, zeroed: boolean): TypedArray {
    this.#bytesInUse += length * bytesPerElement(dtype);
    const list = this.#enabled && length > 0 ? this.#free.get(key(dtype, length)) : undefined;
    const reused = list?.pop();
    if (reused !== undefined) {
      this.#bytesPooled -= reused.byteLength;
      if (zeroed) reused.fill(0);
      return reused;
    }
    return allocTypedArray(dtype, length);
  }

  /** Takes back an array that is no longer used. */
  free(values: TypedArray, dtype: DType): void {
    this.#bytesInUse -= values.byteLength;
    if (!this.#enabled || values.length === 0) return;
    if (this.#bytesPooled + values.byteLength > this.#capBytes) return;
    const k = key(dtype, values.length);
    let list = this.#free.get(k);
    if (list === undefined) {
      list = [];
      this.#free.set(k, list);
    }
    list.push(values);
    this.#bytesPooled += values.byteLength;
  }

  /** Bytes held by live storage and by pooled arrays. */
  memory(): { bytesInUse: number; bytesPooled: number } {
    return { bytesInUse: this.#bytesInUse, bytesPooled: this.#bytesPooled };
  }

  /** Drops every pooled array. */
  clear(): void {
    this.#free.clear();
    this.#bytesPooled = 0;
  }
}

function key(dtype: DType, length: number): string {
  return `${dtype}:${length}`;
}
