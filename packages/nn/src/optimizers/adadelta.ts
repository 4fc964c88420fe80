import { add, div, mul, sqrt, sub, type Tensor, type Variable } from "@tapegrad/core";
import { checkHyper, Optimizer, type SlotVariables } from "./optimizer.js";

/**
 * Options of {@link Adadelta}.
 *
 * @example
 * ```ts
 * const opts: AdadeltaOptions = { learningRate: 1.0, rho: 0.95 };
 * ```
 */
export interface AdadeltaOptions {
  /** Step size (default 1.0, Keras 2's and Zeiler's; tf.keras ≥ 2.x changed it to 0.001). */
  learningRate?: number;
  /** Decay ρ of both running averages (default 0.95). */
  rho?: number;
  /** ε inside both square roots (default 1e-7). */
  epsilon?: number;
}

/**
 * Adadelta (Zeiler, 2012, Algorithm 1) exactly as standalone Keras 2 implements it, with its
 * defaults lr 1.0, ρ 0.95, ε 1e-7 — the rule the lecture's autoencoder results depend on:
 *
 * ```
 * a ← ρ·a + (1 − ρ)·g²
 * u ← g·√(d + ε) / √(a + ε)
 * p ← p − lr·u
 * d ← ρ·d + (1 − ρ)·u²
 * ```
 *
 * (`√(d + ε)/√(a + ε)` is computed as `√((d + ε)/(a + ε))`: the same value, one op fewer.)
 * Newer Keras defaults the learning rate to 0.001, which trains about 5× worse on the
 * lecture's setup; 1.0 is deliberate.
 *
 * @example
 * ```ts
 * const opt = new Adadelta(model.parameters()); // lr 1.0, rho 0.95, eps 1e-7
 * opt.step(grads);
 * ```
 */
export class Adadelta extends Optimizer {
  /** ρ. */
  readonly rho: number;
  /** ε. */
  readonly epsilon: number;

  constructor(params: readonly Variable[], options: AdadeltaOptions = {}) {
    super("Adadelta", params, options.learningRate ?? 1.0, { accumulatedGrad: 0, accumulatedUpdate: 0 });
    this.rho = checkHyper("Adadelta", "rho", options.rho ?? 0.95, 0, 1);
    this.epsilon = checkHyper("Adadelta", "epsilon", options.epsilon ?? 1e-7, 0);
  }

  protected override update(param: Variable, grad: Tensor, slots: SlotVariables): void {
    const a = slots.accumulatedGrad as Variable;
    const d = slots.accumulatedUpdate as Variable;
    const keep = 1 - this.rho;
    a.assign(add(a, mul(sub(mul(grad, grad), a), keep)));
    const u = mul(grad, sqrt(div(add(d, this.epsilon), add(a, this.epsilon))));
    param.assign(sub(param, this.learningRate === 1 ? u : mul(u, this.learningRate)));
    d.assign(add(d, mul(sub(mul(u, u), d), keep)));
  }
}
