import { type Tensor, type Variable, variable } from "@tapegrad/core";

/**
 * Makes a trainable {@link Variable} — a module parameter — from an initial value. Assign it
 * to a field of a {@link Module} and the module finds it: there is nothing to register.
 *
 * The Variable takes over `initial`'s storage (no copy) and `initial`'s own handle is
 * disposed, so `parameter(randomNormal(...))` leaks nothing. Do not use `initial` afterwards.
 *
 * @param initial - the starting value; consumed.
 * @param name - a label for messages (the state-dict key comes from the field name instead).
 *
 * @example
 * ```ts
 * class Scale extends Module {
 *   readonly gain = parameter(ones([4]), "gain");
 *   forward(x: Tensor): Tensor {
 *     return mul(x, this.gain);
 *   }
 * }
 * ```
 */
export function parameter(initial: Tensor, name?: string): Variable {
  const v = variable(initial, name === undefined ? { trainable: true } : { name, trainable: true });
  initial.dispose();
  return v;
}
