import { gather, pad, reshape, scatterAdd, slice, transpose } from "@tapegrad/core";
import { defineRule, type GradientRule } from "../rule.js";

// Movement ops only rearrange elements, so each gradient is the adjoint rearrangement of dy.

/**
 * Gradient rules of the movement primitives: reshape, transpose, broadcastTo, slice, pad,
 * concat, gather, scatterAdd.
 *
 * @example
 * ```ts
 * MOVEMENT_RULES.gather.saveInputs; // [1]: the indices, to scatter dy back
 * ```
 */
export const MOVEMENT_RULES: Readonly<Record<string, GradientRule>> = {
  reshape: defineRule([], false, (dy, op) => [reshape(dy, op.shape(0))]),
  transpose: defineRule([], false, (dy, op) => {
    const perm = op.attrs.perm as readonly number[];
    const inverse = perm.map((_, i) => perm.indexOf(i));
    return [transpose(dy, inverse)];
  }),
  // dy has the target shape; the engine's unbroadcast sums it back to x's shape.
  broadcastTo: defineRule([], false, (dy) => [dy]),
  slice: defineRule([], false, (dy, op) => {
    const begin = op.attrs.begin as readonly number[];
    const size = op.attrs.size as readonly number[];
    const padding = op
      .shape(0)
      .map((d, i) => [begin[i] as number, d - (begin[i] as number) - (size[i] as number)] as const);
    return [pad(dy, padding)];
  }),
  pad: defineRule([], false, (dy, op) => {
    const paddings = op.attrs.paddings as readonly (readonly [number, number])[];
    return [
      slice(
        dy,
        paddings.map(([before]) => before),
        op.shape(0),
      ),
    ];
  }),
  concat: defineRule([], false, (dy, op, needs) => {
    const axis = op.attrs.axis as number;
    let offset = 0;
    return op.inputs.map((x, i) => {
      const begin = x.shape.map((_, k) => (k === axis ? offset : 0));
      offset += x.shape[axis] as number;
      return needs[i] ? slice(dy, begin, x.shape) : null;
    });
  }),
  gather: defineRule([1], false, (dy, op) => [scatterAdd(dy, op.input(1), op.attrs.axis as number, op.shape(0)), null]),
  scatterAdd: defineRule([1], false, (dy, op) => [gather(dy, op.input(1), op.attrs.axis as number), null]),
};
