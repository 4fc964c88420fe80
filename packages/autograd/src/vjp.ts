import { clone, DisposedError, shapesEqual, Tensor, tidy, zeros } from "@tapegrad/core";
import { backward } from "./backward.js";
import { checkFunction, checkOutput, checkSources } from "./checks.js";
import { GradientError } from "./errors.js";
import { popTape, pushTape, Tape } from "./tape.js";

/**
 * What {@link vjp} returns: f's value (owned by the caller) and its pullback. The tape and
 * what it saved live until `dispose()` (or the end of a `using` block).
 *
 * @example
 * ```ts
 * using r = vjp((x) => exp(x), x);
 * const [dx] = r.pullback(ones(r.value.shape));
 * ```
 */
export interface VjpResult {
  readonly value: Tensor;
  /** Cotangent of the value (its shape and dtype) → one gradient per input. Callable until dispose(). */
  pullback(cotangent: Tensor): Tensor[];
  /** Frees the tape and everything it saved. Idempotent. */
  dispose(): void;
  /** Lets `using result = vjp(...)` dispose it at the end of its block. */
  [Symbol.dispose](): void;
}

/**
 * Runs `f(...xs)` and returns its value with a pullback: the vector-Jacobian product
 * `cotangent ↦ cotangentᵀ · ∂f/∂xs`, for outputs of any shape. The pullback may be called any
 * number of times (once per row of a Jacobian, say) until `dispose()`.
 *
 * @example
 * ```ts
 * const r = vjp((x) => mul(x, x), tensor([1, 2, 3]));
 * const [dx] = r.pullback(tensor([1, 1, 1])); // [2, 4, 6]
 * r.dispose();
 * ```
 */
export function vjp(f: (...xs: Tensor[]) => Tensor, ...xs: Tensor[]): VjpResult {
  checkFunction("vjp", f, "f");
  checkSources("vjp", xs, (i) => `argument ${i}`);
  const tape = new Tape(xs);
  let value: Tensor;
  try {
    pushTape(tape);
    try {
      value = tidy(() => {
        const y = checkOutput("vjp", f(...xs), true);
        // The caller owns the value, so it must never be one of their inputs.
        return xs.includes(y) ? clone(y) : y;
      });
    } finally {
      popTape(tape);
    }
  } catch (e) {
    tape.release();
    throw e;
  }
  const outputId = value.id;
  const shape = value.shape;
  const dtype = value.dtype;
  const depends = tape.watched.has(outputId);
  let disposed = false;
  const dispose = (): void => {
    if (disposed) return;
    disposed = true;
    tape.release();
  };
  return {
    value,
    pullback(cotangent: Tensor): Tensor[] {
      if (disposed) throw new GradientError("vjp: pullback called after dispose(); call it before disposing the vjp");
      if (!(cotangent instanceof Tensor)) throw new GradientError("vjp: the cotangent must be a Tensor");
      if (cotangent.isDisposed) throw new DisposedError(`vjp: the cotangent #${cotangent.id} was disposed`);
      if (!shapesEqual(cotangent.shape, shape) || cotangent.dtype !== dtype) {
        throw new GradientError(
          `vjp: the cotangent is ${cotangent.describe()}, expected the value's ${dtype}[${shape.join(",")}]`,
        );
      }
      return tidy(() =>
        // The sweep frees the cotangents it consumes, so it gets its own handle on the caller's.
        depends ? backward(tape, outputId, clone(cotangent), xs) : xs.map((x) => zeros(x.shape, x.dtype)),
      );
    },
    dispose,
    [Symbol.dispose]: dispose,
  };
}
