import { clip, div, log, logSoftmax, mul, neg, sum, type Tensor, tidy } from "@tapegrad/core";
import type { CrossentropyOptions } from "./binary_crossentropy.js";
import { alignTargets, EPSILON, samplesOf } from "./common.js";

/**
 * Categorical cross-entropy over one-hot (or soft) targets on the last axis, Keras 2 semantics.
 * From probabilities (default), as Keras 2's TensorFlow backend: each row of `yPred` is first
 * renormalised to sum to 1, then clipped to [1e-7, 1 − 1e-7], then the per-sample loss is
 * `−Σ_c y_c·log p_c`; the result is the mean over the batch. With `{ fromLogits: true }` the
 * per-sample loss is `−Σ_c y_c·logSoftmax(yPred)_c`. Name: `"categorical_crossentropy"`.
 *
 * @example
 * ```ts
 * categoricalCrossentropy(tensor([[0, 1]]), tensor([[0.2, 0.8]])).item(); // −ln 0.8 ≈ 0.2231
 * // unnormalised rows are renormalised first: [1, 3] → [0.25, 0.75]
 * categoricalCrossentropy(tensor([[0, 1]]), tensor([[1, 3]])).item(); // −ln 0.75 ≈ 0.2877
 * ```
 */
export function categoricalCrossentropy(yTrue: Tensor, yPred: Tensor, options: CrossentropyOptions = {}): Tensor {
  return tidy(() => {
    const t = alignTargets("categoricalCrossentropy", yTrue, yPred);
    const logP = options.fromLogits
      ? logSoftmax(yPred, -1)
      : log(clip(div(yPred, sum(yPred, -1, true)), EPSILON, 1 - EPSILON));
    // Σ over classes then mean over samples = Σ over everything / number of samples.
    return neg(div(sum(mul(t, logP)), samplesOf(yPred)));
  });
}
