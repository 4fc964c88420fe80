// What every system implements, so the cases can treat tapegrad and tfjs alike.
import { type LayerWeights, type ModelSpec, randomFloats } from "../weights.js";

/** The three matmul layouts: forward A·B, and the two backward-pass ones. */
export type MatmulLayout = "AB" | "AtB" | "ABt";

/** A prepared kernel: inputs allocated on the system's backend, `call` runs it once. */
export interface KernelRun {
  call(): void;
  dispose(): void;
}

/** Which training path: the user-facing `fit`, or a hand-written loop over the core API. */
export type TrainPath = "fit" | "loop";

export interface TrainOptions {
  batchSize: number;
  /** Adam's ε (the learning rate and βs are {@link ADAM}'s). */
  epsilon: number;
}

/** What one training epoch reports. */
export interface EpochResult {
  /** Sample-weighted mean of the batch losses over the epoch (what Keras' fit prints). */
  loss: number;
  /** Optimizer steps taken. */
  steps: number;
}

/** Hooks a training run calls, for the cold-start and memory measurements. */
export interface EpochHooks {
  /** After every optimizer step, with the step's index (the loss of step 0 has been read back). */
  onBatchEnd?(batch: number): void;
}

/** A model with the shared initial weights and a fresh optimizer, ready for one epoch. */
export interface PreparedTraining {
  runEpoch(hooks?: EpochHooks): Promise<EpochResult>;
  dispose(): void;
}

/** Tensor-byte accounting of a framework, with a high-water mark. */
export interface ByteTracker {
  /** How the numbers are obtained (printed in the report). */
  readonly how: string;
  current(): number;
  /** Highest value since the last `resetPeak`. */
  peak(): number;
  resetPeak(): void;
  /** Called at every batch end, for trackers that can only sample. */
  sample(): void;
}

export interface BenchSystem {
  /** "tapegrad-cpu", "tfjs-cpu", "tfjs-wasm". */
  readonly name: string;
  /** Makes this system's backend the current one (tfjs shares one engine for cpu and wasm). */
  activate(): Promise<void>;
  matmul(m: number, k: number, n: number, layout: MatmulLayout): KernelRun;
  elementwise(size: number, a: number, b: number): KernelRun;
  /** Uploads the training images `[n, 784]` once; returns the handle `prepareTraining` takes. */
  uploadImages(images: Float32Array, n: number): unknown;
  prepareTraining(
    spec: ModelSpec,
    weights: readonly LayerWeights[],
    images: unknown,
    path: TrainPath,
    options: TrainOptions,
  ): Promise<PreparedTraining>;
  /** Starts tracking this system's tensor bytes. */
  byteTracker(): ByteTracker;
  /** Facts about the configuration that ran (binary, threads, versions). */
  describe(): Record<string, string | number | boolean>;
}

/** Fills `[m,k]·[k,n]` inputs in the storage layout `layout` asks for. */
export function matmulOperands(
  m: number,
  k: number,
  n: number,
  layout: MatmulLayout,
): { a: Float32Array; aShape: [number, number]; b: Float32Array; bShape: [number, number] } {
  const aShape: [number, number] = layout === "AtB" ? [k, m] : [m, k];
  const bShape: [number, number] = layout === "ABt" ? [n, k] : [k, n];
  return { a: randomFloats(m * k, 1), aShape, b: randomFloats(k * n, 2), bShape };
}
