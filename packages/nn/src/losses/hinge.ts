import { maximum, mean, mul, sub, type Tensor, tidy } from "@tapegrad/core";
import { alignTargets } from "./common.js";

/**
 * Hinge loss, standalone Keras 2.3 semantics: `mean(max(1 − yTrue·yPred, 0), axis = −1)`, then
 * the batch mean. Targets are expected in {−1, 1}; unlike tf.keras, {0, 1} labels are not
 * converted (as in Keras 2.3), so map them with `2·y − 1` first. Name: `"hinge"`.
 *
 * @example
 * ```ts
 * hinge(tensor([[1, -1]]), tensor([[0.3, -2]])).item(); // (0.7 + 0) / 2 = 0.35
 * ```
 */
export function hinge(yTrue: Tensor, yPred: Tensor): Tensor {
  return tidy(() => mean(maximum(sub(1, mul(alignTargets("hinge", yTrue, yPred), yPred)), 0)));
}
