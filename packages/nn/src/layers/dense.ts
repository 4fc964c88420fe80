import {
  type DType,
  dense,
  type FusedActivation,
  Rng,
  reshape,
  ShapeError,
  type Tensor,
  type Variable,
} from "@tapegrad/core";
import { type ActivationSpec, getActivation } from "../activations.js";
import { zerosInitializer } from "../initializers/constant.js";
import { glorotUniform } from "../initializers/glorot.js";
import type { Initializer } from "../initializers/initializer.js";
import { Module } from "../module.js";
import { parameter } from "../parameter.js";

const FUSED: ReadonlySet<string> = new Set(["linear", "relu", "sigmoid", "tanh"]);

/**
 * Options of a {@link Dense} layer.
 *
 * @example
 * ```ts
 * const options: DenseOptions = { activation: "relu", seed: 0 };
 * ```
 */
export interface DenseOptions {
  /** Applied after x·W + b; default "linear". linear, relu, sigmoid and tanh run fused. */
  activation?: ActivationSpec;
  /** Whether to add a bias (default true). */
  useBias?: boolean;
  /** Default {@link glorotUniform}, as Keras. */
  kernelInitializer?: Initializer;
  /** Default zeros, as Keras. */
  biasInitializer?: Initializer;
  /** A seed for a fresh generator that draws the kernel, then the bias. */
  seed?: number;
  /** A generator to continue (share one across layers to seed a whole model); wins over `seed`. */
  rng?: Rng;
  /** Parameter dtype, default float32 (float64 for gradient checks). */
  dtype?: DType;
}

/**
 * A fully connected layer, act(x·W + b) — PyTorch's `nn.Linear`, Keras' `Dense`. The kernel
 * has the Keras layout `[inFeatures, units]`; the default initialisation is Keras' too
 * (glorot uniform kernel, zero bias). Inputs of any rank ≥ 1 are accepted and the last axis
 * is transformed. linear, relu, sigmoid and tanh run as core's fused `dense` op (one kernel,
 * and a gradient that reuses the output); other activations are applied afterwards.
 *
 * Parameters: `kernel`, and `bias` unless `useBias: false`.
 *
 * @example
 * ```ts
 * const layer = new Dense(784, 128, { activation: "relu", seed: 42 });
 * const h = layer.call(x); // x [batch, 784] → h [batch, 128]
 * ```
 */
export class Dense extends Module {
  readonly kernel: Variable;
  readonly bias: Variable | null;
  readonly inFeatures: number;
  readonly units: number;
  readonly activation: ActivationSpec;
  readonly #act: (x: Tensor) => Tensor;

  constructor(inFeatures: number, units: number, options: DenseOptions = {}) {
    super();
    for (const [what, n] of [
      ["inFeatures", inFeatures],
      ["units", units],
    ] as const) {
      if (!Number.isInteger(n) || n <= 0) throw new ShapeError(`Dense: ${what} ${n} must be a positive integer`);
    }
    this.activation = options.activation ?? "linear";
    this.#act = getActivation(this.activation);
    const rng = options.rng ?? (options.seed === undefined ? undefined : new Rng(options.seed));
    const init = { rng, dtype: options.dtype ?? "float32" } as const;
    this.kernel = parameter((options.kernelInitializer ?? glorotUniform)([inFeatures, units], init), "kernel");
    this.bias =
      options.useBias === false
        ? null
        : parameter((options.biasInitializer ?? zerosInitializer)([units], init), "bias");
    this.inFeatures = inFeatures;
    this.units = units;
  }

  forward(x: Tensor): Tensor {
    if (x.shape.at(-1) !== this.inFeatures) {
      throw new ShapeError(`Dense: expected input with last dimension ${this.inFeatures}, got ${x.describe()}`);
    }
    // The common [batch, features] case goes straight to the op, without reshape views.
    if (x.rank === 2) return this.#apply(x);
    using x2 = reshape(x, [-1, this.inFeatures]);
    using y = this.#apply(x2);
    return reshape(y, [...x.shape.slice(0, -1), this.units]);
  }

  #apply(x2: Tensor): Tensor {
    if (typeof this.activation === "string" && FUSED.has(this.activation)) {
      return dense(x2, this.kernel, this.bias, this.activation as FusedActivation);
    }
    using z = dense(x2, this.kernel, this.bias, "linear");
    return this.#act(z);
  }

  override outputShape(inputShape: readonly number[]): number[] {
    if (inputShape.length > 0 && inputShape.at(-1) !== this.inFeatures && inputShape.at(-1) !== -1) {
      throw new ShapeError(
        `Dense: expected input with last dimension ${this.inFeatures}, got [${inputShape.join(",")}]`,
      );
    }
    return [...inputShape.slice(0, -1), this.units];
  }
}
