import { full, type Shape, type Tensor } from "@tapegrad/core";
import type { Initializer, InitializerOptions } from "./initializer.js";

/**
 * All zeros (the Dense bias default). Draws nothing from the generator.
 *
 * @example
 * ```ts
 * const b = zerosInitializer([128]);
 * ```
 */
export const zerosInitializer: Initializer = (shape: Shape, options: InitializerOptions = {}): Tensor =>
  full(shape, 0, options.dtype ?? "float32");

/**
 * All ones. Draws nothing from the generator.
 *
 * @example
 * ```ts
 * const gain = onesInitializer([64]);
 * ```
 */
export const onesInitializer: Initializer = (shape: Shape, options: InitializerOptions = {}): Tensor =>
  full(shape, 1, options.dtype ?? "float32");

/**
 * Every element `value`.
 *
 * @example
 * ```ts
 * const bias = constant(0.1)([10]);
 * ```
 */
export function constant(value: number): Initializer {
  return (shape, options = {}) => full(shape, value, options.dtype ?? "float32");
}
