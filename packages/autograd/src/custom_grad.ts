import { clone, type Tensor, tidy } from "@tapegrad/core";
import { checkFunction, checkOutput } from "./checks.js";
import { defineRule } from "./rule.js";
import { recordOp, unrecorded } from "./tape.js";

/**
 * Defines an op with its own gradient. `forward` computes the value (unrecorded) and may
 * `save` residuals for the backward; `backward(dy, saved, inputs)` returns one gradient per
 * input (null for none), written with core ops so it can itself be differentiated with
 * respect to `inputs` (saved residuals count as constants). Gradients may have the broadcast
 * shape; they are summed to each input's shape. Intermediates `forward` makes are freed.
 *
 * @example
 * ```ts
 * // log(1 + e^x) with the stable derivative sigmoid(x)
 * const softplus2 = customGrad(
 *   (x: Tensor) => ({ value: log1p(exp(x)), save: [sigmoid(x)] }),
 *   (dy, [s]) => [mul(dy, s)],
 * );
 * ```
 */
export function customGrad<A extends Tensor[]>(
  forward: (...xs: A) => { value: Tensor; save?: Tensor[] },
  backward: (dy: Tensor, saved: Tensor[], inputs: A) => readonly (Tensor | null)[],
): (...xs: A) => Tensor {
  checkFunction("customGrad", forward, "forward");
  checkFunction("customGrad", backward, "backward");
  return (...xs: A): Tensor =>
    tidy(() => {
      const { value, save = [] } = unrecorded(() => forward(...xs));
      checkOutput("customGrad", value, true);
      // Always a fresh handle, so the op's output is never one of its inputs or residuals.
      const out = unrecorded(() => clone(value));
      const rule = defineRule(
        xs.map((_, i) => i),
        false,
        (dy, op) => backward(dy, [...op.residuals], xs.map((_, i) => op.input(i)) as A),
      );
      recordOp("customGrad", rule, xs, out, {}, save);
      return out;
    });
}
