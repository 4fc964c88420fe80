import { ArgumentError, type Tensor } from "@tapegrad/core";
import { describeValue } from "../describe_value.js";
import { Module } from "../module.js";

function checkLayer(layer: unknown, where: string): Module {
  if (!(layer instanceof Module))
    throw new ArgumentError(`Sequential: ${where} is ${describeValue(layer)}, expected a Module`);
  return layer;
}

/**
 * Layers applied one after another. Each intermediate result is freed as soon as the next
 * layer has consumed it. Parameter names are `layers.<index>.<name>`.
 *
 * @example
 * ```ts
 * const model = new Sequential([
 *   new Dense(784, 128, { activation: "relu" }),
 *   new Dense(128, 784, { activation: "sigmoid" }),
 * ]);
 * const y = model.call(x);
 * ```
 */
export class Sequential extends Module {
  readonly layers: Module[];

  constructor(layers: readonly Module[] = []) {
    super();
    if (!Array.isArray(layers))
      throw new ArgumentError(`Sequential: got ${describeValue(layers)}, expected an array of layers`);
    this.layers = layers.map((layer, i) => checkLayer(layer, `layer ${i}`));
  }

  /**
   * Appends a layer; returns the model for chaining.
   *
   * @example
   * ```ts
   * const model = new Sequential().add(new Dense(4, 8)).add(new ReLU());
   * ```
   */
  add(layer: Module): this {
    this.layers.push(checkLayer(layer, "the added layer"));
    return this;
  }

  forward(x: Tensor): Tensor {
    let h = x;
    for (const layer of this.layers) {
      const next = layer.forward(h);
      if (h !== x) h.dispose();
      h = next;
    }
    // Always a fresh handle, so the caller may dispose the result without freeing `x`.
    return h === x ? x.clone() : h;
  }

  override outputShape(inputShape: readonly number[]): number[] {
    let shape = [...inputShape];
    for (const layer of this.layers) shape = layer.outputShape(shape);
    return shape;
  }
}

/**
 * Builds a {@link Sequential} from its layers as arguments.
 *
 * @example
 * ```ts
 * const model = sequential(new Dense(2, 4, { activation: "tanh" }), new Dense(4, 1));
 * ```
 */
export function sequential(...layers: Module[]): Sequential {
  return new Sequential(layers);
}
