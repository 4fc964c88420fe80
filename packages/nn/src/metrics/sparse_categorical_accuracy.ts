import { argmax, cast, equal, mean, reshape, ShapeError, type Tensor, tidy } from "@tapegrad/core";

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
  const labelShape = yPred.shape.slice(0, -1);
  const labelSize = labelShape.reduce((a, b) => a * b, 1);
  if (yPred.rank < 1 || yTrue.size !== labelSize) {
    throw new ShapeError(
      `sparseCategoricalAccuracy: yTrue ${yTrue.describe()} must have yPred's shape without the class axis for yPred ${yPred.describe()}`,
    );
  }
  const floatType = yPred.dtype === "float64" ? "float64" : "float32";
  return tidy(() => {
    const labels = yTrue.dtype === "int32" ? reshape(yTrue, labelShape) : cast(reshape(yTrue, labelShape), "int32");
    return mean(cast(equal(labels, argmax(yPred, -1)), floatType));
  });
}
