import { randomUniform, type Shape, type Tensor, truncatedNormal } from "@tapegrad/core";
import { computeFans } from "./fans.js";
import type { InitializerOptions } from "./initializer.js";

/**
 * The standard deviation of a normal truncated at ±2σ is 0.8796… of the untruncated one;
 * Keras 2 divides by it so the truncated samples have the variance the scheme asks for.
 */
const TRUNCATED_STD_CORRECTION = 0.87962566103423978;

/** Which fans the variance is scaled by. */
type Mode = "fanIn" | "fanAvg";

function variance(shape: Shape, scale: number, mode: Mode): number {
  const { fanIn, fanOut } = computeFans(shape);
  const n = mode === "fanIn" ? fanIn : (fanIn + fanOut) / 2;
  return scale / Math.max(1, n);
}

/** @internal Keras' VarianceScaling with distribution "uniform": U(±sqrt(3·scale/n)). */
export function scaledUniform(shape: Shape, scale: number, mode: Mode, options: InitializerOptions): Tensor {
  const limit = Math.sqrt(3 * variance(shape, scale, mode));
  return randomUniform(shape, { min: -limit, max: limit, seed: options.rng, dtype: options.dtype ?? "float32" });
}

/** @internal Keras 2's VarianceScaling with a normal distribution: truncated at ±2σ, σ corrected. */
export function scaledTruncatedNormal(shape: Shape, scale: number, mode: Mode, options: InitializerOptions): Tensor {
  const std = Math.sqrt(variance(shape, scale, mode)) / TRUNCATED_STD_CORRECTION;
  return truncatedNormal(shape, { std, seed: options.rng, dtype: options.dtype ?? "float32" });
}
