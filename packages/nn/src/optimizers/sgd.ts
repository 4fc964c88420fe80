import { ArgumentError, add, mul, type Tensor, type Variable } from "@tapegrad/core";
import { checkHyper, Optimizer, type SlotVariables } from "./optimizer.js";

/**
 * Options of {@link SGD}.
 *
 * @example
 * ```ts
 * const opts: SGDOptions = { learningRate: 0.1, momentum: 0.9, nesterov: true };
 * ```
 */
export interface SGDOptions {
  /** Step size (default 0.01, as Keras and PyTorch's examples). */
  learningRate?: number;
  /** Momentum factor μ ≥ 0 (default 0: plain gradient descent). */
  momentum?: number;
  /** Dampening of the gradient in the momentum buffer (default 0). */
  dampening?: number;
  /** Use Nesterov momentum (needs momentum > 0 and dampening 0). */
  nesterov?: boolean;
  /** L2 penalty λ added to the gradient, `g + λ·p` (default 0). */
  weightDecay?: number;
}

/**
 * Stochastic gradient descent with optional momentum, Nesterov momentum and (L2) weight decay,
 * in PyTorch's formulation (`torch.optim.SGD`; Sutskever et al. 2013 for Nesterov):
 *
 * ```
 * g ← g + λ·p                                (weightDecay λ)
 * b ← μ·b + (1 − dampening)·g                (b ← g on the first step)
 * g ← nesterov ? g + μ·b : b                 (when μ > 0)
 * p ← p − lr·g
 * ```
 *
 * Unlike Keras 2's SGD the learning rate multiplies the velocity at use, not inside the
 * buffer, so changing the learning rate mid-training takes effect at once (PyTorch's choice).
 * The first step sets the buffer to the gradient itself; with the default dampening of 0 this
 * is what a zero buffer gives anyway, so only a non-zero dampening depends on it.
 *
 * @example
 * ```ts
 * const opt = new SGD(model.parameters(), { learningRate: 0.1, momentum: 0.9 });
 * opt.step(grads);
 * ```
 */
export class SGD extends Optimizer {
  /** μ. */
  readonly momentum: number;
  /** Dampening of the momentum buffer. */
  readonly dampening: number;
  /** Whether Nesterov momentum is used. */
  readonly nesterov: boolean;
  /** λ of the L2 penalty. */
  readonly weightDecay: number;

  constructor(params: readonly Variable[], options: SGDOptions = {}) {
    const momentum = checkHyper("SGD", "momentum", options.momentum ?? 0, 0);
    super("SGD", params, options.learningRate ?? 0.01, momentum > 0 ? { momentum: 0 } : {});
    this.momentum = momentum;
    this.dampening = checkHyper("SGD", "dampening", options.dampening ?? 0, 0, 1);
    this.nesterov = options.nesterov ?? false;
    this.weightDecay = checkHyper("SGD", "weightDecay", options.weightDecay ?? 0, 0);
    if (this.nesterov && (this.momentum === 0 || this.dampening !== 0)) {
      throw new ArgumentError("SGD: nesterov needs momentum > 0 and dampening 0");
    }
  }

  protected override update(param: Variable, grad: Tensor, slots: SlotVariables): void {
    let g = this.weightDecay > 0 ? add(grad, mul(param, this.weightDecay)) : grad;
    const buf = slots.momentum;
    if (buf !== undefined) {
      if (this.iterations === 0) buf.assign(g);
      else {
        const scaled = this.dampening > 0 ? mul(g, 1 - this.dampening) : g;
        buf.assign(add(mul(buf, this.momentum), scaled));
      }
      g = this.nesterov ? add(g, mul(buf, this.momentum)) : buf;
    }
    param.assign(param.sub(mul(g, this.learningRate)));
  }
}
