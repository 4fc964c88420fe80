import { broadcastTo, cast, div, equal, mul, reshape, type Shape, sum, type Tensor } from "@tapegrad/core";
import { defineRule, type GradientRule, type TapeRecord } from "../rule.js";

/** The reduced shape with the reduced axes kept as 1, so the result broadcasts against x. */
function keptShape(op: TapeRecord): Shape {
  const axes = op.attrs.axes as readonly number[];
  return op.shape(0).map((d, i) => (axes.includes(i) ? 1 : d));
}

// max and min send dy to the elements equal to the extremum, split evenly among ties (as
// TensorFlow and JAX do), so the gradient is the same whichever tied element a kernel picked.
const extremumRule: GradientRule = defineRule([0], true, (dy, op) => {
  const x = op.input(0);
  const kept = keptShape(op);
  using y = reshape(op.output(), kept);
  using hit = equal(x, y);
  using mask = cast(hit, x.dtype);
  using count = sum(mask, op.attrs.axes as readonly number[], true);
  using dyKept = reshape(dy, kept);
  using share = div(dyKept, count);
  return [mul(mask, share)];
});

/**
 * Gradient rules of the reductions: sum (broadcast dy back), max and min (dy to the extremum).
 *
 * @example
 * ```ts
 * REDUCE_RULES.sum.saveInputs; // []: only x's shape is needed
 * ```
 */
export const REDUCE_RULES: Readonly<Record<string, GradientRule>> = {
  sum: defineRule([], false, (dy: Tensor, op) => {
    using dyKept = reshape(dy, keptShape(op));
    return [broadcastTo(dyKept, op.shape(0))];
  }),
  max: extremumRule,
  min: extremumRule,
};
