import { formatLeaks, liveTensors, Tensor } from "@tapegrad/core";

/**
 * Thrown when code leaves tensors alive that it should have freed; the message lists them
 * (with creation sites when `setDebugMode(true)` is on).
 *
 * @example
 * ```ts
 * try {
 *   expectNoLeaks(() => ones([2]));
 * } catch (e) {
 *   if (e instanceof LeakError) console.log(e.leaked.length); // 1
 * }
 * ```
 */
export class LeakError extends Error {
  /** The tensors that stayed alive. */
  readonly leaked: readonly Tensor[];

  constructor(message: string, leaked: readonly Tensor[], options?: { cause?: unknown }) {
    super(message, options);
    this.name = "LeakError";
    this.leaked = leaked;
  }
}

/**
 * A snapshot of the live tensors, to compare against later (see {@link trackLeaks}).
 *
 * @example
 * ```ts
 * const tracker: LeakTracker = trackLeaks();
 * ```
 */
export interface LeakTracker {
  /** Tensors alive now that were not alive at the snapshot, oldest first. */
  leaked(): Tensor[];
  /** Throws a {@link LeakError} listing {@link LeakTracker.leaked} unless it is empty. */
  check(label?: string): void;
}

/**
 * Snapshots the live tensors now; the returned tracker reports tensors created since and
 * still alive. Useful across `beforeEach`/`afterEach` or around async code.
 *
 * @example
 * ```ts
 * let tracker: LeakTracker;
 * beforeEach(() => { tracker = trackLeaks(); });
 * afterEach(() => tracker.check());
 * ```
 */
export function trackLeaks(): LeakTracker {
  const before = new Set(liveTensors());
  const leaked = () => liveTensors().filter((t) => !before.has(t));
  return {
    leaked,
    check(label) {
      const l = leaked();
      if (l.length > 0) throw new LeakError(leakMessage(label, l), l);
    },
  };
}

function leakMessage(label: string | undefined, leaked: readonly Tensor[]): string {
  return `${label === undefined ? "" : `${label}: `}${leaked.length} tensor${leaked.length === 1 ? "" : "s"} leaked\n${formatLeaks(leaked)}`;
}

/** Tensors anywhere inside an array or plain object. */
function tensorsIn(value: unknown, out = new Set<Tensor>(), seen = new Set<unknown>()): Set<Tensor> {
  if (value instanceof Tensor) out.add(value);
  else if (value !== null && typeof value === "object" && !seen.has(value)) {
    seen.add(value);
    for (const v of Object.values(value)) tensorsIn(v, out, seen);
  }
  return out;
}

/**
 * Runs `fn` (sync or async) and throws a {@link LeakError} if tensors it created are still
 * alive afterwards. Tensors it returns (anywhere in an array or object) are the caller's and
 * do not count. If `fn` throws and also leaked, the LeakError carries the thrown error as its
 * cause; if it throws without leaking, its error passes through unchanged.
 *
 * @example
 * ```ts
 * expectNoLeaks(() => {
 *   using x = ones([2, 2]);
 *   tidy(() => x.matmul(x).sum());
 * }); // throws: the sum escaped tidy and nobody disposed it
 *
 * await expectNoLeaks(async () => {
 *   using x = ones([2]);
 *   await x.data();
 * }); // passes
 * ```
 */
export function expectNoLeaks<T>(fn: () => T): T;
export function expectNoLeaks<T>(fn: () => Promise<T>): Promise<T>;
export function expectNoLeaks<T>(fn: () => T | Promise<T>): T | Promise<T> {
  const tracker = trackLeaks();
  const finish = (result: T): T => {
    const returned = tensorsIn(result);
    const leaked = tracker.leaked().filter((t) => !returned.has(t));
    if (leaked.length > 0) throw new LeakError(leakMessage("expectNoLeaks", leaked), leaked);
    return result;
  };
  const fail = (error: unknown): never => {
    const leaked = tracker.leaked();
    if (leaked.length === 0) throw error;
    const reason = error instanceof Error ? error.message : String(error);
    throw new LeakError(`${leakMessage("expectNoLeaks", leaked)}\n(the function also threw: ${reason})`, leaked, {
      cause: error,
    });
  };
  let result: T | Promise<T>;
  try {
    result = fn();
  } catch (error) {
    return fail(error);
  }
  if (result instanceof Promise) return result.then(finish, fail);
  return finish(result);
}
