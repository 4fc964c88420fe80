import { matmul, type Tensor } from "@tapegrad/core";
import { defineRule, type GradientRule } from "../rule.js";

// For C = op(A)·op(B) the gradients are again products, so the transpose flags pick the
// kernel's own transposes instead of materialising Aᵀ or Bᵀ:
//   C = A B     dA = dC Bᵀ     dB = Aᵀ dC
//   C = Aᵀ B    dA = B dCᵀ     dB = A dC
//   C = A Bᵀ    dA = dC B      dB = dCᵀ A
//   C = Aᵀ Bᵀ   dA = Bᵀ dCᵀ    dB = dCᵀ Aᵀ
// Batch axes broadcast like any other op: the engine sums dA, dB back to A's and B's shapes.

function gradA(dy: Tensor, b: Tensor, ta: boolean, tb: boolean): Tensor {
  if (!ta) return matmul(dy, b, { transposeB: !tb });
  return tb ? matmul(b, dy, { transposeA: true, transposeB: true }) : matmul(b, dy, { transposeB: true });
}

function gradB(dy: Tensor, a: Tensor, ta: boolean, tb: boolean): Tensor {
  if (!tb) return matmul(a, dy, { transposeA: !ta });
  return ta ? matmul(dy, a, { transposeA: true, transposeB: true }) : matmul(dy, a, { transposeA: true });
}

/**
 * Gradient rule of matmul (batched, with transpose flags).
 *
 * @example
 * ```ts
 * MATMUL_RULE.saveInputs; // [0, 1]
 * ```
 */
export const MATMUL_RULE: GradientRule = defineRule([0, 1], false, (dy, op, needs) => {
  const ta = op.attrs.transposeA === true;
  const tb = op.attrs.transposeB === true;
  return [needs[0] ? gradA(dy, op.input(1), ta, tb) : null, needs[1] ? gradB(dy, op.input(0), ta, tb) : null];
});
