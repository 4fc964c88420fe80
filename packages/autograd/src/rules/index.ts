import type { GradientRule } from "../rule.js";
import { BINARY_RULES } from "./binary.js";
import { CAST_RULE } from "./cast.js";
import { COMPOSITE_RULES } from "./composite.js";
import { MATMUL_RULE } from "./matmul.js";
import { MOVEMENT_RULES } from "./movement.js";
import { REDUCE_RULES } from "./reduce.js";
import { UNARY_RULES } from "./unary.js";
import { WHERE_RULE } from "./where.js";

/**
 * Every gradient rule, by the op name core records: one per differentiable primitive and one
 * per composite the catalogue marks `ownRule`. Tests enumerate it against `OP_CATALOGUE`, and
 * the docs render the support matrix from it.
 *
 * @example
 * ```ts
 * GRADIENT_RULES.has("softmax"); // true
 * [...GRADIENT_RULES.keys()].length; // 38
 * ```
 */
export const GRADIENT_RULES: ReadonlyMap<string, GradientRule> = new Map<string, GradientRule>([
  ...Object.entries(UNARY_RULES),
  ...Object.entries(BINARY_RULES),
  ["where", WHERE_RULE],
  ["cast", CAST_RULE],
  ...Object.entries(REDUCE_RULES),
  ["matmul", MATMUL_RULE],
  ...Object.entries(MOVEMENT_RULES),
  ...Object.entries(COMPOSITE_RULES),
]);
