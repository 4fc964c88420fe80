// Initial weights shared by every system. Each framework has its own RNG and its own glorot
// initializer, so "same seed" would still mean different weights; drawing them once here, with a
// generator none of them owns, and loading the same floats into each is what makes the losses
// after one epoch comparable (they should agree to a few 1e-4 when the batches are identical).

/** One dense layer's starting values: kernel `[inFeatures, units]` row-major (Keras layout), zero bias. */
export interface LayerWeights {
  inFeatures: number;
  units: number;
  kernel: Float32Array;
  bias: Float32Array;
}

/** An autoencoder under test: layer widths, activations, loss. */
export interface ModelSpec {
  id: "L2" | "L4";
  widths: readonly number[];
  /** Hidden layers use relu, the output sigmoid (as in the lecture's L2 and L4). */
  loss: "mse" | "bce";
}

export const MODELS: Readonly<Record<ModelSpec["id"], ModelSpec>> = {
  L2: { id: "L2", widths: [784, 128, 64, 128, 784], loss: "mse" },
  L4: { id: "L4", widths: [784, 128, 64, 32, 16, 32, 64, 128, 784], loss: "bce" },
};

/** Activation of layer `i` of `spec`: relu inside, sigmoid on the output. */
export function activationOf(spec: ModelSpec, i: number): "relu" | "sigmoid" {
  return i === spec.widths.length - 2 ? "sigmoid" : "relu";
}

/** mulberry32: tiny, seedable, and identical on every platform (unlike Math.random). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Glorot-uniform kernels U(±√(6 / (fan_in + fan_out))) and zero biases, drawn layer by layer from one stream. */
export function initialWeights(spec: ModelSpec, seed = 1234): LayerWeights[] {
  const next = mulberry32(seed);
  const layers: LayerWeights[] = [];
  for (let i = 0; i + 1 < spec.widths.length; i++) {
    const inFeatures = spec.widths[i] as number;
    const units = spec.widths[i + 1] as number;
    const limit = Math.sqrt(6 / (inFeatures + units));
    const kernel = new Float32Array(inFeatures * units);
    for (let j = 0; j < kernel.length; j++) kernel[j] = (2 * next() - 1) * limit;
    layers.push({ inFeatures, units, kernel, bias: new Float32Array(units) });
  }
  return layers;
}

/** Number of trainable parameters (a sanity check printed with the results). */
export function parameterCount(spec: ModelSpec): number {
  let n = 0;
  for (let i = 0; i + 1 < spec.widths.length; i++) {
    n += (spec.widths[i] as number) * (spec.widths[i + 1] as number) + (spec.widths[i + 1] as number);
  }
  return n;
}

/** Deterministic uniform floats in [-1, 1) for kernel inputs. */
export function randomFloats(length: number, seed: number): Float32Array {
  const next = mulberry32(seed);
  const out = new Float32Array(length);
  for (let i = 0; i < length; i++) out[i] = 2 * next() - 1;
  return out;
}

/**
 * Adam's hyperparameters, shared by every system. ε is 1e-7 (Keras' and tfjs's default), but
 * the two place it differently: Keras 2 and tapegrad add it to the raw √v, tfjs to the
 * bias-corrected √v̂, which is 1/√(1−β₂ᵗ) ≈ 32× larger in the first step. With MNIST's tiny
 * per-pixel gradients that makes tfjs take larger early steps, so after one epoch its loss is
 * about 1% lower than tapegrad's. That is a difference of definition, not of correctness; see
 * {@link AGREEMENT_EPSILON}.
 */
export const ADAM = { learningRate: 1e-3, beta1: 0.9, beta2: 0.999, epsilon: 1e-7 } as const;

/**
 * ε for the warm-up runs: small enough that where it is added no longer matters, so every
 * system and path must produce the same losses to float32 rounding. This is the check that
 * catches a fast-but-wrong path; the warm-up costs nothing extra for it.
 */
export const AGREEMENT_EPSILON = 1e-12;
