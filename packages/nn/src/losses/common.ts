import { cast, DTypeError, ShapeError, type Tensor } from "@tapegrad/core";

/**
 * @internal Keras's fuzz factor `K.epsilon()`: probabilities are clipped to [EPSILON, 1 − EPSILON] so a
 * saturated prediction gives a large but finite loss instead of Infinity.
 */
export const EPSILON = 1e-7;

/**
 * @internal Checks that targets and predictions line up and returns the targets in the predictions'
 * dtype (the same tensor when no cast is needed). Shapes must match exactly: broadcasting a
 * `[B]` target against a `[B, 1]` prediction would silently build a `[B, B]` loss.
 */
export function alignTargets(op: string, yTrue: Tensor, yPred: Tensor): Tensor {
  if (yTrue.rank !== yPred.rank || yTrue.shape.some((d, i) => d !== yPred.shape[i])) {
    throw new ShapeError(`${op}: yTrue ${yTrue.describe()} and yPred ${yPred.describe()} must have the same shape`);
  }
  if (yPred.dtype !== "float32" && yPred.dtype !== "float64") {
    throw new DTypeError(`${op}: yPred ${yPred.describe()} must be float32 or float64`);
  }
  return yTrue.dtype === yPred.dtype ? yTrue : cast(yTrue, yPred.dtype);
}

/** @internal Number of samples when the last axis holds one sample's values (classes, pixels...). */
export function samplesOf(yPred: Tensor): number {
  const last = yPred.rank === 0 ? 1 : (yPred.shape[yPred.rank - 1] as number);
  return last === 0 ? 0 : yPred.size / last;
}
