import { add, cos, div, mul, neg, sign, sin, square, sub } from "@tapegrad/core";
import { defineRule, type GradientRule } from "../rule.js";

// Rules that read the output (exp, sqrt, tanh, reciprocal) save it instead of the input: the
// derivative is cheapest from y, and y is what the forward pass already paid for.

/**
 * Gradient rules of the elementwise unary primitives: neg, exp, log, log1p, sqrt, abs, sin,
 * cos, tanh, reciprocal.
 *
 * @example
 * ```ts
 * UNARY_RULES.exp.saveOutput; // true: d/dx e^x = e^x = y
 * ```
 */
export const UNARY_RULES: Readonly<Record<string, GradientRule>> = {
  neg: defineRule([], false, (dy) => [neg(dy)]),
  exp: defineRule([], true, (dy, op) => [mul(dy, op.output())]),
  log: defineRule([0], false, (dy, op) => [div(dy, op.input(0))]),
  log1p: defineRule([0], false, (dy, op) => {
    using onePlusX = add(op.input(0), 1);
    return [div(dy, onePlusX)];
  }),
  sqrt: defineRule([], true, (dy, op) => {
    using half = mul(dy, 0.5);
    return [div(half, op.output())];
  }),
  // sign is not differentiable, so |x|'' is 0 and the kink at 0 gets gradient 0 (as PyTorch).
  abs: defineRule([0], false, (dy, op) => {
    using s = sign(op.input(0));
    return [mul(dy, s)];
  }),
  sin: defineRule([0], false, (dy, op) => {
    using c = cos(op.input(0));
    return [mul(dy, c)];
  }),
  cos: defineRule([0], false, (dy, op) => {
    using s = sin(op.input(0));
    using ds = mul(dy, s);
    return [neg(ds)];
  }),
  tanh: defineRule([], true, (dy, op) => {
    using y2 = square(op.output());
    using d = sub(1, y2);
    return [mul(dy, d)];
  }),
  reciprocal: defineRule([], true, (dy, op) => {
    using y2 = square(op.output());
    using d = mul(dy, y2);
    return [neg(d)];
  }),
};
