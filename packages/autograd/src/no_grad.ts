import { clone, type Tensor } from "@tapegrad/core";
import { checkFunction, checkTensor } from "./checks.js";
import { unrecorded } from "./tape.js";

/**
 * Runs `fn` with gradient recording off: ops inside are invisible to every tape, so their
 * results are constants to any gradient being taken around them. (Outside a gradient
 * computation nothing is recorded anyway; noGrad is for code inside one, such as an
 * optimizer step or a metric.)
 *
 * @example
 * ```ts
 * const dw = grad((w) => {
 *   const scale = noGrad(() => max(abs(w))); // treated as a constant
 *   return sum(div(w, scale));
 * })(w);
 * ```
 */
export function noGrad<T>(fn: () => T): T {
  checkFunction("noGrad", fn, "fn");
  return unrecorded(fn);
}

/**
 * A new handle on `x`'s values through which no gradient flows: to every tape it is a
 * constant (the op is not recorded). The caller owns it.
 *
 * @example
 * ```ts
 * const target = stopGradient(prediction); // d/dθ of target is 0
 * ```
 */
export function stopGradient(x: Tensor): Tensor {
  checkTensor("stopGradient", x, "x");
  return unrecorded(() => clone(x));
}
