import { ShapeError, type Tensor } from "@tapegrad/core";
import { maxout } from "../activations.js";
import { Module } from "../module.js";
import { Dense, type DenseOptions } from "./dense.js";

/**
 * A maxout layer (Goodfellow et al. 2013): a Dense layer to `units · pieces` linear pieces,
 * then, for each unit, the largest of its `pieces`. Its parameters are those of the inner
 * Dense: `dense.kernel` `[inFeatures, units·pieces]` and `dense.bias`.
 *
 * @example
 * ```ts
 * const layer = new Maxout(784, 128, 3, { seed: 0 }); // [batch, 784] → [batch, 128]
 * ```
 */
export class Maxout extends Module {
  readonly dense: Dense;
  readonly units: number;
  readonly pieces: number;

  constructor(inFeatures: number, units: number, pieces = 2, options: Omit<DenseOptions, "activation"> = {}) {
    super();
    if (!Number.isInteger(pieces) || pieces < 1)
      throw new ShapeError(`Maxout: pieces ${pieces} must be a positive integer`);
    this.dense = new Dense(inFeatures, units * pieces, { ...options, activation: "linear" });
    this.units = units;
    this.pieces = pieces;
  }

  forward(x: Tensor): Tensor {
    using z = this.dense.forward(x);
    return maxout(z, this.pieces);
  }

  override outputShape(inputShape: readonly number[]): number[] {
    return [...this.dense.outputShape(inputShape).slice(0, -1), this.units];
  }
}
