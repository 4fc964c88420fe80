import { engineState } from "./engine.js";
import { ArgumentError, kindOf } from "./errors.js";
import { Tensor } from "./tensor.js";

/**
 * Tensors nested in arrays and plain objects, as `tidy` returns and `dispose` accepts.
 *
 * @example
 * ```ts
 * const c: TensorContainer = { loss, grads: [gw, gb] };
 * ```
 */
export type TensorContainer =
  | Tensor
  | number
  | string
  | boolean
  | null
  | undefined
  | void
  | readonly TensorContainer[]
  | { readonly [key: string]: TensorContainer };

function collect(container: unknown, out: Set<Tensor>, seen = new Set<unknown>()): Set<Tensor> {
  if (container instanceof Tensor) out.add(container);
  else if (container !== null && typeof container === "object" && !seen.has(container)) {
    seen.add(container);
    for (const v of Object.values(container)) collect(v, out, seen);
  }
  return out;
}

/**
 * Runs `fn` and disposes every tensor it created except those it returns (anywhere inside an
 * array or object) and those passed to {@link keep}. Synchronous only: for async code use
 * {@link MemoryScope}.
 *
 * @example
 * ```ts
 * const loss = tidy(() => mean(square(sub(predict(x), y)))); // intermediates are freed
 * ```
 */
export function tidy<T extends TensorContainer>(fn: () => T): T {
  if (typeof fn !== "function") {
    throw new ArgumentError(`tidy: got ${kindOf(fn)}, expected a function to run`);
  }
  const state = engineState();
  const scope = new Set<Tensor>();
  state.scopes.push(scope);
  let result: T;
  try {
    result = fn();
  } catch (e) {
    state.scopes.pop();
    for (const t of scope) t.dispose();
    throw e;
  }
  state.scopes.pop();
  if (result instanceof Promise) {
    for (const t of scope) t.dispose();
    throw new ArgumentError(
      "tidy: the function returned a Promise; tidy is synchronous, use a MemoryScope for async code",
    );
  }
  const returned = collect(result, new Set());
  for (const t of scope) if (!returned.has(t)) t.dispose();
  const parent = state.scopes[state.scopes.length - 1];
  if (parent !== undefined) for (const t of returned) if (scope.has(t)) parent.add(t);
  return result;
}

/**
 * Exempts a tensor from disposal by every enclosing `tidy` and scope; returns it.
 *
 * @example
 * ```ts
 * tidy(() => {
 *   cache = keep(expensive(x));
 * });
 * ```
 */
export function keep<T extends Tensor>(t: T): T {
  if (!(t instanceof Tensor)) throw new ArgumentError(`keep: got ${kindOf(t)}, expected a Tensor`);
  for (const scope of engineState().scopes) scope.delete(t);
  return t;
}

/**
 * Disposes every tensor inside a container (arrays and objects are walked).
 *
 * @example
 * ```ts
 * dispose({ w, b, history: [h1, h2] });
 * ```
 */
export function dispose(container: TensorContainer): void {
  for (const t of collect(container, new Set())) t.dispose();
}

/**
 * An explicit memory scope for asynchronous code, where `tidy` cannot follow the awaits:
 * run synchronous pieces inside it with `run`, and `dispose()` (or `using`) it at the end.
 *
 * @example
 * ```ts
 * using scope = new MemoryScope();
 * for (const batch of batches) {
 *   scope.run(() => step(batch));
 *   await nextFrame();
 * }
 * // every tensor made inside run() is freed here, except those kept
 * ```
 */
export class MemoryScope {
  readonly #tensors = new Set<Tensor>();
  #closed = false;

  /** Runs `fn`; tensors it creates belong to this scope. */
  run<T>(fn: () => T): T {
    if (this.#closed) throw new ArgumentError("MemoryScope.run: the scope was already disposed");
    if (typeof fn !== "function") {
      throw new ArgumentError(`MemoryScope.run: got ${kindOf(fn)}, expected a function to run`);
    }
    const state = engineState();
    state.scopes.push(this.#tensors);
    try {
      return fn();
    } finally {
      state.scopes.pop();
    }
  }

  /** Adds tensors made elsewhere to this scope; returns the first. */
  track<T extends Tensor>(t: T, ...more: Tensor[]): T {
    this.#tensors.add(t);
    for (const m of more) this.#tensors.add(m);
    return t;
  }

  /** Removes a tensor from this scope so `dispose()` leaves it alive. */
  keep<T extends Tensor>(t: T): T {
    this.#tensors.delete(t);
    return t;
  }

  /** Live tensors the scope holds. */
  get size(): number {
    // Tensors disposed while the scope was not running stay in the set until dispose().
    let n = 0;
    for (const t of this.#tensors) if (!t.isDisposed) n++;
    return n;
  }

  /** Disposes every tensor the scope holds. */
  dispose(): void {
    this.#closed = true;
    for (const t of this.#tensors) t.dispose();
    this.#tensors.clear();
  }

  /** Lets `using scope = new MemoryScope()` dispose the scope at the end of its block. */
  [Symbol.dispose](): void {
    this.dispose();
  }
}

/**
 * Live memory, per backend and in total.
 *
 * @example
 * ```ts
 * const info: MemoryInfo = memory();
 * ```
 */
export interface MemoryInfo {
  /** Live tensor handles (views count once each). */
  numTensors: number;
  /** Distinct storage buffers those tensors use. */
  numDataBuffers: number;
  /** Bytes of those buffers. */
  numBytes: number;
  /** The highest `numBytes` since the last {@link resetPeakBytes} (or since start). */
  peakBytes: number;
  /** Per backend: the tensors' bytes, and what the backend itself holds (including pools). */
  backends: Record<string, { numTensors: number; numBytes: number; bytesInUse: number; bytesPooled: number }>;
}

/**
 * Reports live tensors and bytes, in total and per backend. Tests assert that it returns to a
 * baseline; see also {@link liveTensors} for a leak report.
 *
 * @example
 * ```ts
 * const before = memory().numTensors;
 * tidy(() => square(x));
 * memory().numTensors === before; // true
 * ```
 */
export function memory(): MemoryInfo {
  const state = engineState();
  const backends: MemoryInfo["backends"] = {};
  for (const t of state.live) {
    const b = (backends[t.backend.name] ??= { numTensors: 0, numBytes: 0, ...t.backend.memory() });
    b.numTensors++;
  }
  for (const entry of state.storage.values()) {
    const b = (backends[entry.backend.name] ??= { numTensors: 0, numBytes: 0, ...entry.backend.memory() });
    b.numBytes += entry.bytes;
  }
  return {
    numTensors: state.live.size,
    numDataBuffers: state.storage.size,
    numBytes: state.bytes,
    peakBytes: state.peakBytes,
    backends,
  };
}

/**
 * Starts a new high-water mark: `memory().peakBytes` becomes the bytes live now and rises
 * with every buffer allocated after, so the peak of one phase (a training step, an epoch)
 * can be measured without sampling inside it.
 *
 * @example
 * ```ts
 * resetPeakBytes();
 * await fit(model, x, y, { loss: "mse", optimizer: "adam", epochs: 1 });
 * console.log(memory().peakBytes - memory().numBytes); // transient bytes of the epoch
 * ```
 */
export function resetPeakBytes(): void {
  const state = engineState();
  state.peakBytes = state.bytes;
}

/**
 * The live tensors, oldest first. With debug mode on (see `setDebugMode`), each carries the
 * line that created it, so `formatLeaks(liveTensors())` names the leaking code.
 *
 * @example
 * ```ts
 * const before = new Set(liveTensors());
 * run();
 * const leaked = liveTensors().filter((t) => !before.has(t));
 * ```
 */
export function liveTensors(): Tensor[] {
  return [...engineState().live].sort((a, b) => a.id - b.id);
}

/**
 * A readable report of tensors (usually leaked ones): id, dtype, shape, creation site.
 *
 * @example
 * ```ts
 * console.log(formatLeaks(leaked));
 * // 2 live tensors:
 * //   #41 float32[256,128] created at train.ts:30:12
 * ```
 */
export function formatLeaks(tensors: readonly Tensor[]): string {
  const lines = tensors.map(
    (t) =>
      `  #${t.id} ${t.describe()} ${t.creationSite ? `created ${t.creationSite}` : "(turn on setDebugMode(true) to see where)"}`,
  );
  return [`${tensors.length} live tensor${tensors.length === 1 ? "" : "s"}:`, ...lines].join("\n");
}
