import { abs, mean, sub, type Tensor, tidy } from "@tapegrad/core";
import { alignTargets } from "./common.js";

/**
 * Mean absolute error, Keras semantics: `mean(|yPred − yTrue|, axis = −1)` per sample, then the
 * batch mean (computed as one mean over all elements, which is the same value).
 * Name: `"mae"` / `"mean_absolute_error"`.
 *
 * @example
 * ```ts
 * meanAbsoluteError(tensor([[0, 1]]), tensor([[0.5, -1]])).item(); // (0.5 + 2) / 2 = 1.25
 * ```
 */
export function meanAbsoluteError(yTrue: Tensor, yPred: Tensor): Tensor {
  return tidy(() => mean(abs(sub(yPred, alignTargets("meanAbsoluteError", yTrue, yPred)))));
}
