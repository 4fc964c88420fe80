import type {
  AdamHyper,
  Backend,
  BackendCapabilities,
  BinaryOp,
  DataId,
  DType,
  FusedActivation,
  FusedKernels,
  ReduceOp,
  Shape,
  TensorInfo,
  TypedArray,
  UnaryOp,
} from "@tapegrad/core";
import { BackendError } from "@tapegrad/core";
import type { Allocator, ArrayView } from "./kernel_types.js";
import { activationGrad } from "./kernels/activation_grad.js";
import { adamUpdate } from "./kernels/adam_update.js";
import { binary, binaryOutDType } from "./kernels/binary.js";
import { broadcastTo } from "./kernels/broadcast.js";
import { cast } from "./kernels/cast.js";
import { concat } from "./kernels/concat.js";
import { arange, fill } from "./kernels/creation.js";
import { matmulBiasAct, sigmoid, softmax } from "./kernels/fused.js";
import { gather, scatterAdd } from "./kernels/gather.js";
import { matmul, matmulDims2d } from "./kernels/matmul.js";
import { matmulBiasActWasm, matmulWasm, worthWasm } from "./kernels/matmul_wasm.js";
import { pad } from "./kernels/pad.js";
import { argReduce, reduce, reduceOutDType } from "./kernels/reduce.js";
import { slice } from "./kernels/slice.js";
import { transpose } from "./kernels/transpose.js";
import { unary, unaryOutDType } from "./kernels/unary.js";
import { where } from "./kernels/where.js";
import { BufferPool, CpuData } from "./storage.js";
import { createWasmKernels, type WasmKernels } from "./wasm/index.js";

/**
 * Options of {@link cpu}.
 *
 * @example
 * ```ts
 * const options: CpuOptions = { pool: false };
 * ```
 */
export interface CpuOptions {
  /**
   * Reuse freed arrays of the same dtype and length (default true). Turning it off makes every
   * kernel allocate, which helps when hunting a use-after-dispose bug.
   */
  readonly pool?: boolean;
  /**
   * Run float32 matmuls (plain and fused with bias + activation) on the WebAssembly SIMD
   * kernels where the engine supports them (default true); about ten times the plain
   * TypeScript kernels' speed. `false` forces the TypeScript kernels, e.g. to compare the two.
   * Float64 and int32 always run in TypeScript.
   */
  readonly wasm?: boolean;
}

const CAPABILITIES: BackendCapabilities = Object.freeze({
  dtypes: Object.freeze(["float32", "float64", "int32", "bool"] as const),
  floatPrecision: 64,
  syncRead: true,
});

/**
 * The CPU backend: every kernel on typed arrays in the calling thread, float64 computed in
 * float64 throughout, storage pooled by dtype and length. Float32 matmuls above a small size
 * run on WebAssembly SIMD kernels (instantiated on first use; plain TypeScript where
 * WebAssembly SIMD is unavailable or `wasm: false`).
 *
 * @example
 * ```ts
 * const backend: CpuBackend = cpu();
 * const id = backend.write(new Float32Array([1, 2]), "float32");
 * backend.readSync(backend.unary("neg", { dataId: id, shape: [2], dtype: "float32" })); // [-1, -2]
 * ```
 */
export class CpuBackend implements Backend {
  readonly name = "cpu";
  readonly capabilities: BackendCapabilities = CAPABILITIES;
  readonly fused: FusedKernels;
  readonly #pool: BufferPool;
  readonly #alloc: Allocator;
  readonly #wasmEnabled: boolean;
  /** undefined until the first float32 matmul asks; null where WebAssembly SIMD is missing. */
  #wasm: WasmKernels | null | undefined;

  constructor(options: CpuOptions = {}) {
    this.#pool = new BufferPool(options.pool ?? true);
    this.#wasmEnabled = options.wasm ?? true;
    const pool = this.#pool;
    this.#alloc = (dtype, length, zeroed) => pool.alloc(dtype, length, zeroed);
    this.fused = {
      sigmoid: (x) => new CpuData(sigmoid(this.#view(x), this.#alloc), x.dtype),
      softmax: (x) => new CpuData(softmax(this.#view(x), this.#alloc), x.dtype),
      activationGrad: (dy: TensorInfo, y: TensorInfo, activation: FusedActivation) =>
        new CpuData(activationGrad(this.#view(dy), this.#view(y), activation, this.#alloc), dy.dtype),
      adamUpdate: (param: TensorInfo, grad: TensorInfo, m: TensorInfo, v: TensorInfo, hyper: AdamHyper) => {
        const dtype = param.dtype;
        const views = [param, grad, m, v].map((t) => this.#view(t)) as [ArrayView, ArrayView, ArrayView, ArrayView];
        const [p1, m1, v1] = adamUpdate(...views, hyper, this.#alloc);
        return [new CpuData(p1, dtype), new CpuData(m1, dtype), new CpuData(v1, dtype)] as const;
      },
      matmulBiasAct: (
        a: TensorInfo,
        b: TensorInfo,
        bias: TensorInfo | null,
        activation: FusedActivation,
        transposeA: boolean,
        transposeB: boolean,
      ) => {
        const { m, k, n } = matmulDims2d(a, b, transposeA, transposeB);
        const wk = a.dtype === "float32" && worthWasm(m, k, n) ? this.#wasmKernels() : null;
        const av = this.#view(a);
        const bv = this.#view(b);
        const biasView = bias === null ? null : this.#view(bias);
        const out =
          wk !== null
            ? matmulBiasActWasm(wk, av, bv, biasView, activation, transposeA, transposeB, this.#alloc)
            : matmulBiasAct(av, bv, biasView, activation, transposeA, transposeB, this.#alloc);
        return new CpuData(out, a.dtype);
      },
    };
  }

  write(values: TypedArray, dtype: DType): DataId {
    const n = values.length;
    const copy = this.#alloc(dtype, n, false);
    if (dtype === "bool") {
      for (let i = 0; i < n; i++) copy[i] = values[i] !== 0 ? 1 : 0;
    } else {
      copy.set(values);
    }
    return new CpuData(copy, dtype);
  }

  read(dataId: DataId): Promise<TypedArray> {
    try {
      return Promise.resolve(this.readSync(dataId));
    } catch (e) {
      return Promise.reject(e);
    }
  }

  readSync(dataId: DataId): TypedArray {
    return data(dataId).values.slice();
  }

  disposeData(dataId: DataId): void {
    const d = data(dataId);
    if (d.disposed) throw new BackendError("cpu: disposeData called twice for the same storage");
    this.#pool.free(d.release(), d.dtype);
  }

  /** Storage bytes; `bytesPooled` includes the WebAssembly kernels' scratch memory. */
  memory(): { bytesInUse: number; bytesPooled: number } {
    const { bytesInUse, bytesPooled } = this.#pool.memory();
    return { bytesInUse, bytesPooled: bytesPooled + (this.#wasm?.memoryBytes ?? 0) };
  }

  /** Empties the pool and drops the WebAssembly scratch memory; live storage stays valid. */
  dispose(): void {
    this.#pool.clear();
    // A later float32 matmul instantiates the kernels again (a WebAssembly memory never shrinks).
    this.#wasm = undefined;
  }

  fill(size: number, value: number, dtype: DType): DataId {
    return new CpuData(fill(size, value, dtype, this.#alloc), dtype);
  }

  arange(start: number, step: number, size: number, dtype: DType): DataId {
    return new CpuData(arange(start, step, size, dtype, this.#alloc), dtype);
  }

  unary(op: UnaryOp, x: TensorInfo): DataId {
    return new CpuData(unary(op, this.#view(x), this.#alloc), unaryOutDType(op, x.dtype));
  }

  binary(op: BinaryOp, a: TensorInfo, b: TensorInfo, outShape: Shape): DataId {
    return new CpuData(binary(op, this.#view(a), this.#view(b), outShape, this.#alloc), binaryOutDType(op, a.dtype));
  }

  where(cond: TensorInfo, a: TensorInfo, b: TensorInfo, outShape: Shape): DataId {
    return new CpuData(where(this.#view(cond), this.#view(a), this.#view(b), outShape, this.#alloc), a.dtype);
  }

  cast(x: TensorInfo, dtype: DType): DataId {
    return new CpuData(cast(this.#view(x), dtype, this.#alloc), dtype);
  }

  reduce(op: ReduceOp, x: TensorInfo, axes: readonly number[]): DataId {
    return new CpuData(reduce(op, this.#view(x), axes, this.#alloc), reduceOutDType(op, x.dtype));
  }

  argReduce(op: "argmax" | "argmin", x: TensorInfo, axis: number): DataId {
    return new CpuData(argReduce(op, this.#view(x), axis, this.#alloc), "int32");
  }

  matmul(a: TensorInfo, b: TensorInfo, transposeA: boolean, transposeB: boolean, outShape: Shape): DataId {
    if (a.dtype === "float32") {
      const rank = outShape.length;
      const k = (transposeA ? a.shape[a.shape.length - 2] : a.shape[a.shape.length - 1]) as number;
      const wk = worthWasm(outShape[rank - 2] as number, k, outShape[rank - 1] as number) ? this.#wasmKernels() : null;
      if (wk !== null) {
        const out = matmulWasm(wk, this.#view(a), this.#view(b), transposeA, transposeB, outShape, this.#alloc);
        return new CpuData(out, "float32");
      }
    }
    return new CpuData(matmul(this.#view(a), this.#view(b), transposeA, transposeB, outShape, this.#alloc), a.dtype);
  }

  transpose(x: TensorInfo, perm: readonly number[]): DataId {
    return new CpuData(transpose(this.#view(x), perm, this.#alloc), x.dtype);
  }

  broadcastTo(x: TensorInfo, shape: Shape): DataId {
    return new CpuData(broadcastTo(this.#view(x), shape, this.#alloc), x.dtype);
  }

  slice(x: TensorInfo, begin: readonly number[], size: readonly number[]): DataId {
    return new CpuData(slice(this.#view(x), begin, size, this.#alloc), x.dtype);
  }

  pad(x: TensorInfo, paddings: readonly (readonly [number, number])[], value: number): DataId {
    return new CpuData(pad(this.#view(x), paddings, value, this.#alloc), x.dtype);
  }

  concat(xs: readonly TensorInfo[], axis: number): DataId {
    const first = xs[0];
    if (first === undefined) throw new BackendError("cpu: concat needs at least one tensor");
    return new CpuData(
      concat(
        xs.map((x) => this.#view(x)),
        axis,
        this.#alloc,
      ),
      first.dtype,
    );
  }

  gather(x: TensorInfo, indices: TensorInfo, axis: number): DataId {
    return new CpuData(gather(this.#view(x), this.#view(indices), axis, this.#alloc), x.dtype);
  }

  scatterAdd(updates: TensorInfo, indices: TensorInfo, axis: number, outShape: Shape): DataId {
    return new CpuData(
      scatterAdd(this.#view(updates), this.#view(indices), axis, outShape, this.#alloc),
      updates.dtype,
    );
  }

  /** The WebAssembly kernels, instantiated on first use; null when disabled or unsupported. */
  #wasmKernels(): WasmKernels | null {
    if (this.#wasm === undefined) this.#wasm = this.#wasmEnabled ? createWasmKernels() : null;
    return this.#wasm;
  }

  #view(info: TensorInfo): ArrayView {
    const d = data(info.dataId);
    if (d.dtype !== info.dtype) {
      throw new BackendError(`cpu: storage holds ${d.dtype} but the kernel was told ${info.dtype}`);
    }
    return { values: d.values, shape: info.shape, dtype: info.dtype };
  }
}

function data(dataId: DataId): CpuData {
  if (!(dataId instanceof CpuData)) {
    throw new BackendError("cpu: a DataId from another backend was passed to the cpu backend");
  }
  return dataId;
}
