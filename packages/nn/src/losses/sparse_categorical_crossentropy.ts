import {
  ArgumentError,
  cast,
  clip,
  div,
  log,
  logSoftmax,
  mul,
  neg,
  oneHot,
  reshape,
  ShapeError,
  sum,
  type Tensor,
  tidy,
} from "@tapegrad/core";
import type { CrossentropyOptions } from "./binary_crossentropy.js";
import { EPSILON, samplesOf } from "./common.js";

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
  if (yPred.rank < 1 || (yPred.dtype !== "float32" && yPred.dtype !== "float64")) {
    throw new ShapeError(`${op}: yPred ${yPred.describe()} must be a float tensor with a class axis`);
  }
  const classes = yPred.shape[yPred.rank - 1] as number;
  const labelShape = yPred.shape.slice(0, -1);
  const fits = (shape: readonly number[]) =>
    shape.length === labelShape.length && shape.every((d, i) => d === labelShape[i]);
  const trailingOne = yTrue.rank === yPred.rank && yTrue.shape[yTrue.rank - 1] === 1;
  if (!fits(yTrue.shape) && !(trailingOne && fits(yTrue.shape.slice(0, -1)))) {
    throw new ShapeError(
      `${op}: yTrue ${yTrue.describe()} must have yPred's shape without the class axis ([${labelShape.join(",")}]) for yPred ${yPred.describe()}`,
    );
  }
  return tidy(() => {
    const labels = yTrue.dtype === "int32" ? reshape(yTrue, labelShape) : cast(reshape(yTrue, labelShape), "int32");
    if (yTrue.dtype !== "int32" && yTrue.backend.capabilities.syncRead) {
      const raw = yTrue.dataSync();
      for (const v of raw) if (!Number.isInteger(v)) throw new ArgumentError(`${op}: label ${v} is not an integer`);
    }
    const logits = options.fromLogits ? yPred : log(clip(yPred, EPSILON, 1 - EPSILON));
    const picked = mul(oneHot(labels, classes, yPred.dtype), logSoftmax(logits, -1));
    return neg(div(sum(picked), samplesOf(yPred)));
  });
}
