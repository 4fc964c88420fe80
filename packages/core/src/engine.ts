import { BACKEND_KERNEL_METHODS, type Backend, type DataId, type TensorInfo } from "./backend.js";
import { bytesPerElement, type DType } from "./dtype.js";
import { ArgumentError, BackendError, DisposedError, kindOf } from "./errors.js";
import { type Shape, sizeOf } from "./shape.js";
import { Tensor } from "./tensor.js";

/**
 * Attributes of a recorded op (axes, flags, constants), as given to its gradient rule.
 *
 * @example
 * ```ts
 * const attrs: OpAttrs = { axes: [1], transposeA: false };
 * ```
 */
export type OpAttrs = Readonly<Record<string, unknown>>;

/**
 * Receives every op that core runs while it is installed; this is how `@tapegrad/autograd`
 * builds its tape without core knowing about gradients. `tracks` lets core skip work (and use
 * fused kernels) when no input is being differentiated.
 *
 * @example
 * ```ts
 * const log: OpObserver = {
 *   tracks: () => true,
 *   record: (op, inputs, output) => console.log(op, output.shape),
 * };
 * setOpObserver(log);
 * ```
 */
export interface OpObserver {
  /** Whether any of an op's inputs is being watched; when false, `record` is not called. */
  tracks(inputs: readonly Tensor[]): boolean;
  /** Receives one op after it ran: its name, inputs, output and attributes. */
  record(op: string, inputs: readonly Tensor[], output: Tensor, attrs: OpAttrs): void;
}

interface StorageEntry {
  refs: number;
  readonly bytes: number;
  readonly backend: Backend;
}

interface EngineState {
  backend: Backend | null;
  nextId: number;
  readonly live: Set<Tensor>;
  readonly storage: Map<DataId, StorageEntry>;
  readonly scopes: Set<Tensor>[];
  observer: OpObserver | null;
  debug: boolean;
  /** Bytes of live storage, kept as buffers come and go so reading it is O(1). */
  bytes: number;
  /** Highest `bytes` since the last `resetPeakBytes`. */
  peakBytes: number;
}

// One engine per process even if two copies of core get bundled: tensors from one copy must
// be usable by the other, as TensorFlow.js learned the hard way.
const KEY = Symbol.for("tapegrad.engine");
const globalSlot = globalThis as unknown as { [KEY]?: EngineState };
const state: EngineState = (globalSlot[KEY] ??= {
  backend: null,
  nextId: 0,
  live: new Set(),
  storage: new Map(),
  scopes: [],
  observer: null,
  debug: false,
  bytes: 0,
  peakBytes: 0,
});

/**
 * Makes `backend` the one every new tensor and op uses. Accepts a promise for backends that
 * start asynchronously (WebGL) and then returns a promise.
 *
 * @example
 * ```ts
 * import { cpu } from "@tapegrad/backend-cpu";
 * setBackend(cpu());
 * ```
 */
export function setBackend(backend: Backend): void;
export function setBackend(backend: Promise<Backend>): Promise<void>;
export function setBackend(backend: Backend | Promise<Backend>): void | Promise<void> {
  if (backend instanceof Promise) {
    return backend.then((b) => {
      state.backend = checkBackend(b);
    });
  }
  state.backend = checkBackend(backend);
}

// The members of the Backend contract that are not optional. Checked when a backend is set,
// so a wrong argument fails there with a message instead of as a TypeError in the first op.
const REQUIRED_METHODS = [
  "write",
  "read",
  "readSync",
  "disposeData",
  "memory",
  ...BACKEND_KERNEL_METHODS,
] as const satisfies readonly (keyof Backend)[];

function checkBackend(backend: unknown): Backend {
  const expected = 'expected a Backend such as cpu() from "@tapegrad/backend-cpu"';
  if (backend === null || typeof backend !== "object") {
    throw new BackendError(`setBackend: got ${kindOf(backend)}, ${expected}`);
  }
  const b = backend as Record<string, unknown>;
  const problems: string[] = [];
  if (typeof b.name !== "string") problems.push("no name");
  const capabilities = b.capabilities as { dtypes?: unknown } | undefined;
  if (typeof capabilities !== "object" || capabilities === null || !Array.isArray(capabilities.dtypes)) {
    problems.push("no capabilities.dtypes");
  }
  const missing = REQUIRED_METHODS.filter((m) => typeof b[m] !== "function");
  if (missing.length > 0) problems.push(`no ${missing.join(", ")}`);
  if (problems.length > 0) throw new BackendError(`setBackend: the object has ${problems.join("; ")}; ${expected}`);
  return backend as Backend;
}

/**
 * The current backend; throws a BackendError saying what to call when none is set.
 *
 * @example
 * ```ts
 * getBackend().name; // "cpu"
 * ```
 */
export function getBackend(): Backend {
  if (state.backend === null) {
    throw new BackendError(
      'no backend set: call setBackend(cpu()) from "@tapegrad/backend-cpu" (or await setBackend(webgl())) first',
    );
  }
  return state.backend;
}

/**
 * Installs (or, with null, removes) the op observer. Returns the previous one so callers can
 * nest and restore.
 *
 * @example
 * ```ts
 * const previous = setOpObserver(myTape);
 * try { f(); } finally { setOpObserver(previous); }
 * ```
 */
export function setOpObserver(observer: OpObserver | null): OpObserver | null {
  const previous = state.observer;
  state.observer = observer;
  return previous;
}

/**
 * The installed op observer, if any.
 *
 * @example
 * ```ts
 * if (getOpObserver() === null) console.log("nothing is being recorded");
 * ```
 */
export function getOpObserver(): OpObserver | null {
  return state.observer;
}

/**
 * Turns on (or off) recording where each tensor was created, so leak reports name the line.
 * Costs a stack trace per tensor: leave it off outside debugging.
 *
 * @example
 * ```ts
 * setDebugMode(true);
 * const t = zeros([2]);
 * t.creationSite; // "at model.ts:12:5 ..."
 * ```
 */
export function setDebugMode(on: boolean): void {
  state.debug = on;
}

/** @internal Checks that every input is alive and on the current backend; returns the backend. */
export function prepareInputs(op: string, inputs: readonly Tensor[]): Backend {
  const backend = getBackend();
  inputs.forEach((t, i) => {
    if (!(t instanceof Tensor)) {
      throw new ArgumentError(`${op}: input ${i} is ${kindOf(t)}, expected a Tensor`);
    }
  });
  for (const t of inputs) {
    if (t.isDisposed) throw new DisposedError(`${op}: input tensor #${t.id} ${t.describe()} was disposed`);
    if (t.backend !== backend) {
      throw new BackendError(
        `${op}: tensor #${t.id} lives on backend "${t.backend.name}" but the current backend is "${backend.name}"; ` +
          "create it again on the current backend",
      );
    }
  }
  return backend;
}

/** @internal Wraps fresh backend storage in a tensor registered with the current scope. */
export function makeTensor(dataId: DataId, shape: Shape, dtype: DType, backend: Backend): Tensor {
  return makeHandle(Tensor, dataId, shape, dtype, backend);
}

/** @internal Like makeTensor, for a Tensor subclass with the same constructor (Variable). */
export function makeHandle<T extends Tensor>(
  ctor: new (id: number, dataId: DataId, shape: Shape, dtype: DType, backend: Backend, site?: string) => T,
  dataId: DataId,
  shape: Shape,
  dtype: DType,
  backend: Backend,
): T {
  retainStorage(dataId, shape, dtype, backend);
  const site = state.debug ? creationSite() : undefined;
  const t = new ctor(state.nextId++, dataId, shape, dtype, backend, site);
  state.live.add(t);
  state.scopes[state.scopes.length - 1]?.add(t);
  return t;
}

function creationSite(): string {
  // An op's own frames can fill V8's default 10-frame trace before the user's line appears.
  const v8 = Error as { stackTraceLimit?: number };
  const limit = v8.stackTraceLimit;
  v8.stackTraceLimit = 50;
  const stack = new Error().stack ?? "";
  v8.stackTraceLimit = limit;
  const lines = stack.split("\n").slice(1);
  // Skip frames inside tapegrad itself so the report names the user's line.
  const user = lines.find((l) => !/[/\\](core|autograd|nn|backend-[a-z]+)[/\\](dist|src)[/\\]/.test(l));
  return (user ?? lines[0] ?? "").trim();
}

/** @internal Counts one more handle on `dataId` (registering it on first use). */
export function retainStorage(dataId: DataId, shape: Shape, dtype: DType, backend: Backend): void {
  let entry = state.storage.get(dataId);
  if (entry === undefined) {
    entry = { refs: 0, bytes: sizeOf(shape) * bytesPerElement(dtype), backend };
    state.storage.set(dataId, entry);
    state.bytes += entry.bytes;
    if (state.bytes > state.peakBytes) state.peakBytes = state.bytes;
  }
  entry.refs++;
}

/** @internal Drops one handle from `dataId`; frees it with the last. */
export function releaseStorage(dataId: DataId): void {
  const entry = state.storage.get(dataId);
  if (entry === undefined) return;
  if (--entry.refs === 0) {
    state.storage.delete(dataId);
    state.bytes -= entry.bytes;
    entry.backend.disposeData(dataId);
  }
}

/** @internal Frees a tensor's handle and, with its last handle, its storage. */
export function releaseTensor(t: Tensor): void {
  state.live.delete(t);
  for (const scope of state.scopes) scope.delete(t);
  releaseStorage(t.dataId);
}

/** @internal The kernel's view of a tensor. */
export function info(t: Tensor): TensorInfo {
  return t;
}

/**
 * Runs one op: checks its inputs, calls the kernel, wraps the result and reports it to the
 * observer. Every op in core goes through here (or through {@link runComposite}).
 *
 * @example
 * ```ts
 * const y = runOp("neg", [x], {}, (b) => b.unary("neg", x), x.shape, x.dtype);
 * ```
 */
export function runOp(
  op: string,
  inputs: readonly Tensor[],
  attrs: OpAttrs,
  kernel: (backend: Backend) => DataId,
  outShape: Shape,
  outDtype: DType,
): Tensor {
  const backend = prepareInputs(op, inputs);
  const out = makeTensor(kernel(backend), outShape, outDtype, backend);
  const observer = state.observer;
  if (observer?.tracks(inputs)) observer.record(op, inputs, out, attrs);
  return out;
}

/**
 * A backend's fused kernel for a composite, with the shape and dtype it produces. `kernel`
 * returns undefined when the backend has no such kernel.
 *
 * @example
 * ```ts
 * const fused: FusedCall = { kernel: (b) => b.fused?.sigmoid?.(x), shape: x.shape, dtype: x.dtype };
 * ```
 */
export interface FusedCall {
  /** Runs the backend's fused kernel, or returns undefined when the backend has none. */
  kernel(backend: Backend): DataId | undefined;
  readonly shape: Shape;
  readonly dtype: DType;
}

/**
 * Runs a composite op that has its own gradient rule (for stability, e.g. logSumExp): its
 * primitives run unobserved and the observer sees the composite as one op. A fused kernel,
 * if the backend has one, replaces the composed primitives.
 *
 * @example
 * ```ts
 * const y = runComposite("sigmoid", [x], {}, () => composedSigmoid(x));
 * ```
 */
export function runComposite(
  op: string,
  inputs: readonly Tensor[],
  attrs: OpAttrs,
  composed: () => Tensor,
  fused?: FusedCall,
): Tensor {
  const backend = prepareInputs(op, inputs);
  const observer = state.observer;
  state.observer = null;
  let out: Tensor;
  try {
    out = runFusedOrComposed(backend, composed, fused);
  } finally {
    state.observer = observer;
  }
  if (observer?.tracks(inputs)) observer.record(op, inputs, out, attrs);
  return out;
}

/**
 * Runs a composite that has no gradient rule of its own: composed (so autograd sees each
 * primitive) whenever an input is being differentiated, else the backend's fused kernel if it
 * has one. Gradients therefore never depend on whether the fused kernel ran.
 *
 * @example
 * ```ts
 * const y = runFusable("activationGrad", [dy, y], () => mul(dy, greater(y, 0)), fusedCall);
 * ```
 */
export function runFusable(op: string, inputs: readonly Tensor[], composed: () => Tensor, fused: FusedCall): Tensor {
  const backend = prepareInputs(op, inputs);
  const observer = state.observer;
  if (observer?.tracks(inputs)) return composed();
  return runFusedOrComposed(backend, composed, fused);
}

function runFusedOrComposed(backend: Backend, composed: () => Tensor, fused: FusedCall | undefined): Tensor {
  const dataId = fused?.kernel(backend);
  if (dataId !== undefined && fused !== undefined) return makeTensor(dataId, fused.shape, fused.dtype, backend);
  const scope = new Set<Tensor>();
  state.scopes.push(scope);
  let out: Tensor;
  try {
    out = composed();
  } finally {
    state.scopes.pop();
  }
  for (const t of scope) if (t !== out) t.dispose();
  state.scopes[state.scopes.length - 1]?.add(out);
  return out;
}

/** @internal The engine's mutable state, for memory.ts. */
export function engineState(): EngineState {
  return state;
}
