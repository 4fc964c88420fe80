import { cast, equal, greater, mean, type Tensor, tidy } from "@tapegrad/core";
import { alignTargets } from "../losses/common.js";

/**
 * Fraction of elements whose prediction, thresholded (`yPred > threshold`, default 0.5), equals
 * the 0/1 target — Keras's `binary_accuracy` (per-sample mean over the last axis, then the batch
 * mean). Returns a float scalar; not differentiable. Name: `"binary_accuracy"`.
 *
 * @example
 * ```ts
 * binaryAccuracy(tensor([[1, 0, 1, 0]]), tensor([[0.9, 0.2, 0.4, 0.6]])).item(); // 0.5
 * ```
 */
export function binaryAccuracy(yTrue: Tensor, yPred: Tensor, threshold = 0.5): Tensor {
  return tidy(() => {
    const t = alignTargets("binaryAccuracy", yTrue, yPred);
    return mean(cast(equal(t, cast(greater(yPred, threshold), yPred.dtype)), yPred.dtype));
  });
}
