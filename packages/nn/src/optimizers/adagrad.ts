import { add, div, mul, sqrt, sub, type Tensor, type Variable } from "@tapegrad/core";
import { checkHyper, Optimizer, type SlotVariables } from "./optimizer.js";

/**
 * Options of {@link Adagrad}.
 *
 * @example
 * ```ts
 * const opts: AdagradOptions = { learningRate: 0.01, initialAccumulatorValue: 0.1 };
 * ```
 */
export interface AdagradOptions {
  /** Step size (default 0.01). */
  learningRate?: number;
  /** ε added to the root (default 1e-7). */
  epsilon?: number;
  /** Starting value of the g² accumulator (default 0, standalone Keras 2.3; tf.keras uses 0.1). */
  initialAccumulatorValue?: number;
}

/**
 * Adagrad (Duchi, Hazan & Singer, 2011, diagonal form) as standalone Keras 2.3 implements it,
 * with its defaults lr 0.01, ε 1e-7 and the accumulator starting at 0 (tf.keras's v2 optimizer
 * starts it at 0.1: pass `initialAccumulatorValue: 0.1` for that):
 *
 * ```
 * a ← a + g²
 * p ← p − lr·g / (√a + ε)
 * ```
 *
 * @example
 * ```ts
 * const opt = new Adagrad(model.parameters(), { learningRate: 0.01 });
 * opt.step(grads);
 * ```
 */
export class Adagrad extends Optimizer {
  /** ε. */
  readonly epsilon: number;
  /** Where the accumulator starts (and returns to on reset). */
  readonly initialAccumulatorValue: number;

  constructor(params: readonly Variable[], options: AdagradOptions = {}) {
    const initial = checkHyper("Adagrad", "initialAccumulatorValue", options.initialAccumulatorValue ?? 0, 0);
    super("Adagrad", params, options.learningRate ?? 0.01, { accumulator: initial });
    this.initialAccumulatorValue = initial;
    this.epsilon = checkHyper("Adagrad", "epsilon", options.epsilon ?? 1e-7, 0);
  }

  protected override update(param: Variable, grad: Tensor, slots: SlotVariables): void {
    const a = slots.accumulator as Variable;
    a.assign(add(a, mul(grad, grad)));
    param.assign(sub(param, div(mul(grad, this.learningRate), add(sqrt(a), this.epsilon))));
  }
}
