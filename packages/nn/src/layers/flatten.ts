import { flatten, type Tensor } from "@tapegrad/core";
import { Module } from "../module.js";

/**
 * Flattens every axis after the batch axis: `[batch, 28, 28]` → `[batch, 784]`. A view; no
 * copy.
 *
 * @example
 * ```ts
 * const model = sequential(new Flatten(), new Dense(784, 10));
 * ```
 */
export class Flatten extends Module {
  forward(x: Tensor): Tensor {
    return flatten(x);
  }

  override outputShape(inputShape: readonly number[]): number[] {
    if (inputShape.length === 0) return [1];
    const rest = inputShape.slice(1);
    const size = rest.includes(-1) ? -1 : rest.reduce((a, b) => a * b, 1);
    return [inputShape[0] as number, size];
  }
}
