import { clip, log, mean, mul, neg, sigmoidCrossEntropyWithLogits, sub, type Tensor, tidy } from "@tapegrad/core";
import { alignTargets, EPSILON } from "./common.js";

/**
 * Options of the cross-entropy losses.
 *
 * @example
 * ```ts
 * const opts: CrossentropyOptions = { fromLogits: true };
 * ```
 */
export interface CrossentropyOptions {
  /**
   * When true, `yPred` holds logits (pre-sigmoid / pre-softmax scores) and the loss is computed
   * in the numerically stable fused form; when false (default) it holds probabilities.
   */
  fromLogits?: boolean;
}

/**
 * Binary cross-entropy, Keras 2 semantics. From probabilities (default): predictions are
 * clipped to [1e-7, 1 − 1e-7], then `−(y·log p + (1 − y)·log(1 − p))` per element, the mean over
 * the last axis, then the batch mean (one overall mean: the same value). The gradient is zero
 * where the clip is active, exactly as in Keras. With `{ fromLogits: true }` it uses core's
 * `sigmoidCrossEntropyWithLogits` (no clipping, stable for large logits).
 * Name: `"binary_crossentropy"` / `"bce"`.
 *
 * @example
 * ```ts
 * binaryCrossentropy(tensor([[1, 0]]), tensor([[0.9, 0.2]])).item(); // −(ln 0.9 + ln 0.8) / 2 ≈ 0.1643
 * binaryCrossentropy(tensor([[1]]), tensor([[0]]), { fromLogits: true }).item(); // ln 2 ≈ 0.6931
 * ```
 */
export function binaryCrossentropy(yTrue: Tensor, yPred: Tensor, options: CrossentropyOptions = {}): Tensor {
  return tidy(() => {
    const t = alignTargets("binaryCrossentropy", yTrue, yPred);
    if (options.fromLogits) return mean(sigmoidCrossEntropyWithLogits(yPred, t));
    const p = clip(yPred, EPSILON, 1 - EPSILON);
    const logP = log(p);
    const log1mP = log(sub(1, p));
    // y·log p + (1 − y)·log(1 − p) = y·(log p − log(1 − p)) + log(1 − p): one multiply fewer.
    return neg(mean(mul(t, sub(logP, log1mP)).add(log1mP)));
  });
}
