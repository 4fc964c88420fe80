import { where } from "@tapegrad/core";
import { defineRule, type GradientRule } from "../rule.js";

/**
 * Gradient rule of where(cond, a, b): dy goes to a where cond holds, to b elsewhere; the bool
 * condition gets none.
 *
 * @example
 * ```ts
 * WHERE_RULE.saveInputs; // [0]: only the condition
 * ```
 */
export const WHERE_RULE: GradientRule = defineRule([0], false, (dy, op, needs) => {
  const cond = op.input(0);
  return [null, needs[1] ? where(cond, dy, 0) : null, needs[2] ? where(cond, 0, dy) : null];
});
