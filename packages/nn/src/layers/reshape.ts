import { ArgumentError, reshape, ShapeError, type Tensor } from "@tapegrad/core";
import { Module } from "../module.js";

/**
 * Reshapes each example, keeping the batch axis: `new Reshape([28, 28])` maps `[batch, 784]`
 * to `[batch, 28, 28]` (Keras semantics: the target excludes the batch). One entry may be -1.
 *
 * @example
 * ```ts
 * const toImages = new Reshape([28, 28]);
 * toImages.call(x).shape; // [batch, 28, 28]
 * ```
 */
export class Reshape extends Module {
  readonly targetShape: readonly number[];

  constructor(targetShape: readonly number[]) {
    super();
    if (
      targetShape.filter((d) => d === -1).length > 1 ||
      targetShape.some((d) => d !== -1 && !(Number.isInteger(d) && d >= 0))
    ) {
      throw new ArgumentError(
        `Reshape: target [${targetShape.join(",")}] must hold non-negative integers and at most one -1`,
      );
    }
    this.targetShape = Object.freeze([...targetShape]);
  }

  forward(x: Tensor): Tensor {
    if (x.rank === 0) throw new ShapeError(`Reshape: expected a batch axis, got ${x.describe()}`);
    return reshape(x, [x.shape[0] as number, ...this.targetShape]);
  }

  override outputShape(inputShape: readonly number[]): number[] {
    const known = this.targetShape.filter((d) => d !== -1).reduce((a, b) => a * b, 1);
    const rest = inputShape.slice(1);
    const total = rest.includes(-1) ? -1 : rest.reduce((a, b) => a * b, 1);
    const inferred = total === -1 || known === 0 ? -1 : total / known;
    return [inputShape[0] ?? -1, ...this.targetShape.map((d) => (d === -1 ? inferred : d))];
  }
}
