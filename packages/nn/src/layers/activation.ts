import { elu, leakyRelu, relu, sigmoid, softmax, type Tensor, tanh } from "@tapegrad/core";
import { type ActivationSpec, getActivation, linear } from "../activations.js";
import { Module } from "../module.js";

/**
 * An activation function as a layer (Keras' `Activation`): a name from
 * {@link ActivationName} or any elementwise function. It has no parameters and keeps the
 * input's shape. The named classes below (ReLU, Sigmoid, …) are the same thing with a type
 * name that `summary` shows.
 *
 * @example
 * ```ts
 * const model = sequential(new Dense(4, 8), new Activation("relu"), new Dense(8, 1));
 * ```
 */
export class Activation extends Module {
  readonly #fn: (x: Tensor) => Tensor;

  constructor(activation: ActivationSpec) {
    super();
    this.#fn = getActivation(activation);
  }

  forward(x: Tensor): Tensor {
    return this.#fn(x);
  }

  override outputShape(inputShape: readonly number[]): number[] {
    return [...inputShape];
  }
}

/**
 * Logistic sigmoid, 1 / (1 + e^−x), as a layer.
 *
 * @example
 * ```ts
 * const out = sequential(new Dense(128, 784), new Sigmoid());
 * ```
 */
export class Sigmoid extends Activation {
  constructor() {
    super(sigmoid);
  }
}

/**
 * Hyperbolic tangent as a layer.
 *
 * @example
 * ```ts
 * const model = sequential(new Dense(2, 8), new Tanh(), new Dense(8, 1));
 * ```
 */
export class Tanh extends Activation {
  constructor() {
    super(tanh);
  }
}

/**
 * max(x, 0) as a layer.
 *
 * @example
 * ```ts
 * const model = sequential(new Dense(2, 8), new ReLU(), new Dense(8, 1));
 * ```
 */
export class ReLU extends Activation {
  constructor() {
    super(relu);
  }
}

/**
 * x for x > 0, α·x otherwise, as a layer. α defaults to 0.3, Keras' `LeakyReLU` layer
 * default (core's `leakyRelu` function defaults to 0.2, as `tf.nn.leaky_relu`).
 *
 * @example
 * ```ts
 * const act = new LeakyReLU(0.1);
 * ```
 */
export class LeakyReLU extends Activation {
  readonly alpha: number;

  constructor(alpha = 0.3) {
    super((x) => leakyRelu(x, alpha));
    this.alpha = alpha;
  }
}

/**
 * x for x > 0, α·(e^x − 1) otherwise, as a layer (α default 1).
 *
 * @example
 * ```ts
 * const act = new ELU(1.0);
 * ```
 */
export class ELU extends Activation {
  readonly alpha: number;

  constructor(alpha = 1) {
    super((x) => elu(x, alpha));
    this.alpha = alpha;
  }
}

/**
 * Softmax along `axis` (default: the last) as a layer.
 *
 * @example
 * ```ts
 * const classifier = sequential(new Dense(784, 10), new Softmax());
 * ```
 */
export class Softmax extends Activation {
  readonly axis: number;

  constructor(axis = -1) {
    super((x) => softmax(x, axis));
    this.axis = axis;
  }
}

/**
 * The identity ("linear" activation) as a layer. For PyTorch's `nn.Linear` — a fully
 * connected layer — use {@link Dense}.
 *
 * @example
 * ```ts
 * const act = new Linear();
 * ```
 */
export class Linear extends Activation {
  constructor() {
    super(linear);
  }
}
