import type { DType, TypedArray } from "./dtype.js";
import type { Shape } from "./shape.js";

/**
 * Opaque handle to a backend's storage for one tensor's elements (a typed array on the CPU, a
 * texture on WebGL). The engine counts references to it; the backend frees it in
 * {@link Backend.disposeData}.
 *
 * @example
 * ```ts
 * const id: DataId = backend.write(new Float32Array([1, 2]), "float32");
 * ```
 */
export type DataId = object;

/**
 * What a kernel receives for each operand: storage plus the shape and dtype core validated.
 * Storage is always dense row-major, so a reshape is a view that shares the `dataId`.
 *
 * @example
 * ```ts
 * const info: TensorInfo = { dataId, shape: [2, 3], dtype: "float32" };
 * ```
 */
export interface TensorInfo {
  readonly dataId: DataId;
  readonly shape: Shape;
  readonly dtype: DType;
}

/**
 * What a backend can do; core checks it before any kernel runs.
 *
 * @example
 * ```ts
 * getBackend().capabilities.floatPrecision; // 64 on the CPU backend
 * ```
 */
export interface BackendCapabilities {
  /** The dtypes this backend stores and computes. */
  readonly dtypes: readonly DType[];
  /** Bits of precision float math actually runs in (32 for WebGL even when asked for float64). */
  readonly floatPrecision: 32 | 64;
  /** Whether `readSync` works (false where only asynchronous readback is allowed). */
  readonly syncRead: boolean;
}

/**
 * Elementwise primitives of one operand.
 *
 * @example
 * ```ts
 * const op: UnaryOp = "exp";
 * ```
 */
export type UnaryOp =
  | "neg"
  | "exp"
  | "log"
  | "log1p"
  | "sqrt"
  | "abs"
  | "sign"
  | "sin"
  | "cos"
  | "tanh"
  | "reciprocal"
  | "floor"
  | "ceil"
  | "round"
  | "logicalNot";

/**
 * Elementwise primitives of two operands with NumPy broadcasting. Comparisons and logical ops
 * produce bool.
 *
 * @example
 * ```ts
 * const op: BinaryOp = "maximum";
 * ```
 */
export type BinaryOp =
  | "add"
  | "sub"
  | "mul"
  | "div"
  | "pow"
  | "maximum"
  | "minimum"
  | "equal"
  | "notEqual"
  | "less"
  | "lessEqual"
  | "greater"
  | "greaterEqual"
  | "logicalAnd"
  | "logicalOr";

/**
 * Reductions over a set of axes.
 *
 * @example
 * ```ts
 * const op: ReduceOp = "sum";
 * ```
 */
export type ReduceOp = "sum" | "max" | "min";

/**
 * Activations a backend may fuse into a matmul epilogue.
 *
 * @example
 * ```ts
 * const act: FusedActivation = "relu";
 * ```
 */
export type FusedActivation = "linear" | "relu" | "sigmoid" | "tanh";

/**
 * Hyperparameters of one fused Adam step (see {@link FusedKernels.adamUpdate}): the decay
 * rates, ε̂, and the bias-corrected step size α·√(1 − β₂ᵗ)/(1 − β₁ᵗ) of this step.
 *
 * @example
 * ```ts
 * const hyper: AdamHyper = { stepSize: 1e-3, beta1: 0.9, beta2: 0.999, epsilon: 1e-7 };
 * ```
 */
export interface AdamHyper {
  readonly stepSize: number;
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;
}

/**
 * Optional fused kernels for composites. Core uses one only where it gives the same result as
 * the composed primitives (the conformance suite checks this) and only where autograd does
 * not need the primitives recorded, so gradients never depend on whether a fused kernel ran.
 *
 * @example
 * ```ts
 * const fused: FusedKernels = { sigmoid: (x) => mySigmoid(x) };
 * ```
 */
export interface FusedKernels {
  /** 1 / (1 + exp(-x)), elementwise; float dtypes. */
  sigmoid?(x: TensorInfo): DataId;
  /** Softmax along the last axis; float dtypes. */
  softmax?(x: TensorInfo): DataId;
  /**
   * act(op(a)·op(b) + bias) for 2-D a, b (op = optional transpose) and bias of shape [n] or
   * absent. Output shape [m, n].
   */
  matmulBiasAct?(
    a: TensorInfo,
    b: TensorInfo,
    bias: TensorInfo | null,
    activation: FusedActivation,
    transposeA: boolean,
    transposeB: boolean,
  ): DataId;
  /**
   * dy · act'(z) for y = act(z), with the derivative read from the output y: relu y > 0 ? dy : 0
   * (0 where y is NaN), sigmoid dy·(y·(1 − y)), tanh dy·(1 − y²), linear dy. dy and y share
   * shape and float dtype.
   */
  activationGrad?(dy: TensorInfo, y: TensorInfo, activation: FusedActivation): DataId;
  /**
   * One Adam step in one pass, as fresh storage [param', m', v'] (the inputs stay unchanged):
   * m' = m + (g − m)(1 − β₁), v' = v + (g² − v)(1 − β₂), param' = param − stepSize·m'/(√v' + ε).
   * All four operands share shape and float dtype.
   */
  adamUpdate?(
    param: TensorInfo,
    grad: TensorInfo,
    m: TensorInfo,
    v: TensorInfo,
    hyper: AdamHyper,
  ): readonly [DataId, DataId, DataId];
}

/**
 * The contract every backend implements: storage, then about thirty primitive kernels. Core
 * validates shapes, dtypes and attributes before calling a kernel and computes every output
 * shape, which it passes in; a kernel only computes. Inputs are never modified, and each call
 * returns fresh storage that the engine will later hand to {@link Backend.disposeData}.
 *
 * @example
 * ```ts
 * import { setBackend } from "@tapegrad/core";
 * import { cpu } from "@tapegrad/backend-cpu";
 * setBackend(cpu());
 * ```
 */
export interface Backend {
  /** A short name such as "cpu" or "webgl", used in `memory()` and error messages. */
  readonly name: string;
  readonly capabilities: BackendCapabilities;
  readonly fused?: FusedKernels;

  // Storage.
  /** Stores a copy of `values` (length = element count) as `dtype`. */
  write(values: TypedArray, dtype: DType): DataId;
  /** Reads all elements back as a fresh typed array of the storage's dtype. */
  read(dataId: DataId): Promise<TypedArray>;
  /** Synchronous read; throws a BackendError where `capabilities.syncRead` is false. */
  readSync(dataId: DataId): TypedArray;
  /** Frees (or returns to a pool) the storage. Called exactly once per DataId. */
  disposeData(dataId: DataId): void;
  /** Bytes this backend currently holds, including pooled buffers not in use. */
  memory(): { bytesInUse: number; bytesPooled: number };
  /** Frees everything the backend holds (pools, programs, contexts). */
  dispose?(): void;

  // Creation.
  /** `size` elements all equal to `value`. */
  fill(size: number, value: number, dtype: DType): DataId;
  /** start, start+step, … (`size` elements). */
  arange(start: number, step: number, size: number, dtype: DType): DataId;

  // Elementwise.
  /**
   * Elementwise op; output has `x.shape` and x's dtype. `round` rounds halves to even and keeps
   * the sign of zero (NumPy); `sign(NaN)` is NaN.
   */
  unary(op: UnaryOp, x: TensorInfo): DataId;
  /**
   * Elementwise op with broadcasting to `outShape`. Both operands share one dtype (core casts
   * first); output dtype is bool for comparisons and logical ops, else the operands' dtype.
   * Integer div truncates toward zero like C; pow of int32 is computed in float64 then truncated;
   * int32 results wrap like C. `maximum`/`minimum` propagate NaN. Arithmetic on bool operands
   * is computed on 0/1 and stored as `result !== 0`.
   */
  binary(op: BinaryOp, a: TensorInfo, b: TensorInfo, outShape: Shape): DataId;
  /** cond (bool) ? a : b, all three broadcast to `outShape`; a and b share a dtype. */
  where(cond: TensorInfo, a: TensorInfo, b: TensorInfo, outShape: Shape): DataId;
  /** Converts to `dtype`: floats to int32 truncate toward zero, non-zero becomes true. */
  cast(x: TensorInfo, dtype: DType): DataId;

  // Reductions.
  /**
   * Reduces over `axes` (sorted, unique, non-empty). Output shape is x.shape with those axes
   * removed; dtype is x's (sum of bool is int32). max/min propagate NaN. Float32 sums may
   * accumulate in higher precision. Core never asks for max/min over an empty axis.
   */
  reduce(op: ReduceOp, x: TensorInfo, axes: readonly number[]): DataId;
  /**
   * Index (int32) of the first maximum (or minimum) along `axis`; output drops that axis. A NaN
   * wins (the first NaN's index), as in NumPy. Core never passes an empty axis.
   */
  argReduce(op: "argmax" | "argmin", x: TensorInfo, axis: number): DataId;

  // Linear algebra.
  /**
   * Batched matrix product of op(a)·op(b), op = optional transpose of the last two axes.
   * Batch dimensions (all but the last two) broadcast to `outShape`'s. Float dtypes and int32.
   */
  matmul(a: TensorInfo, b: TensorInfo, transposeA: boolean, transposeB: boolean, outShape: Shape): DataId;

  // Movement.
  /** out[i0..] = x[perm-permuted index]: output dim k is input dim perm[k]. */
  transpose(x: TensorInfo, perm: readonly number[]): DataId;
  /** Repeats size-1 (or missing leading) dimensions of x up to `shape`. */
  broadcastTo(x: TensorInfo, shape: Shape): DataId;
  /** The box starting at `begin` with extent `size` (step 1). */
  slice(x: TensorInfo, begin: readonly number[], size: readonly number[]): DataId;
  /** Pads each axis with `paddings[axis] = [before, after]` elements equal to `value`. */
  pad(x: TensorInfo, paddings: readonly (readonly [number, number])[], value: number): DataId;
  /** Joins same-dtype tensors along `axis`; shapes agree elsewhere. */
  concat(xs: readonly TensorInfo[], axis: number): DataId;
  /**
   * Takes slices of x along `axis` at `indices` (int32, any shape, values in range):
   * output shape = x.shape[:axis] ++ indices.shape ++ x.shape[axis+1:].
   */
  gather(x: TensorInfo, indices: TensorInfo, axis: number): DataId;
  /**
   * The adjoint of gather: a zero tensor of `outShape` into which each slice of `updates` is
   * added at its index along `axis` (repeated indices accumulate).
   */
  scatterAdd(updates: TensorInfo, indices: TensorInfo, axis: number, outShape: Shape): DataId;
}

/**
 * The kernel methods of the {@link Backend} contract (every required member but the storage
 * methods write, read, readSync, disposeData and memory), in contract order. `setBackend`
 * checks that a backend has each one; tools that wrap or survey backends can use the list to
 * tell kernels from storage.
 *
 * @example
 * ```ts
 * const missing = BACKEND_KERNEL_METHODS.filter((m) => typeof myBackend[m] !== "function");
 * ```
 */
export const BACKEND_KERNEL_METHODS = Object.freeze([
  "fill",
  "arange",
  "unary",
  "binary",
  "where",
  "cast",
  "reduce",
  "argReduce",
  "matmul",
  "transpose",
  "broadcastTo",
  "slice",
  "pad",
  "concat",
  "gather",
  "scatterAdd",
] as const satisfies readonly (keyof Backend)[]);
