import type { BinaryOp, UnaryOp } from "@tapegrad/core";

// Records keyed by core's unions rather than arrays: when core adds an elementwise op, this
// file stops compiling until the backend lists it, so warmup and the kernel tests cannot
// silently miss it.
const UNARY: Record<UnaryOp, true> = {
  neg: true,
  exp: true,
  log: true,
  log1p: true,
  sqrt: true,
  abs: true,
  sign: true,
  sin: true,
  cos: true,
  tanh: true,
  reciprocal: true,
  floor: true,
  ceil: true,
  round: true,
  logicalNot: true,
};

/** Whether each binary op outputs bool (comparisons and logical ops) or its inputs' dtype. */
const BINARY_OUTPUTS_BOOL: Record<BinaryOp, boolean> = {
  add: false,
  sub: false,
  mul: false,
  div: false,
  pow: false,
  maximum: false,
  minimum: false,
  equal: true,
  notEqual: true,
  less: true,
  lessEqual: true,
  greater: true,
  greaterEqual: true,
  logicalAnd: true,
  logicalOr: true,
};

/**
 * Every elementwise unary primitive of core's Backend contract.
 *
 * @example
 * ```ts
 * UNARY_OPS.includes("exp"); // true
 * ```
 */
export const UNARY_OPS: readonly UnaryOp[] = Object.freeze(Object.keys(UNARY) as UnaryOp[]);

/**
 * Every elementwise binary primitive of core's Backend contract.
 *
 * @example
 * ```ts
 * BINARY_OPS.includes("maximum"); // true
 * ```
 */
export const BINARY_OPS: readonly BinaryOp[] = Object.freeze(Object.keys(BINARY_OUTPUTS_BOOL) as BinaryOp[]);

/**
 * Whether `op` is a comparison or logical op, whose output is bool whatever its inputs.
 *
 * @example
 * ```ts
 * outputsBool("less"); // true
 * outputsBool("add"); // false
 * ```
 */
export function outputsBool(op: BinaryOp): boolean {
  return BINARY_OUTPUTS_BOOL[op];
}
