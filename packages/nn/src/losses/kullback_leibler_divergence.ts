import { clip, div, log, mul, sum, type Tensor, tidy } from "@tapegrad/core";
import { alignTargets, EPSILON, samplesOf } from "./common.js";

/**
 * Kullback–Leibler divergence KL(yTrue ‖ yPred) over the last axis, Keras 2 semantics: both
 * distributions are clipped to [1e-7, 1], the per-sample value is `Σ_c y_c·log(y_c / p_c)`,
 * then the batch mean. Name: `"kullback_leibler_divergence"` / `"kld"`.
 *
 * @example
 * ```ts
 * kullbackLeiblerDivergence(tensor([[0.5, 0.5]]), tensor([[0.25, 0.75]])).item();
 * // 0.5·ln 2 + 0.5·ln(2/3) ≈ 0.1438
 * ```
 */
export function kullbackLeiblerDivergence(yTrue: Tensor, yPred: Tensor): Tensor {
  return tidy(() => {
    const t = clip(alignTargets("kullbackLeiblerDivergence", yTrue, yPred), EPSILON, 1);
    const p = clip(yPred, EPSILON, 1);
    return div(sum(mul(t, log(div(t, p)))), samplesOf(yPred));
  });
}
