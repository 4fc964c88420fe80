import { TapegradError } from "@tapegrad/core";
import type { GradcheckResult } from "./gradcheck.js";

/**
 * A misuse of the gradient API: a non-scalar output given to `grad`, a gradient asked for an
 * int32 or bool input, a pullback called after `dispose()`, a custom backward that returns the
 * wrong number of gradients.
 *
 * @example
 * ```ts
 * try {
 *   grad((x) => x)(tensor([1, 2])); // non-scalar output
 * } catch (e) {
 *   if (e instanceof GradientError) console.log(e.message); // "... use vjp ..."
 * }
 * ```
 */
export class GradientError extends TapegradError {}

/**
 * Thrown by `gradcheck` / `gradgradcheck` when analytic and numeric gradients disagree; its
 * message is the readable report, and `result` holds the numbers.
 *
 * @example
 * ```ts
 * try {
 *   gradcheck(myOp, [x]);
 * } catch (e) {
 *   if (e instanceof GradcheckError) console.log(e.result.worst);
 * }
 * ```
 */
export class GradcheckError extends TapegradError {
  /** The failed check: worst entry, max error, report. */
  readonly result: GradcheckResult | undefined;

  constructor(message: string, result?: GradcheckResult) {
    super(message);
    this.result = result;
  }
}
