import { argmax, cast, equal, mean, type Tensor, tidy } from "@tapegrad/core";
import { sparseLabels } from "../losses/common.js";

/**
 * Fraction of samples whose predicted class (argmax over the last axis) equals the integer
 * label — Keras's `sparse_categorical_accuracy`. `yTrue` has `yPred`'s shape without the class
 * axis, or with a trailing 1. Name: `"sparse_categorical_accuracy"`.
 *
 * @example
 * ```ts
 * sparseCategoricalAccuracy(tensor([1, 0], { dtype: "int32" }), tensor([[0.3, 0.7], [0.4, 0.6]])).item(); // 0.5
 * ```
 */
export function sparseCategoricalAccuracy(yTrue: Tensor, yPred: Tensor): Tensor {
  const floatType = yPred?.dtype === "float64" ? "float64" : "float32";
  return tidy(() => {
    const labels = sparseLabels("sparseCategoricalAccuracy", yTrue, yPred);
    return mean(cast(equal(labels, argmax(yPred, -1)), floatType));
  });
}
