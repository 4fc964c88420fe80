import { slice, type Tensor } from "@tapegrad/core";
import type { Mnist } from "@tapegrad/data/node";
import { fit } from "@tapegrad/nn";
import { disposeData, loadData, makeOptimizer, trainAutoencoder, writeRunArtifacts } from "./experiments.js";
import { buildModel } from "./models.js";
import { displayPath } from "./paths.js";

/**
 * Options of {@link runDemo}.
 *
 * @example
 * ```ts
 * const opts: DemoOptions = { out: "runs/demo", epochs: 3 };
 * ```
 */
export interface DemoOptions {
  out: string;
  /** Default 3. */
  epochs?: number;
  /** Training images; by default chosen from a measured throughput to fit the time budget. */
  trainLimit?: number;
  seed?: number;
  /** Seconds of training to aim for when choosing the number of images (default 80). */
  budgetSeconds?: number;
}

const BATCH = 256;
const MIN_IMAGES = 10_240;

function firstRows(m: Mnist, n: number): Mnist {
  if (n >= m.raw.count) return m;
  return {
    images: slice(m.images, [0, 0], [n, m.images.shape[1] as number]),
    labels: slice(m.labels, [0], [n]),
    raw: { ...m.raw, images: m.raw.images.subarray(0, n * 784), labels: m.raw.labels.subarray(0, n), count: n },
  };
}

/**
 * Measures training throughput (samples/s) of the demo's setup on this machine: one short
 * epoch of a throwaway model on the first images. The first batches include warm-up, so this
 * slightly underestimates, which errs on the side of a shorter demo.
 *
 * @example
 * ```ts
 * const rate = await measureThroughput(data.train.images); // e.g. 2500
 * ```
 */
export async function measureThroughput(images: Tensor, samples = 2_048): Promise<number> {
  const model = buildModel("L2", { seed: 123 });
  const optimizer = makeOptimizer("adam", model.parameters(), 1e-3);
  using x = slice(images, [0, 0], [samples, 784]);
  const t0 = performance.now();
  try {
    await fit(model, x, x, { loss: "mse", optimizer, epochs: 1, batchSize: BATCH, shuffle: true, seed: 1, verbose: 0 });
  } finally {
    optimizer.dispose();
    model.dispose();
  }
  return samples / ((performance.now() - t0) / 1000);
}

/**
 * The `demo` command: a run a newcomer can watch in a minute or two whose reconstructions
 * already look like digits. L2's architecture (784-128-64-128-784, sigmoid output, MSE), but
 * with Adam (lr 1e-3, batch 256) instead of the lecture's Adadelta (lr 1.0, batch 100, 20
 * epochs): Adam gets to recognisable digits in 2–3 epochs; five sharpen them. Then writes the pictures and
 * prints where they are.
 *
 * @example
 * ```ts
 * await runDemo({ out: "runs/demo" });
 * ```
 */
export async function runDemo(options: DemoOptions): Promise<void> {
  const epochs = options.epochs ?? 5;
  const seed = options.seed ?? 0;
  console.log("tapegrad demo: an MNIST autoencoder trained from scratch on the CPU backend");
  console.log("  model:     784-128-64-128-784, relu hidden, sigmoid output, MSE loss (the lecture's L2)");
  console.log(`  optimizer: Adam lr 1e-3, batch ${BATCH}, ${epochs} epochs`);
  console.log("             (the lecture used Adadelta lr 1.0, batch 100, 20 epochs; Adam converges much faster,");
  console.log(
    "              so a short run already gives readable digits — `train --model L2` runs the lecture's setup)",
  );
  const started = performance.now();
  const full = await loadData();
  let count = options.trainLimit ?? full.train.raw.count;
  if (options.trainLimit === undefined) {
    const rate = await measureThroughput(full.train.images);
    const budget = options.budgetSeconds ?? 80;
    // Each epoch also validates on the 10k test images: a forward pass, about a third of a
    // training step's cost per image.
    const validation = full.test.raw.count / 3;
    const affordable = Math.floor(((rate * budget) / epochs - validation) / BATCH) * BATCH;
    count = Math.max(MIN_IMAGES, Math.min(full.train.raw.count, affordable));
    console.log(
      `  measured ${Math.round(rate)} training samples/s here: training on ${count} of ${full.train.raw.count} images` +
        ` (about ${Math.round(((count + validation) * epochs) / rate)} s)`,
    );
  }
  const train = firstRows(full.train, count);
  const data = { train, test: full.test };
  console.log("");
  const result = await trainAutoencoder(
    { model: "L2", epochs, batchSize: BATCH, optimizer: "adam", lr: 1e-3, seed, trainLimit: count },
    data,
  );
  const files = await writeRunArtifacts(options.out, "L2", result, data.test, {
    title: `demo: L2 autoencoder, Adam, ${epochs} epochs`,
    config: { command: "demo", epochs, batchSize: BATCH, optimizer: "adam", lr: 1e-3, seed, trainImages: count },
  });
  const last = result.history.loss.length - 1;
  const total = (performance.now() - started) / 1000;
  console.log(
    `\ndemo finished in ${total.toFixed(0)} s (training and validation ${result.seconds.toFixed(0)} s, ${Math.round(result.samplesPerSecond)} training samples/s)`,
  );
  console.log(
    `final train loss ${result.history.loss[last]?.toFixed(4)}, val loss ${result.history.val_loss[last]?.toFixed(4)} (MSE)`,
  );
  console.log(`pictures and weights in ${displayPath(options.out)}/:`);
  for (const f of files) console.log(`  ${displayPath(f)}`);
  console.log("next: `node apps/autoencoder/dist/cli.js train --model L4` trains the lecture's 16-number bottleneck");
  if (train !== full.train) {
    train.images.dispose();
    train.labels.dispose();
  }
  result.model.dispose();
  disposeData(full);
}
