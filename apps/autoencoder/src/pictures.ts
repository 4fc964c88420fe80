import { join } from "node:path";
import { tensor } from "@tapegrad/core";
import type { Sequential } from "@tapegrad/nn";
import { runLayers } from "./models.js";
import { COLORS } from "./render/canvas.js";
import { digitGrid } from "./render/digit_grid.js";
import { latentStrip } from "./render/latent_strip.js";
import { lossPlot, type PlotSeries } from "./render/loss_plot.js";
import { writePng } from "./render/png.js";

/**
 * Per-epoch losses of a run, as Keras' `history.history` (plus which loss each epoch used:
 * L3 switches from MSE to BCE halfway).
 *
 * @example
 * ```ts
 * const h: LossHistory = { loss: [0.08, 0.06], val_loss: [0.065, 0.052], phase: ["mse", "mse"] };
 * ```
 */
export interface LossHistory {
  loss: number[];
  val_loss: (number | null)[];
  phase: string[];
}

/**
 * Indices of the first test image of each digit 0–9 (the lecture shows one of each class).
 *
 * @example
 * ```ts
 * const idx = oneOfEachDigit(test.raw.labels); // e.g. [3, 2, 1, 18, 4, 8, 11, 0, 61, 7]
 * ```
 */
export function oneOfEachDigit(labels: ArrayLike<number>): number[] {
  const found = new Array<number>(10).fill(-1);
  for (let i = 0; i < labels.length; i++) {
    const d = labels[i] as number;
    if (found[d] === -1) found[d] = i;
  }
  return found.filter((i) => i >= 0);
}

/** The rows of a [n, 784] float array as separate images. */
function rowsOf(data: ArrayLike<number>, n: number, width: number): Float32Array[] {
  return Array.from({ length: n }, (_, i) =>
    Float32Array.from({ length: width }, (_, j) => data[i * width + j] as number),
  );
}

/**
 * The images at `indices` (rows of `images`, [n, 784] in [0, 1]) as float arrays.
 *
 * @example
 * ```ts
 * const originals = pickImages(test.raw.images, [0, 1, 2]);
 * ```
 */
export function pickImages(rawImages: Uint8Array, indices: readonly number[], pixels = 784): Float32Array[] {
  return indices.map((i) => Float32Array.from(rawImages.subarray(i * pixels, (i + 1) * pixels), (v) => v / 255));
}

/**
 * Runs the model on images and returns its outputs (and, with `codeDepth`, the code the first
 * `codeDepth` layers produce) as float arrays; frees every tensor it made.
 *
 * @example
 * ```ts
 * const { outputs, codes } = reconstruct(model, originals, 4); // L4: 16-number codes
 * ```
 */
export function reconstruct(
  model: Sequential,
  images: readonly Float32Array[],
  codeDepth?: number,
): { outputs: Float32Array[]; codes: Float32Array[] } {
  const n = images.length;
  const width = images[0]?.length ?? 784;
  const flat = new Float32Array(n * width);
  images.forEach((img, i) => {
    flat.set(img, i * width);
  });
  using x = tensor(flat, { shape: [n, width] });
  using y = model.call(x);
  const outputs = rowsOf(y.dataSync(), n, width);
  if (codeDepth === undefined) return { outputs, codes: [] };
  using c = runLayers(model, x, codeDepth);
  return { outputs, codes: rowsOf(c.dataSync(), n, c.shape[1] as number) };
}

/**
 * Options of {@link writeRunPictures}.
 *
 * @example
 * ```ts
 * const opts: RunPictureOptions = { title: "L2", logScale: false, codeDepth: undefined };
 * ```
 */
export interface RunPictureOptions {
  title: string;
  logScale?: boolean;
  /** Layers up to the bottleneck: when set, latent.png is written too. */
  codeDepth?: number;
  /** Reference curve to draw dashed on the loss plot. */
  reference?: { train: readonly number[]; val: readonly number[] | null };
}

/**
 * Writes a run's pictures into `outDir`: `loss.png` (train and validation per epoch),
 * `reconstructions.png` (one test digit of each class above its reconstruction, ×3) and, with
 * `codeDepth`, `latent.png` (input, bottleneck code, reconstruction). Returns the paths.
 *
 * @example
 * ```ts
 * writeRunPictures("runs/L2", model, history, test.raw, { title: "L2" });
 * ```
 */
export function writeRunPictures(
  outDir: string,
  model: Sequential,
  history: LossHistory,
  test: { images: Uint8Array; labels: Uint8Array },
  options: RunPictureOptions,
): string[] {
  const written: string[] = [];
  const series: PlotSeries[] = [
    { label: "train", values: history.loss, color: COLORS.blue },
    { label: "val", values: history.val_loss, color: COLORS.orange },
  ];
  if (options.reference) {
    series.push({
      label: "lecture train",
      values: options.reference.train,
      color: COLORS.blue,
      dashed: true,
      markers: false,
    });
    if (options.reference.val) {
      series.push({
        label: "lecture val",
        values: options.reference.val,
        color: COLORS.orange,
        dashed: true,
        markers: false,
      });
    }
  }
  const phases = [...new Set(history.phase)];
  const markers: { epoch: number; label: string }[] = [];
  for (let i = 1; i < history.phase.length; i++) {
    if (history.phase[i] !== history.phase[i - 1]) {
      markers.push({
        epoch: i + 0.5,
        label: `${history.phase[i - 1]?.toUpperCase()} -> ${history.phase[i]?.toUpperCase()}`,
      });
    }
  }
  const loss = lossPlot(series, {
    title: options.title,
    yLabel: `loss (${phases.map((p) => p.toUpperCase()).join(" -> ")})`,
    logScale: options.logScale ?? phases.length > 1,
    markers,
  });
  const lossPath = join(outDir, "loss.png");
  writePng(lossPath, loss);
  written.push(lossPath);

  const indices = oneOfEachDigit(test.labels);
  const originals = pickImages(test.images, indices);
  const { outputs, codes } = reconstruct(model, originals, options.codeDepth);
  const grid = digitGrid([originals, outputs], { rowLabels: ["input", "output"], scale: 3, title: options.title });
  const reconPath = join(outDir, "reconstructions.png");
  writePng(reconPath, grid);
  written.push(reconPath);
  if (options.codeDepth !== undefined) {
    const latentPath = join(outDir, "latent.png");
    writePng(latentPath, latentStrip(originals, codes, outputs, { title: `${options.title}: bottleneck codes` }));
    written.push(latentPath);
  }
  return written;
}
