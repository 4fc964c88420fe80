import {
  type AdamHyper,
  type Backend,
  type BackendCapabilities,
  BackendError,
  type BinaryOp,
  type DataId,
  type DType,
  type FusedActivation,
  type FusedKernels,
  type ReduceOp,
  type Shape,
  type TensorInfo,
  type TypedArray,
  type UnaryOp,
} from "@tapegrad/core";
import { GLContext, type WebGLOptions } from "./context.js";
import { Dispatcher, type Operand } from "./dispatch.js";
import { concat } from "./kernels/concat.js";
import { arange, fill } from "./kernels/creation.js";
import { binary, cast, unary, where } from "./kernels/elementwise.js";
import { activationGrad, adamUpdate, sigmoid, softmax } from "./kernels/fused.js";
import { gather, scatterAdd } from "./kernels/gather.js";
import { matmul } from "./kernels/matmul.js";
import { broadcastTo, pad, slice, transpose } from "./kernels/movement.js";
import { argReduce, reduce } from "./kernels/reduce.js";
import { ProgramCache } from "./program_cache.js";
import { readAsync, readSync, waitForGpu } from "./readback.js";
import { WebGLData } from "./tensor_data.js";
import { TexturePool } from "./texture_pool.js";
import { warmupSources } from "./warmup.js";

const CAPABILITIES: BackendCapabilities = Object.freeze({
  dtypes: Object.freeze(["float32", "int32", "bool"] as const),
  floatPrecision: 32,
  syncRead: true,
});

/**
 * What {@link WebGLBackend.memory} reports: GPU bytes and textures in use and pooled, and
 * the number of compiled programs.
 *
 * @example
 * ```ts
 * const m: WebGLMemory = backend.memory();
 * console.log(m.texturesInUse, m.bytesPooled, m.programs);
 * ```
 */
export interface WebGLMemory {
  readonly bytesInUse: number;
  readonly bytesPooled: number;
  readonly texturesInUse: number;
  readonly texturesPooled: number;
  readonly programs: number;
}

/**
 * The WebGL2 backend: every kernel a fragment program rendering into R32F textures (one
 * float per texel, tensors stored flat and row-major, see docs/webgl.md). Float math runs in
 * float32; int32 and bool are stored as exact floats (int32 exact up to ±2^24). Programs are
 * cached per context, textures pooled per size, and readback is synchronous (`readPixels`)
 * or asynchronous (fenced pixel-pack buffer).
 *
 * @example
 * ```ts
 * import { setBackend, tensor } from "@tapegrad/core";
 * import { webgl } from "@tapegrad/backend-webgl";
 * await setBackend(webgl());
 * await tensor([1, 2, 3]).exp().data();
 * ```
 */
export class WebGLBackend implements Backend {
  readonly name = "webgl";
  readonly capabilities: BackendCapabilities = CAPABILITIES;
  readonly fused: FusedKernels;
  readonly #ctx: GLContext;
  readonly #d: Dispatcher;
  readonly #onDispose: () => void;
  #disposed = false;

  /** @internal Use {@link webgl} to create one; this constructor adopts an already checked context. */
  constructor(ctx: GLContext, programs: ProgramCache, onDispose: () => void = () => {}) {
    this.#ctx = ctx;
    this.#d = new Dispatcher(ctx, programs, new TexturePool(ctx.gl));
    this.#onDispose = onDispose;
    this.fused = {
      sigmoid: (x) => sigmoid(this.#d, this.#op(x)),
      softmax: (x) => softmax(this.#d, this.#op(x)),
      matmulBiasAct: (
        a: TensorInfo,
        b: TensorInfo,
        bias: TensorInfo | null,
        activation: FusedActivation,
        transposeA: boolean,
        transposeB: boolean,
      ) => {
        const m = (transposeA ? a.shape[1] : a.shape[0]) as number;
        const n = (transposeB ? b.shape[0] : b.shape[1]) as number;
        return matmul(
          this.#d,
          this.#op(a),
          this.#op(b),
          transposeA,
          transposeB,
          [m, n],
          bias === null ? null : this.#op(bias),
          activation,
        );
      },
      activationGrad: (dy: TensorInfo, y: TensorInfo, activation: FusedActivation) =>
        activationGrad(this.#d, this.#op(dy), this.#op(y), activation),
      adamUpdate: (param: TensorInfo, grad: TensorInfo, m: TensorInfo, v: TensorInfo, hyper: AdamHyper) =>
        adamUpdate(this.#d, this.#op(param), this.#op(grad), this.#op(m), this.#op(v), hyper),
    };
  }

  /** The WebGL2 context the kernels run on. */
  get gl(): WebGL2RenderingContext {
    return this.#ctx.gl;
  }

  /** Whether the context was lost (after which every operation throws a BackendError). */
  get isContextLost(): boolean {
    return this.#ctx.isLost;
  }

  write(values: TypedArray, dtype: DType): DataId {
    this.#assertUsable();
    if (!CAPABILITIES.dtypes.includes(dtype)) {
      throw new BackendError(
        `webgl: dtype ${dtype} is not supported (float32, int32 and bool are); use the CPU backend`,
      );
    }
    return this.#d.upload(values, dtype);
  }

  read(dataId: DataId): Promise<TypedArray> {
    try {
      this.#assertUsable();
      return readAsync(this.#ctx, data(dataId));
    } catch (e) {
      return Promise.reject(e);
    }
  }

  readSync(dataId: DataId): TypedArray {
    this.#assertUsable();
    return readSync(this.#ctx, data(dataId));
  }

  disposeData(dataId: DataId): void {
    const d = data(dataId);
    if (d.disposed) throw new BackendError("webgl: disposeData called twice for the same storage");
    // Never throws for a lost context: freeing must always work, and GL ignores deletes then.
    this.#d.free(d);
  }

  memory(): WebGLMemory {
    return { ...this.#d.pool.memory(), programs: this.#d.programs.size };
  }

  /**
   * Compiles the programs for `ops` (op names such as "matmul", "add", "sum"; all of them
   * when omitted) ahead of use, so the first training step does not stall on shader
   * compiles. Compiles run in parallel where the driver allows. Resolves to the number of
   * programs compiled.
   *
   * @example
   * ```ts
   * const backend = await webgl();
   * await backend.warmup(["matmulBiasAct", "sub", "mul", "sum"]);
   * ```
   */
  warmup(ops?: readonly string[]): Promise<number> {
    try {
      this.#assertUsable();
      return this.#d.programs.compileAll(warmupSources(ops, this.#d.rowShift));
    } catch (e) {
      return Promise.reject(e);
    }
  }

  /**
   * Resolves when the GPU has finished all work issued so far, without blocking the page.
   *
   * @example
   * ```ts
   * await backend.sync();
   * ```
   */
  sync(): Promise<void> {
    try {
      this.#assertUsable();
      return waitForGpu(this.#ctx);
    } catch (e) {
      return Promise.reject(e);
    }
  }

  /**
   * Frees every texture (live and pooled) and gives up the context if the backend created it;
   * the backend is unusable afterwards.
   */
  dispose(): void {
    if (this.#disposed) return;
    this.#disposed = true;
    this.#d.pool.deleteAll();
    this.#d.dispose();
    this.#onDispose();
  }

  fill(size: number, value: number, dtype: DType): DataId {
    this.#assertUsable();
    return fill(this.#d, size, value, dtype);
  }

  arange(start: number, step: number, size: number, dtype: DType): DataId {
    this.#assertUsable();
    return arange(this.#d, start, step, size, dtype);
  }

  unary(op: UnaryOp, x: TensorInfo): DataId {
    return unary(this.#d, op, this.#op(x));
  }

  binary(op: BinaryOp, a: TensorInfo, b: TensorInfo, outShape: Shape): DataId {
    return binary(this.#d, op, this.#op(a), this.#op(b), outShape);
  }

  where(cond: TensorInfo, a: TensorInfo, b: TensorInfo, outShape: Shape): DataId {
    return where(this.#d, this.#op(cond), this.#op(a), this.#op(b), outShape);
  }

  cast(x: TensorInfo, dtype: DType): DataId {
    return cast(this.#d, this.#op(x), dtype);
  }

  reduce(op: ReduceOp, x: TensorInfo, axes: readonly number[]): DataId {
    return reduce(this.#d, op, this.#op(x), axes);
  }

  argReduce(op: "argmax" | "argmin", x: TensorInfo, axis: number): DataId {
    return argReduce(this.#d, op, this.#op(x), axis);
  }

  matmul(a: TensorInfo, b: TensorInfo, transposeA: boolean, transposeB: boolean, outShape: Shape): DataId {
    return matmul(this.#d, this.#op(a), this.#op(b), transposeA, transposeB, outShape);
  }

  transpose(x: TensorInfo, perm: readonly number[]): DataId {
    return transpose(this.#d, this.#op(x), perm);
  }

  broadcastTo(x: TensorInfo, shape: Shape): DataId {
    return broadcastTo(this.#d, this.#op(x), shape);
  }

  slice(x: TensorInfo, begin: readonly number[], size: readonly number[]): DataId {
    return slice(this.#d, this.#op(x), begin, size);
  }

  pad(x: TensorInfo, paddings: readonly (readonly [number, number])[], value: number): DataId {
    return pad(this.#d, this.#op(x), paddings, value);
  }

  concat(xs: readonly TensorInfo[], axis: number): DataId {
    if (xs.length === 0) throw new BackendError("webgl: concat needs at least one tensor");
    return concat(
      this.#d,
      xs.map((x) => this.#op(x)),
      axis,
    );
  }

  gather(x: TensorInfo, indices: TensorInfo, axis: number): DataId {
    return gather(this.#d, this.#op(x), this.#op(indices), axis);
  }

  scatterAdd(updates: TensorInfo, indices: TensorInfo, axis: number, outShape: Shape): DataId {
    return scatterAdd(this.#d, this.#op(updates), this.#op(indices), axis, outShape);
  }

  #assertUsable(): void {
    if (this.#disposed) throw new BackendError("webgl: the backend was disposed");
    this.#ctx.assertUsable();
  }

  #op(info: TensorInfo): Operand {
    this.#assertUsable();
    const d = data(info.dataId);
    if (d.dtype !== info.dtype) {
      throw new BackendError(`webgl: storage holds ${d.dtype} but the kernel was told ${info.dtype}`);
    }
    return { data: d, shape: info.shape, dtype: info.dtype };
  }
}

function data(dataId: DataId): WebGLData {
  if (!(dataId instanceof WebGLData)) {
    throw new BackendError("webgl: a DataId from another backend was passed to the webgl backend");
  }
  return dataId;
}

// Backends made without a canvas or context share one offscreen context (and its compiled
// programs): browsers allow only about 16 live contexts and drop the oldest beyond that, so
// a test suite creating a backend per test must not create a context per backend.
let shared: { ctx: GLContext; programs: ProgramCache; users: number } | null = null;

/**
 * Creates the WebGL2 backend. With no options it uses a context shared by all such backends;
 * with `canvas` or `gl` it uses that. Rejects with a BackendError when WebGL2 or
 * EXT_color_buffer_float (rendering to 32-bit float textures) is missing — it never falls
 * back to 16-bit floats.
 *
 * @example
 * ```ts
 * import { setBackend } from "@tapegrad/core";
 * import { webgl } from "@tapegrad/backend-webgl";
 * await setBackend(webgl());
 * ```
 */
export async function webgl(options: WebGLOptions = {}): Promise<WebGLBackend> {
  if (options.canvas === undefined && options.gl === undefined) {
    if (shared === null || shared.ctx.isLost) {
      const ctx = GLContext.create({});
      shared = { ctx, programs: new ProgramCache(ctx.gl, ctx.parallelCompile), users: 0 };
    }
    const entry = shared;
    entry.users++;
    return new WebGLBackend(entry.ctx, entry.programs, () => {
      if (--entry.users > 0) return;
      entry.programs.dispose();
      entry.ctx.dispose();
      if (shared === entry) shared = null;
    });
  }
  const ctx = GLContext.create(options);
  const programs = new ProgramCache(ctx.gl, ctx.parallelCompile);
  return new WebGLBackend(ctx, programs, () => {
    programs.dispose();
    ctx.dispose();
  });
}

/**
 * Compiles the programs for `ops` ahead of use when `backend` is a {@link WebGLBackend}, and
 * does nothing (resolving to 0) for any other backend, so application code can call it
 * whichever backend is active.
 *
 * @example
 * ```ts
 * import { getBackend } from "@tapegrad/core";
 * await warmup(getBackend(), ["matmulBiasAct", "sigmoid", "sub", "sum"]);
 * ```
 */
export function warmup(backend: Backend, ops?: readonly string[]): Promise<number> {
  return backend instanceof WebGLBackend ? backend.warmup(ops) : Promise.resolve(0);
}
