import { mul, type Tensor, type Variable } from "@tapegrad/core";
import { Adam, type AdamOptions } from "./adam.js";
import { checkHyper, type SlotVariables } from "./optimizer.js";

/**
 * Options of {@link AdamW}.
 *
 * @example
 * ```ts
 * const opts: AdamWOptions = { learningRate: 1e-3, weightDecay: 0.05 };
 * ```
 */
export interface AdamWOptions extends AdamOptions {
  /** Decoupled weight decay λ (default 0.01, PyTorch's). */
  weightDecay?: number;
}

/**
 * AdamW: Adam with decoupled weight decay (Loshchilov & Hutter, "Decoupled Weight Decay
 * Regularization", ICLR 2019), applied as PyTorch's `torch.optim.AdamW` does — the parameter
 * shrinks by `lr·λ` before the {@link Adam} step (with the schedule multiplier η = 1):
 *
 * ```
 * p ← p·(1 − α·λ)
 * then the Adam update of {@link Adam}
 * ```
 *
 * The decay does not pass through the adaptive denominator, which is the point: unlike an L2
 * term in the loss, every weight decays at the same relative rate. With λ = 0 it is Adam.
 *
 * @example
 * ```ts
 * const opt = new AdamW(model.parameters(), { learningRate: 1e-3, weightDecay: 0.01 });
 * opt.step(grads);
 * ```
 */
export class AdamW extends Adam {
  /** λ. */
  readonly weightDecay: number;

  constructor(params: readonly Variable[], options: AdamWOptions = {}) {
    super(params, options, "AdamW");
    this.weightDecay = checkHyper("AdamW", "weightDecay", options.weightDecay ?? 0.01, 0);
  }

  protected override update(param: Variable, grad: Tensor, slots: SlotVariables): void {
    if (this.weightDecay > 0) param.assign(mul(param, 1 - this.learningRate * this.weightDecay));
    super.update(param, grad, slots);
  }
}
