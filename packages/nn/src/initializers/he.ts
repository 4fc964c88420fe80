import type { Shape, Tensor } from "@tapegrad/core";
import type { Initializer, InitializerOptions } from "./initializer.js";
import { scaledTruncatedNormal, scaledUniform } from "./variance_scaling.js";

/**
 * He (Kaiming) normal as Keras 2's `he_normal`: truncated at two standard deviations with
 * σ = sqrt(2 / fanIn) / 0.87962566103423978, giving variance 2 / fanIn — suited to ReLU layers.
 *
 * @example
 * ```ts
 * const w = heNormal([784, 128], { rng: 3 });
 * ```
 */
export const heNormal: Initializer = (shape: Shape, options: InitializerOptions = {}): Tensor =>
  scaledTruncatedNormal(shape, 2, "fanIn", options);

/**
 * He (Kaiming) uniform: U(−l, l) with l = sqrt(6 / fanIn), as Keras' `he_uniform`.
 *
 * @example
 * ```ts
 * const w = heUniform([784, 128], { rng: 3 });
 * ```
 */
export const heUniform: Initializer = (shape: Shape, options: InitializerOptions = {}): Tensor =>
  scaledUniform(shape, 2, "fanIn", options);
