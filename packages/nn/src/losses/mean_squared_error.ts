import { mean, square, sub, type Tensor, tidy } from "@tapegrad/core";
import { alignTargets } from "./common.js";

/**
 * Mean squared error, Keras semantics: `mean((yPred − yTrue)², axis = −1)` per sample, then the
 * mean over the batch. With every sample the same size this is the mean over all elements, so
 * it is computed as one mean (fewer ops, same value). Name: `"mse"` / `"mean_squared_error"`.
 *
 * @example
 * ```ts
 * meanSquaredError(tensor([[0, 1], [1, 1]]), tensor([[0, 0], [1, 3]])).item(); // (0 + 1 + 0 + 4) / 4 = 1.25
 * ```
 */
export function meanSquaredError(yTrue: Tensor, yPred: Tensor): Tensor {
  return tidy(() => mean(square(sub(yPred, alignTargets("meanSquaredError", yTrue, yPred)))));
}
