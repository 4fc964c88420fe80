import { DisposedError, isFloat, Tensor } from "@tapegrad/core";
import { GradientError } from "./errors.js";

/** What a wrong argument was, for messages: "null", "an array", "number". */
function kindOf(v: unknown): string {
  if (v === null) return "null";
  return Array.isArray(v) ? "an array" : typeof v;
}

/**
 * Checks that the argument `name` of `api` is a function: a misplaced argument fails here,
 * naming the API, instead of as a TypeError deep inside a gradient computation.
 *
 * @example
 * ```ts
 * checkFunction("grad", f, "f");
 * ```
 */
export function checkFunction(api: string, f: unknown, name: string): void {
  if (typeof f !== "function") throw new GradientError(`${api}: ${name} is ${kindOf(f)}, expected a function`);
}

/**
 * Checks that the argument `name` of `api` is a live Tensor.
 *
 * @example
 * ```ts
 * checkTensor("stopGradient", x, "x");
 * ```
 */
export function checkTensor(api: string, t: unknown, name: string): asserts t is Tensor {
  if (!(t instanceof Tensor)) throw new GradientError(`${api}: ${name} is ${kindOf(t)}, expected a Tensor`);
  if (t.isDisposed) throw new DisposedError(`${api}: ${name} (tensor #${t.id} ${t.describe()}) was disposed`);
}

/**
 * Checks that each tensor to differentiate with respect to is a live float tensor.
 * `label(i)` names it in messages ("argument 0", "params.w").
 *
 * @example
 * ```ts
 * checkSources("grad", [x], (i) => `argument ${i}`);
 * ```
 */
export function checkSources(api: string, sources: readonly unknown[], label: (i: number) => string): void {
  sources.forEach((t, i) => {
    checkTensor(api, t, label(i));
    if (!isFloat(t.dtype)) {
      throw new GradientError(
        `${api}: ${label(i)} is ${t.describe()}; gradients exist only for float32 and float64 tensors ` +
          "(int32 and bool tensors carry no gradient: close over them instead of differentiating)",
      );
    }
  });
}

/**
 * Checks what a differentiated function returned: a float tensor, and (unless `anyShape`)
 * a scalar.
 *
 * @example
 * ```ts
 * checkOutput("grad", loss, false);
 * ```
 */
export function checkOutput(api: string, value: unknown, anyShape: boolean): Tensor {
  if (!(value instanceof Tensor)) {
    throw new GradientError(`${api}: f returned ${kindOf(value)}, expected a Tensor`);
  }
  if (!isFloat(value.dtype)) {
    throw new GradientError(`${api}: f returned ${value.describe()}; only float outputs can be differentiated`);
  }
  if (!anyShape && value.size !== 1) {
    throw new GradientError(
      `${api}: f returned a non-scalar ${value.describe()}; ${api} needs a scalar (one-element) output. ` +
        "For a non-scalar output use vjp(f, ...xs) and pass an explicit cotangent to its pullback",
    );
  }
  return value;
}
