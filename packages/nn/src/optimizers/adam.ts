import { ArgumentError, adamUpdate, type Tensor, type Variable } from "@tapegrad/core";
import { checkHyper, Optimizer, type SlotVariables } from "./optimizer.js";

/**
 * Options of {@link Adam} (and {@link AdamW}).
 *
 * @example
 * ```ts
 * const opts: AdamOptions = { learningRate: 3e-4, beta2: 0.99 };
 * ```
 */
export interface AdamOptions {
  /** Step size α (default 0.001). */
  learningRate?: number;
  /** Decay of the first-moment estimate β₁ (default 0.9). */
  beta1?: number;
  /** Decay of the second-moment estimate β₂ (default 0.999). */
  beta2?: number;
  /** ε̂ added to √v (default 1e-7, Keras's; PyTorch uses 1e-8). */
  epsilon?: number;
}

/**
 * Adam (Kingma & Ba, 2015) with bias correction, in the form of the paper's Section 2 that
 * folds the corrections into the step size — exactly Keras 2's `Adam` with its defaults
 * (lr 0.001, β₁ 0.9, β₂ 0.999, ε 1e-7):
 *
 * ```
 * t ← t + 1
 * m ← β₁·m + (1 − β₁)·g
 * v ← β₂·v + (1 − β₂)·g²
 * p ← p − α·√(1 − β₂ᵗ)/(1 − β₁ᵗ) · m / (√v + ε̂)
 * ```
 *
 * (ε̂ is added to the uncorrected √v; PyTorch adds ε to the corrected one, which differs only
 * in how ε scales in the first steps.)
 *
 * @example
 * ```ts
 * const opt = new Adam(model.parameters(), { learningRate: 1e-3 });
 * opt.step(grads);
 * ```
 */
export class Adam extends Optimizer {
  /** β₁. */
  readonly beta1: number;
  /** β₂. */
  readonly beta2: number;
  /** ε̂. */
  readonly epsilon: number;

  /**
   * @param params the variables to update.
   * @param options hyperparameters (Keras 2 defaults).
   * @param name the class name in error messages (for subclasses such as {@link AdamW}).
   */
  constructor(params: readonly Variable[], options: AdamOptions = {}, name = "Adam") {
    super(name, params, options.learningRate ?? 0.001, { m: 0, v: 0 });
    this.beta1 = checkHyper(name, "beta1", options.beta1 ?? 0.9, 0, 1);
    this.beta2 = checkHyper(name, "beta2", options.beta2 ?? 0.999, 0, 1);
    this.epsilon = checkHyper(name, "epsilon", options.epsilon ?? 1e-7, 0);
    if (this.beta1 === 1 || this.beta2 === 1) throw new ArgumentError(`${name}: beta1 and beta2 must be below 1`);
  }

  protected override update(param: Variable, grad: Tensor, slots: SlotVariables): void {
    const m = slots.m as Variable;
    const v = slots.v as Variable;
    const t = this.iterations + 1;
    const stepSize = (this.learningRate * Math.sqrt(1 - this.beta2 ** t)) / (1 - this.beta1 ** t);
    // One pass on backends with a fused adamUpdate kernel, else twelve elementwise ops
    // (m + (1 − β)(g − m) is β·m + (1 − β)·g with one multiply fewer).
    const next = adamUpdate(param, grad, m, v, {
      stepSize,
      beta1: this.beta1,
      beta2: this.beta2,
      epsilon: this.epsilon,
    });
    m.assign(next.m);
    v.assign(next.v);
    param.assign(next.param);
  }
}
