import { cast } from "@tapegrad/core";
import { defineRule, type GradientRule } from "../rule.js";

/**
 * Gradient rule of cast between float dtypes: the cotangent is cast back, so every gradient
 * has its input's dtype. (A cast to int32 or bool is never recorded: its output carries no
 * gradient.)
 *
 * @example
 * ```ts
 * CAST_RULE.saveInputs; // []
 * ```
 */
export const CAST_RULE: GradientRule = defineRule([], false, (dy, op) => [cast(dy, op.dtype(0))]);
