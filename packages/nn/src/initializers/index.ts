import { constant, onesInitializer, zerosInitializer } from "./constant.js";
import { glorotNormal, glorotUniform } from "./glorot.js";
import { heNormal, heUniform } from "./he.js";
import type { Initializer } from "./initializer.js";
import { normal, uniform } from "./random.js";

export { constant, onesInitializer, zerosInitializer } from "./constant.js";
export { computeFans } from "./fans.js";
export { glorotNormal, glorotUniform } from "./glorot.js";
export { heNormal, heUniform } from "./he.js";
export type { Initializer, InitializerOptions } from "./initializer.js";
export { normal, uniform } from "./random.js";

/**
 * Every initializer under its Keras-like short name, for code that picks one by name
 * (`zeros` and `ones` live here rather than at the top level, where core's tensor creators
 * of the same name already are).
 *
 * @example
 * ```ts
 * const b = initializers.zeros([128]);
 * const w = initializers.heUniform([784, 128], { rng: 0 });
 * ```
 */
export const initializers: {
  readonly zeros: Initializer;
  readonly ones: Initializer;
  readonly glorotUniform: Initializer;
  readonly glorotNormal: Initializer;
  readonly heNormal: Initializer;
  readonly heUniform: Initializer;
  readonly uniform: typeof uniform;
  readonly normal: typeof normal;
  readonly constant: typeof constant;
} = Object.freeze({
  zeros: zerosInitializer,
  ones: onesInitializer,
  glorotUniform,
  glorotNormal,
  heNormal,
  heUniform,
  uniform,
  normal,
  constant,
});
