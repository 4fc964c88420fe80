import { ArgumentError, randomNormal, randomUniform } from "@tapegrad/core";
import type { Initializer } from "./initializer.js";

/**
 * Uniform in [min, max); Keras' `RandomUniform` defaults (±0.05).
 *
 * @example
 * ```ts
 * const init = uniform(-0.1, 0.1);
 * const w = init([10, 10], { rng: 0 });
 * ```
 */
export function uniform(min = -0.05, max = 0.05): Initializer {
  if (!(max > min)) throw new ArgumentError(`uniform: max ${max} must exceed min ${min}`);
  return (shape, options = {}) =>
    randomUniform(shape, { min, max, seed: options.rng, dtype: options.dtype ?? "float32" });
}

/**
 * Normal with `mean` and standard deviation `std` (not truncated); Keras' `RandomNormal`
 * defaults (0, 0.05).
 *
 * @example
 * ```ts
 * const init = normal(0, 0.01);
 * const w = init([10, 10], { rng: 0 });
 * ```
 */
export function normal(mean = 0, std = 0.05): Initializer {
  if (!(std >= 0)) throw new ArgumentError(`normal: std ${std} must be non-negative`);
  return (shape, options = {}) =>
    randomNormal(shape, { mean, std, seed: options.rng, dtype: options.dtype ?? "float32" });
}
