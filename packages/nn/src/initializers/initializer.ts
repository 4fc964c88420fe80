import type { DType, Rng, Shape, Tensor } from "@tapegrad/core";

/**
 * Where an initializer draws from and what it makes. `rng` is a number (a fresh stream) or an
 * `Rng` (continues that stream, so one seeded generator can fill a whole model); without it
 * the global stream of `setSeed` is used. `dtype` defaults to float32.
 *
 * @example
 * ```ts
 * const options: InitializerOptions = { rng: new Rng(42), dtype: "float64" };
 * ```
 */
export interface InitializerOptions {
  rng?: Rng | number;
  dtype?: DType;
}

/**
 * Makes a parameter's initial value for a shape. Shapes follow the Keras layout: a dense
 * kernel is `[fanIn, fanOut]`.
 *
 * @example
 * ```ts
 * const init: Initializer = glorotUniform;
 * const w = init([784, 128], { rng: new Rng(0) });
 * ```
 */
export type Initializer = (shape: Shape, options?: InitializerOptions) => Tensor;
