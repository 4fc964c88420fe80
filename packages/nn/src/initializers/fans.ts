import type { Shape } from "@tapegrad/core";

/**
 * Fan-in and fan-out of a weight shape, as Keras computes them: `[in, out]` for a dense
 * kernel; a vector counts as its length both ways; a convolution kernel
 * `[...receptiveField, in, out]` multiplies both by the receptive field size.
 *
 * @example
 * ```ts
 * computeFans([784, 128]); // { fanIn: 784, fanOut: 128 }
 * ```
 */
export function computeFans(shape: Shape): { fanIn: number; fanOut: number } {
  if (shape.length === 0) return { fanIn: 1, fanOut: 1 };
  if (shape.length === 1) return { fanIn: shape[0] as number, fanOut: shape[0] as number };
  let receptive = 1;
  for (const d of shape.slice(0, -2)) receptive *= d;
  return { fanIn: (shape.at(-2) as number) * receptive, fanOut: (shape.at(-1) as number) * receptive };
}
