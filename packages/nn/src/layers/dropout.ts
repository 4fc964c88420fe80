import {
  ArgumentError,
  clone,
  greaterEqual,
  isFloat,
  mul,
  Rng,
  randomUniform,
  type Tensor,
  where,
} from "@tapegrad/core";
import { Module } from "../module.js";

/**
 * Inverted dropout: in training mode each element is zeroed with probability `rate` and the
 * survivors are scaled by 1 / (1 − rate), so evaluation mode is the identity and needs no
 * rescaling. Masks come from the layer's own generator when seeded (reproducible runs),
 * otherwise from the global stream of `setSeed`.
 *
 * @example
 * ```ts
 * const model = sequential(new Dense(784, 128, { activation: "relu" }), new Dropout(0.2, 7));
 * model.train(); // masks applied
 * model.eval(); // identity
 * ```
 */
export class Dropout extends Module {
  readonly rate: number;
  readonly #rng: Rng | undefined;

  constructor(rate: number, seed?: number | Rng) {
    super();
    if (!(rate >= 0 && rate < 1)) throw new ArgumentError(`Dropout: rate ${rate} must be in [0, 1)`);
    this.rate = rate;
    this.#rng = typeof seed === "number" ? new Rng(seed) : seed;
  }

  forward(x: Tensor): Tensor {
    if (!this.training || this.rate === 0) return clone(x);
    using u = randomUniform(x.shape, { seed: this.#rng, dtype: isFloat(x.dtype) ? x.dtype : "float32" });
    using keep = greaterEqual(u, this.rate);
    using scaled = mul(x, 1 / (1 - this.rate));
    return where(keep, scaled, 0);
  }

  override outputShape(inputShape: readonly number[]): number[] {
    return [...inputShape];
  }
}
