import {
  ArgumentError,
  clone,
  elu,
  leakyRelu,
  max,
  relu,
  reshape,
  sigmoid,
  softmax,
  softplus,
  type Tensor,
  tanh,
} from "@tapegrad/core";

/**
 * The identity activation ("linear" in Keras). Returns a new handle (sharing storage) so the
 * caller owns its result like any other op's.
 *
 * @example
 * ```ts
 * linear(tensor([-1, 2])); // [-1, 2]
 * ```
 */
export function linear(x: Tensor): Tensor {
  return clone(x);
}

/**
 * Maxout (Goodfellow et al. 2013): the last axis holds `units · pieces` values, consecutive
 * groups of `pieces` are one unit's linear pieces, and each unit outputs the largest. The
 * gradient flows to the winning piece.
 *
 * @example
 * ```ts
 * maxout(tensor([[1, 5, -2, -3]]), 2); // [[5, -2]]
 * ```
 */
export function maxout(x: Tensor, pieces: number): Tensor {
  if (!Number.isInteger(pieces) || pieces < 1) {
    throw new ArgumentError(`maxout: pieces ${pieces} must be a positive integer`);
  }
  const last = x.shape.at(-1);
  if (last === undefined || last % pieces !== 0) {
    throw new ArgumentError(`maxout: last axis of ${x.describe()} is not divisible into ${pieces} pieces`);
  }
  using grouped = reshape(x, [...x.shape.slice(0, -1), last / pieces, pieces]);
  return max(grouped, -1);
}

/**
 * The activations that can be named by a string (in `Dense` and the `Activation` layer). The
 * first four run fused inside core's `dense` op.
 *
 * @example
 * ```ts
 * const name: ActivationName = "relu";
 * ```
 */
export type ActivationName = "linear" | "relu" | "sigmoid" | "tanh" | "softmax" | "elu" | "leakyRelu" | "softplus";

/**
 * An activation given by name, or any elementwise function of a tensor.
 *
 * @example
 * ```ts
 * const act: ActivationSpec = (x) => leakyRelu(x, 0.1);
 * ```
 */
export type ActivationSpec = ActivationName | ((x: Tensor) => Tensor);

/**
 * The named activations as functions of one tensor, with their default parameters
 * (softmax over the last axis, elu α = 1, leakyRelu α = 0.2).
 *
 * @example
 * ```ts
 * const y = activations.relu(x);
 * ```
 */
export const activations: Readonly<Record<ActivationName, (x: Tensor) => Tensor>> = Object.freeze({
  linear,
  relu,
  sigmoid,
  tanh,
  softmax: (x: Tensor) => softmax(x),
  elu: (x: Tensor) => elu(x),
  leakyRelu: (x: Tensor) => leakyRelu(x),
  softplus,
});

/**
 * Resolves an {@link ActivationSpec} to a function; unknown names are an error listing the
 * known ones.
 *
 * @example
 * ```ts
 * getActivation("tanh")(tensor([0])); // [0]
 * ```
 */
export function getActivation(spec: ActivationSpec): (x: Tensor) => Tensor {
  if (typeof spec === "function") return spec;
  if (!Object.hasOwn(activations, spec)) {
    throw new ArgumentError(`activation "${spec}" is unknown; expected one of ${Object.keys(activations).join(", ")}`);
  }
  return activations[spec];
}
