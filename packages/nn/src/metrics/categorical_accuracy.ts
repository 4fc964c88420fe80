import { argmax, cast, equal, mean, type Tensor, tidy } from "@tapegrad/core";
import { alignTargets } from "../losses/common.js";

/**
 * Fraction of samples whose predicted class (argmax over the last axis) is the target's argmax
 * — Keras's `categorical_accuracy` for one-hot targets. Ties go to the first maximum.
 * Name: `"categorical_accuracy"`.
 *
 * @example
 * ```ts
 * categoricalAccuracy(tensor([[0, 1], [1, 0]]), tensor([[0.3, 0.7], [0.4, 0.6]])).item(); // 0.5
 * ```
 */
export function categoricalAccuracy(yTrue: Tensor, yPred: Tensor): Tensor {
  return tidy(() => {
    const t = alignTargets("categoricalAccuracy", yTrue, yPred);
    return mean(cast(equal(argmax(t, -1), argmax(yPred, -1)), yPred.dtype));
  });
}
