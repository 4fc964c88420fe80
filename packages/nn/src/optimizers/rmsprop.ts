import { add, div, mul, sqrt, sub, type Tensor, type Variable } from "@tapegrad/core";
import { checkHyper, Optimizer, type SlotVariables } from "./optimizer.js";

/**
 * Options of {@link RMSprop}.
 *
 * @example
 * ```ts
 * const opts: RMSpropOptions = { learningRate: 0.001, rho: 0.9 };
 * ```
 */
export interface RMSpropOptions {
  /** Step size (default 0.001). */
  learningRate?: number;
  /** Decay ρ of the running average of g² (default 0.9). */
  rho?: number;
  /** ε added to the root (default 1e-7). */
  epsilon?: number;
}

/**
 * RMSprop (Tieleman & Hinton, 2012, Coursera lecture 6.5) as standalone Keras 2 implements it,
 * with its defaults lr 0.001, ρ 0.9, ε 1e-7 (no momentum, not centered):
 *
 * ```
 * a ← ρ·a + (1 − ρ)·g²
 * p ← p − lr·g / (√a + ε)
 * ```
 *
 * @example
 * ```ts
 * const opt = new RMSprop(model.parameters(), { learningRate: 0.001 });
 * opt.step(grads);
 * ```
 */
export class RMSprop extends Optimizer {
  /** ρ. */
  readonly rho: number;
  /** ε. */
  readonly epsilon: number;

  constructor(params: readonly Variable[], options: RMSpropOptions = {}) {
    super("RMSprop", params, options.learningRate ?? 0.001, { accumulator: 0 });
    this.rho = checkHyper("RMSprop", "rho", options.rho ?? 0.9, 0, 1);
    this.epsilon = checkHyper("RMSprop", "epsilon", options.epsilon ?? 1e-7, 0);
  }

  protected override update(param: Variable, grad: Tensor, slots: SlotVariables): void {
    const a = slots.accumulator as Variable;
    a.assign(add(a, mul(sub(mul(grad, grad), a), 1 - this.rho)));
    param.assign(sub(param, div(mul(grad, this.learningRate), add(sqrt(a), this.epsilon))));
  }
}
