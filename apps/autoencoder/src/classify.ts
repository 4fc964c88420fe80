import { mkdirSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { argmax, oneHot, type Tensor } from "@tapegrad/core";
import { categoricalCrossentropy, fit, predict, printSummary } from "@tapegrad/nn";
import { disposeData, loadData, makeOptimizer } from "./experiments.js";
import { buildClassifier } from "./models.js";
import { displayPath } from "./paths.js";
import { pickImages } from "./pictures.js";
import { confusionMatrix, confusionPlot } from "./render/confusion.js";
import { digitGrid } from "./render/digit_grid.js";
import { writePng } from "./render/png.js";

/**
 * Options of {@link runClassify}.
 *
 * @example
 * ```ts
 * const opts: ClassifyOptions = { out: "runs/classify", epochs: 5 };
 * ```
 */
export interface ClassifyOptions {
  out: string;
  /** Default 5. */
  epochs?: number;
  /** Default 128. */
  batchSize?: number;
  /** Adam's learning rate, default 1e-3. */
  lr?: number;
  seed?: number;
  trainLimit?: number;
}

/**
 * What {@link runClassify} found: test accuracy, the confusion matrix and the written files.
 *
 * @example
 * ```ts
 * const { accuracy } = await runClassify({ out: "runs/c" }); // ≈ 0.975
 * ```
 */
export interface ClassifyResult {
  accuracy: number;
  confusion: number[][];
  files: string[];
}

/**
 * The `classify` command: trains an MLP classifier on MNIST (784-128r-64r-10 softmax,
 * categorical cross-entropy, Adam), reports test accuracy, and writes `confusion.png` (a
 * 10×10 heat map with counts) and `misclassified.png` (wrong test digits with their true and
 * predicted labels).
 *
 * @example
 * ```ts
 * const { accuracy } = await runClassify({ out: "runs/classify", epochs: 5 });
 * ```
 */
export async function runClassify(options: ClassifyOptions): Promise<ClassifyResult> {
  const epochs = options.epochs ?? 5;
  const batchSize = options.batchSize ?? 128;
  const data = await loadData({ trainLimit: options.trainLimit });
  const model = buildClassifier({ seed: options.seed ?? 0 });
  printSummary(model, [784]);
  const optimizer = makeOptimizer("adam", model.parameters(), options.lr ?? 1e-3);
  using yTrain = oneHot(data.train.labels, 10);
  using yTest = oneHot(data.test.labels, 10);
  const history = await fit(model, data.train.images, yTrain, {
    loss: categoricalCrossentropy,
    optimizer,
    epochs,
    batchSize,
    shuffle: true,
    seed: options.seed ?? 0,
    validationData: [data.test.images, yTest],
    verbose: 1,
  });
  optimizer.dispose();
  const probs: Tensor = predict(model, data.test.images, { batchSize: 1000 });
  using pred = argmax(probs, 1);
  probs.dispose();
  const predicted = pred.dataSync();
  const truth = data.test.raw.labels;
  let correct = 0;
  const wrong: number[] = [];
  for (let i = 0; i < truth.length; i++) {
    if (predicted[i] === truth[i]) correct++;
    else wrong.push(i);
  }
  const accuracy = correct / truth.length;
  const confusion = confusionMatrix(truth, predicted);
  mkdirSync(options.out, { recursive: true });
  const files: string[] = [];
  const confusionPath = join(options.out, "confusion.png");
  writePng(
    confusionPath,
    confusionPlot(confusion, { title: `MLP on MNIST test: accuracy ${(100 * accuracy).toFixed(2)}%` }),
  );
  files.push(confusionPath);
  const shown = wrong.slice(0, 40);
  const perRow = 10;
  const rows = [];
  const captions = [];
  for (let r = 0; r * perRow < shown.length; r++) {
    const idx = shown.slice(r * perRow, (r + 1) * perRow);
    rows.push(pickImages(data.test.raw.images, idx));
    captions.push(idx.map((i) => `${truth[i]} as ${predicted[i]}`));
  }
  const missPath = join(options.out, "misclassified.png");
  writePng(
    missPath,
    digitGrid(rows, {
      scale: 3,
      captions,
      title: `${wrong.length} of ${truth.length} test digits misclassified (first ${shown.length}: true as predicted)`,
    }),
  );
  files.push(missPath);
  const historyPath = join(options.out, "history.json");
  writeFileSync(
    historyPath,
    `${JSON.stringify({ command: "classify", epochs, batchSize, lr: options.lr ?? 1e-3, accuracy, confusion, history: history.history }, null, 2)}\n`,
  );
  files.push(historyPath);
  console.log(`\ntest accuracy ${(100 * accuracy).toFixed(2)}% (${correct} of ${truth.length})`);
  console.log(`wrote ${displayPath(options.out)}/`);
  for (const f of files) console.log(`  ${relative(options.out, f)}`);
  model.dispose();
  disposeData(data);
  return { accuracy, confusion, files };
}
