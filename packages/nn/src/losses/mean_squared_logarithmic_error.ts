import { log1p, maximum, mean, square, sub, type Tensor, tidy } from "@tapegrad/core";
import { alignTargets, EPSILON } from "./common.js";

/**
 * Mean squared logarithmic error, Keras semantics: both sides are clipped below at 1e-7 (so a
 * negative value cannot reach log of a non-positive number), then
 * `mean((log(1 + yPred) − log(1 + yTrue))², axis = −1)`, then the batch mean. `log1p` is used
 * for log(1 + x): the same function, more accurate near 0.
 * Name: `"msle"` / `"mean_squared_logarithmic_error"`.
 *
 * @example
 * ```ts
 * meanSquaredLogarithmicError(tensor([[0]]), tensor([[Math.E - 1]])).item(); // (1 − 0)² = 1
 * ```
 */
export function meanSquaredLogarithmicError(yTrue: Tensor, yPred: Tensor): Tensor {
  return tidy(() => {
    const t = alignTargets("meanSquaredLogarithmicError", yTrue, yPred);
    return mean(square(sub(log1p(maximum(yPred, EPSILON)), log1p(maximum(t, EPSILON)))));
  });
}
