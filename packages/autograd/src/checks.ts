import { DisposedError, isFloat, Tensor } from "@tapegrad/core";
import { GradientError } from "./errors.js";

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
    if (!(t instanceof Tensor)) {
      throw new GradientError(`${api}: ${label(i)} is ${t === null ? "null" : typeof t}, expected a Tensor`);
    }
    if (t.isDisposed) throw new DisposedError(`${api}: ${label(i)} (tensor #${t.id} ${t.describe()}) was disposed`);
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
    throw new GradientError(`${api}: f returned ${value === null ? "null" : typeof value}, expected a Tensor`);
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
