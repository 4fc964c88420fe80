import { ArgumentError, cast, DTypeError, reshape, ShapeError, Tensor } from "@tapegrad/core";
import { describeValue } from "../describe_value.js";

/**
 * @internal Checks that both arguments are live tensors, so a swapped or missing argument
 * fails with the loss's name instead of a TypeError inside it.
 */
export function checkTensors(op: string, yTrue: unknown, yPred: unknown): void {
  for (const [name, t] of [
    ["yTrue", yTrue],
    ["yPred", yPred],
  ] as const) {
    if (!(t instanceof Tensor)) throw new ArgumentError(`${op}: ${name} is ${describeValue(t)}, expected a Tensor`);
  }
}

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
  checkTensors(op, yTrue, yPred);
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

/**
 * @internal Integer class labels for `yPred`'s last axis: `yTrue` has `yPred`'s shape without
 * the class axis (or with a trailing 1, as Keras also accepts), in any numeric dtype holding
 * whole numbers. Returns them as int32 of that shape; call inside `tidy`.
 */
export function sparseLabels(op: string, yTrue: Tensor, yPred: Tensor): Tensor {
  checkTensors(op, yTrue, yPred);
  const labelShape = yPred.shape.slice(0, -1);
  const fits = (shape: readonly number[]) =>
    shape.length === labelShape.length && shape.every((d, i) => d === labelShape[i]);
  const trailingOne = yTrue.rank === yPred.rank && yTrue.shape[yTrue.rank - 1] === 1;
  if (yPred.rank < 1 || (!fits(yTrue.shape) && !(trailingOne && fits(yTrue.shape.slice(0, -1))))) {
    throw new ShapeError(
      `${op}: yTrue ${yTrue.describe()} must have yPred's shape without the class axis ([${labelShape.join(",")}]) for yPred ${yPred.describe()}`,
    );
  }
  if (yTrue.dtype === "int32") return reshape(yTrue, labelShape);
  if (yTrue.backend.capabilities.syncRead) {
    for (const v of yTrue.dataSync())
      if (!Number.isInteger(v)) throw new ArgumentError(`${op}: label ${v} is not an integer`);
  }
  return cast(reshape(yTrue, labelShape), "int32");
}
