import { ArgumentError, type DType, Rng, type Tensor } from "@tapegrad/core";
import {
  type ActivationName,
  binaryCrossentropy,
  Dense,
  functionalCall,
  type Module,
  meanSquaredError,
  Sequential,
} from "@tapegrad/nn";
import type { ModelId } from "./reference.js";

/**
 * The loss an experiment phase trains with: Keras' `mse` or `binary_crossentropy`.
 *
 * @example
 * ```ts
 * const loss: LossName = "bce";
 * ```
 */
export type LossName = "mse" | "bce";

/**
 * One architecture of the lecture: the layer widths from input to output, relu on every
 * hidden layer, and the output activation.
 *
 * @example
 * ```ts
 * const a: Architecture = { widths: [784, 128, 64, 128, 784], output: "sigmoid" };
 * ```
 */
export interface Architecture {
  widths: readonly number[];
  output: "linear" | "sigmoid";
}

/**
 * A loss by its short name: Keras' mean squared error or binary cross-entropy.
 *
 * @example
 * ```ts
 * lossFunction("bce")(x, xHat);
 * ```
 */
export function lossFunction(name: LossName): (yTrue: Tensor, yPred: Tensor) => Tensor {
  return name === "mse" ? meanSquaredError : binaryCrossentropy;
}

/**
 * One lecture experiment: the architecture and the training phases run in order on the same
 * weights (L3 is L2's 20 MSE epochs, then 20 BCE epochs with a fresh optimizer).
 *
 * @example
 * ```ts
 * EXPERIMENTS.L3.phases; // [{ loss: "mse", epochs: 20 }, { loss: "bce", epochs: 20 }]
 * ```
 */
export interface ExperimentSpec {
  id: ModelId;
  title: string;
  architecture: Architecture;
  phases: readonly { loss: LossName; epochs: number }[];
  /** Index of the bottleneck layer's output in `Sequential.layers` (for latent codes). */
  bottleneck: number;
}

const SHALLOW = Object.freeze([784, 128, 64, 128, 784]);
const DEEP = Object.freeze([784, 128, 64, 32, 16, 32, 64, 128, 784]);

/**
 * The four experiments of REFERENCE.md, exactly as the lecture ran them.
 *
 * @example
 * ```ts
 * EXPERIMENTS.L4.architecture.widths; // [784, 128, 64, 32, 16, 32, 64, 128, 784]
 * ```
 */
export const EXPERIMENTS: Readonly<Record<ModelId, ExperimentSpec>> = Object.freeze({
  L1: {
    id: "L1",
    title: "L1: 784-128-64-128-784, linear output, MSE",
    architecture: { widths: SHALLOW, output: "linear" },
    phases: [{ loss: "mse", epochs: 20 }],
    bottleneck: 1,
  },
  L2: {
    id: "L2",
    title: "L2: 784-128-64-128-784, sigmoid output, MSE",
    architecture: { widths: SHALLOW, output: "sigmoid" },
    phases: [{ loss: "mse", epochs: 20 }],
    bottleneck: 1,
  },
  L3: {
    id: "L3",
    title: "L3: L2 (20 MSE epochs), then BCE",
    architecture: { widths: SHALLOW, output: "sigmoid" },
    phases: [
      { loss: "mse", epochs: 20 },
      { loss: "bce", epochs: 20 },
    ],
    bottleneck: 1,
  },
  L4: {
    id: "L4",
    title: "L4: 784-128-64-32-16-32-64-128-784, sigmoid, BCE",
    architecture: { widths: DEEP, output: "sigmoid" },
    phases: [{ loss: "bce", epochs: 20 }],
    bottleneck: 3,
  },
});

/**
 * Options of {@link buildAutoencoder} and {@link buildClassifier}.
 *
 * @example
 * ```ts
 * const opts: BuildOptions = { seed: 1, dtype: "float64" };
 * ```
 */
export interface BuildOptions {
  /** Seeds one generator shared by all layers in order, so a seed fixes the whole model. */
  seed?: number;
  /** Parameter dtype (float64 for gradient checks). */
  dtype?: DType;
}

/**
 * A dense autoencoder: relu hidden layers of the given widths and a linear or sigmoid
 * output; Keras initialisation (glorot uniform kernels, zero biases), as in the lecture.
 *
 * @example
 * ```ts
 * const model = buildAutoencoder(EXPERIMENTS.L2.architecture, { seed: 0 });
 * model.parameters().reduce((n, p) => n + p.size, 0); // 218192
 * const small = buildAutoencoder({ widths: [12, 5, 3, 5, 12], output: "sigmoid" }, { dtype: "float64" });
 * ```
 */
export function buildAutoencoder(arch: Architecture, options: BuildOptions = {}): Sequential {
  return buildDenseStack(arch.widths, "relu", arch.output, options);
}

/**
 * A stack of Dense layers `widths[0] → widths[1] → … → widths.at(-1)`: `hidden` on every layer
 * but the last, `output` on the last; Keras initialisation, every layer drawing from one
 * generator seeded with `options.seed` in order.
 */
function buildDenseStack(
  widths: readonly number[],
  hidden: ActivationName,
  output: ActivationName,
  options: BuildOptions,
): Sequential {
  const rng = new Rng(options.seed ?? 0);
  const dtype = options.dtype ?? "float32";
  const layers = [];
  for (let i = 0; i + 1 < widths.length; i++) {
    const last = i + 2 === widths.length;
    layers.push(
      new Dense(widths[i] as number, widths[i + 1] as number, { activation: last ? output : hidden, rng, dtype }),
    );
  }
  return new Sequential(layers);
}

/**
 * The model of an experiment (L3 starts from the same architecture as L2).
 *
 * @example
 * ```ts
 * const model = buildModel("L4", { seed: 3 });
 * ```
 */
export function buildModel(id: ModelId, options: BuildOptions = {}): Sequential {
  return buildAutoencoder(EXPERIMENTS[id].architecture, options);
}

/**
 * The MNIST classifier of the `classify` command: 784-128r-64r-10 with a softmax output, for
 * categorical cross-entropy.
 *
 * @example
 * ```ts
 * const clf = buildClassifier({ seed: 0 });
 * const probs = clf.call(images); // [n, 10], rows sum to 1
 * ```
 */
export function buildClassifier(options: BuildOptions & { widths?: readonly number[] } = {}): Sequential {
  return buildDenseStack(options.widths ?? [784, 128, 64, 10], "relu", "softmax", options);
}

/**
 * Runs the first `depth` layers of a Sequential model: with `depth = bottleneck + 1` this is
 * the encoder, giving the latent code of each input row. Asking for more layers than the model
 * has is an `ArgumentError` that names both numbers.
 *
 * @example
 * ```ts
 * const codes = runLayers(model, x, EXPERIMENTS.L4.bottleneck + 1); // [n, 16]
 * runLayers(model, x, 9); // throws: asked for 9 layers, the model has 8
 * ```
 */
export function runLayers(model: Sequential, x: Tensor, depth: number, from = 0): Tensor {
  const count = model.layers.length;
  if (!Number.isInteger(depth) || depth < 0 || depth > count) {
    throw new ArgumentError(`runLayers: asked for ${depth} layers, the model has ${count}`);
  }
  let h = x;
  for (let i = from; i < depth; i++) {
    const next = (model.layers[i] as Module).call(h);
    if (h !== x) h.dispose();
    h = next;
  }
  return h === x ? x.clone() : h;
}

/**
 * The model's forward pass as a pure function of explicit parameter tensors, given in the
 * order of `model.parameters()`: nn's `functionalCall` by position, which is how `gradcheck`
 * passes them. A checker perturbs the tensors it passes in, while a Module reads its own
 * Variables; this runs the model's real forward on the given tensors instead.
 *
 * @example
 * ```ts
 * const y = functionalForward(model, model.parameters(), x); // same values as model.call(x)
 * gradcheck((...ps) => meanSquaredError(x, functionalForward(model, ps, x)), params64);
 * ```
 */
export function functionalForward(model: Sequential, params: readonly Tensor[], x: Tensor): Tensor {
  const names = model.namedParameters().map(([name]) => name);
  if (params.length !== names.length) {
    throw new ArgumentError(
      `functionalForward: got ${params.length} tensors, expected one per parameter (${names.length})`,
    );
  }
  return functionalCall(model, Object.fromEntries(names.map((name, i) => [name, params[i] as Tensor])), x);
}
