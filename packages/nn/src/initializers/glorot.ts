import type { Shape, Tensor } from "@tapegrad/core";
import type { Initializer, InitializerOptions } from "./initializer.js";
import { scaledTruncatedNormal, scaledUniform } from "./variance_scaling.js";

/**
 * Glorot (Xavier) uniform: U(−l, l) with l = sqrt(6 / (fanIn + fanOut)), as Keras'
 * `glorot_uniform`. The Dense kernel default, and what the lecture's models used.
 *
 * @example
 * ```ts
 * const w = glorotUniform([784, 128], { rng: 42 }); // |w| ≤ sqrt(6 / 912) ≈ 0.0811
 * ```
 */
export const glorotUniform: Initializer = (shape: Shape, options: InitializerOptions = {}): Tensor =>
  scaledUniform(shape, 1, "fanAvg", options);

/**
 * Glorot (Xavier) normal as Keras 2 defines `glorot_normal`: a normal truncated at two standard
 * deviations, with σ = sqrt(2 / (fanIn + fanOut)) / 0.87962566103423978 so that the truncated
 * samples have variance 2 / (fanIn + fanOut). (PyTorch's `xavier_normal_` does not truncate.)
 *
 * @example
 * ```ts
 * const w = glorotNormal([256, 64], { rng: 1 });
 * ```
 */
export const glorotNormal: Initializer = (shape: Shape, options: InitializerOptions = {}): Tensor =>
  scaledTruncatedNormal(shape, 1, "fanAvg", options);
