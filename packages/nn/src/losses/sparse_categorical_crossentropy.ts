import { clip, DTypeError, div, log, logSoftmax, mul, neg, oneHot, sum, type Tensor, tidy } from "@tapegrad/core";
import type { CrossentropyOptions } from "./binary_crossentropy.js";
import { checkTensors, EPSILON, samplesOf, sparseLabels } from "./common.js";

/**
 * Categorical cross-entropy with integer class labels: `yTrue` has `yPred`'s shape without the
 * class axis (or with a trailing 1, as Keras also accepts), any numeric dtype holding whole
 * numbers in [0, classes). Keras 2 semantics: from probabilities, predictions are clipped to
 * [1e-7, 1 − 1e-7], their log is fed to a softmax cross-entropy (which renormalises the rows),
 * so the per-sample loss is `−log(p_y / Σ_c p_c)`; with `{ fromLogits: true }` it is
 * `−logSoftmax(yPred)_y`. Then the batch mean. Name: `"sparse_categorical_crossentropy"`.
 *
 * @example
 * ```ts
 * sparseCategoricalCrossentropy(tensor([1], { dtype: "int32" }), tensor([[0.2, 0.8]])).item(); // −ln 0.8 ≈ 0.2231
 * ```
 */
export function sparseCategoricalCrossentropy(yTrue: Tensor, yPred: Tensor, options: CrossentropyOptions = {}): Tensor {
  const op = "sparseCategoricalCrossentropy";
  checkTensors(op, yTrue, yPred);
  if (yPred.dtype !== "float32" && yPred.dtype !== "float64") {
    throw new DTypeError(`${op}: yPred ${yPred.describe()} must be float32 or float64`);
  }
  return tidy(() => {
    const labels = sparseLabels(op, yTrue, yPred);
    const logits = options.fromLogits ? yPred : log(clip(yPred, EPSILON, 1 - EPSILON));
    const classes = yPred.shape[yPred.rank - 1] as number;
    const picked = mul(oneHot(labels, classes, yPred.dtype), logSoftmax(logits, -1));
    return neg(div(sum(picked), samplesOf(yPred)));
  });
}
