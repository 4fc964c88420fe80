import {
  activationGrad,
  exp,
  type FusedActivation,
  matmul,
  mul,
  neg,
  reshape,
  type Shape,
  sigmoid,
  sub,
  sum,
  type Tensor,
} from "@tapegrad/core";
import { defineRule, type GradientRule, type TapeRecord } from "../rule.js";

// Composites that record as one op. Each rule is the closed form of the composite's
// derivative, cheaper and more stable than differentiating its primitives one by one; it is
// still written with core ops, so it differentiates again (sigmoid' uses y, which is taped).

/** x's shape with the reduced axes kept as 1. */
function kept(op: TapeRecord, axes: readonly number[]): Shape {
  return op.shape(0).map((d, i) => (axes.includes(i) ? 1 : d));
}

/** dy · act'(z) from y = act(z); core's activationGrad, fused where the backend can. */
function denseActivationGrad(dy: Tensor, y: Tensor, activation: FusedActivation): Tensor {
  // Linear: dz is dy itself; the sweep clones a returned dy, and the matmuls only read it.
  return activation === "linear" ? dy : activationGrad(dy, y, activation);
}

/**
 * Gradient rules of the composites with their own rule (the catalogue's `ownRule` entries):
 * sigmoid, softplus, logSumExp, softmax, logSoftmax, sigmoidCrossEntropyWithLogits, dense.
 *
 * @example
 * ```ts
 * COMPOSITE_RULES.softmax.saveOutput; // true: dx = y ⊙ (dy − Σ dy ⊙ y)
 * ```
 */
export const COMPOSITE_RULES: Readonly<Record<string, GradientRule>> = {
  sigmoid: defineRule([], true, (dy, op) => [activationGrad(dy, op.output(), "sigmoid")]),
  softplus: defineRule([0], false, (dy, op) => {
    using s = sigmoid(op.input(0));
    return [mul(dy, s)];
  }),
  logSumExp: defineRule([0], true, (dy, op) => {
    const axes = op.attrs.axes as readonly number[];
    const shape = kept(op, axes);
    using y = reshape(op.output(), shape);
    using shifted = sub(op.input(0), y);
    using softmaxX = exp(shifted);
    using dyKept = reshape(dy, shape);
    return [mul(dyKept, softmaxX)];
  }),
  softmax: defineRule([], true, (dy, op) => {
    const y = op.output();
    using dyY = mul(dy, y);
    using total = sum(dyY, op.attrs.axis as number, true);
    using centered = sub(dy, total);
    return [mul(y, centered)];
  }),
  logSoftmax: defineRule([], true, (dy, op) => {
    using total = sum(dy, op.attrs.axis as number, true);
    using p = exp(op.output());
    using pTotal = mul(p, total);
    return [sub(dy, pTotal)];
  }),
  sigmoidCrossEntropyWithLogits: defineRule([0, 1], false, (dy, op, needs) => {
    const logits = op.input(0);
    const labels = op.input(1);
    const grads: (Tensor | null)[] = [null, null];
    if (needs[0]) {
      using p = sigmoid(logits);
      using d = sub(p, labels);
      grads[0] = mul(dy, d);
    }
    if (needs[1]) {
      using d = mul(dy, logits);
      grads[1] = neg(d);
    }
    return grads;
  }),
  dense: defineRule([0, 1], true, (dy, op, needs) => {
    const dz = denseActivationGrad(dy, op.output(), op.attrs.activation as FusedActivation);
    const grads = [
      needs[0] ? matmul(dz, op.input(1), { transposeB: true }) : null,
      needs[1] ? matmul(op.input(0), dz, { transposeA: true }) : null,
    ];
    // The bias is an input only when dense was called with one.
    return op.inputs.length === 3 ? [...grads, needs[2] ? sum(dz, 0) : null] : grads;
  }),
};
