import { div, equal, greater, less, log, mul, neg, pow, sub, type Tensor, where } from "@tapegrad/core";
import { defineRule, type GradientRule, type TapeRecord } from "../rule.js";

// Every rule here returns cotangents of the broadcast output shape; the engine sums them back
// to each operand's shape.

/** maximum/minimum: the winner takes dy, a tie splits it in half (as PyTorch). */
function selectRule(wins: (a: Tensor, b: Tensor) => Tensor): GradientRule {
  return defineRule([0, 1], false, (dy, op, needs) => {
    const a = op.input(0);
    const b = op.input(1);
    using tie = equal(a, b);
    using half = mul(dy, 0.5);
    using tied = where(tie, half, 0);
    const side = (first: Tensor, second: Tensor): Tensor => {
      using w = wins(first, second);
      return where(w, dy, tied);
    };
    return [needs[0] ? side(a, b) : null, needs[1] ? side(b, a) : null];
  });
}

function powExponentGrad(dy: Tensor, op: TapeRecord): Tensor {
  const a = op.input(0);
  // d/db a^b = a^b·log a; at a = 0 it is taken as 0 (the limit for b > 0), as JAX does.
  using zero = equal(a, 0);
  using safeA = where(zero, 1, a);
  using logA = log(safeA);
  using dyY = mul(dy, op.output());
  return mul(dyY, logA);
}

/**
 * Gradient rules of the elementwise binary primitives: add, sub, mul, div, pow, maximum,
 * minimum.
 *
 * @example
 * ```ts
 * BINARY_RULES.mul.saveInputs; // [0, 1]: d(a·b) = b·da + a·db
 * ```
 */
export const BINARY_RULES: Readonly<Record<string, GradientRule>> = {
  add: defineRule([], false, (dy) => [dy, dy]),
  sub: defineRule([], false, (dy, _op, needs) => [dy, needs[1] ? neg(dy) : null]),
  mul: defineRule([0, 1], false, (dy, op, needs) => {
    // x·x (square, and every squared error): the two gradients dy·x go to the same tensor, so
    // return their sum 2·(dy·x) once — two passes instead of three, and bit for bit the same
    // (doubling is exact).
    if (op.inputs[0] === op.inputs[1] && needs[0]) {
      using dyX = mul(dy, op.input(0));
      return [mul(dyX, 2), null];
    }
    return [needs[0] ? mul(dy, op.input(1)) : null, needs[1] ? mul(dy, op.input(0)) : null];
  }),
  div: defineRule([0, 1], false, (dy, op, needs) => {
    const b = op.input(1);
    const da = div(dy, b);
    if (!needs[1]) return [da, null];
    // d/db (a/b) = -a/b² = -(dy/b)·(a/b); an unreturned da is freed with the rule's scope.
    using aOverB = div(op.input(0), b);
    using t = mul(da, aOverB);
    return [needs[0] ? da : null, neg(t)];
  }),
  pow: defineRule([0, 1], true, (dy, op, needs) => {
    const grads: (Tensor | null)[] = [null, null];
    if (needs[0]) {
      const a = op.input(0);
      const b = op.input(1);
      using bm1 = sub(b, 1);
      using p = pow(a, bm1);
      using bp = mul(b, p);
      grads[0] = mul(dy, bp);
    }
    if (needs[1]) grads[1] = powExponentGrad(dy, op);
    return grads;
  }),
  maximum: selectRule(greater),
  minimum: selectRule(less),
};
