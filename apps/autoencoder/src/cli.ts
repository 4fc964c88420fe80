#!/usr/bin/env node
import { realpathSync } from "node:fs";
import { relative, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { type ParseArgsConfig, parseArgs } from "node:util";
import { cpu } from "@tapegrad/backend-cpu";
import { setBackend } from "@tapegrad/core";
import { runClassify } from "./classify.js";
import { runDemo } from "./demo.js";
import {
  disposeData,
  loadData,
  type OptimizerName,
  type TrainConfig,
  trainAutoencoder,
  writeRunArtifacts,
} from "./experiments.js";
import { defaultOutDir, displayPath } from "./paths.js";
import { MODEL_IDS, type ModelId } from "./reference.js";
import { runReproduce } from "./reproduce.js";

/**
 * The CLI's help text.
 *
 * @example
 * ```ts
 * console.log(USAGE);
 * ```
 */
export const USAGE = `usage: tapegrad-autoencoder <command> [options]

commands:
  demo        a short run to watch (about 1-2 minutes): L2's architecture with Adam,
              then reconstructions.png and loss.png
  train       one of the lecture's experiments
                --model <L1|L2|L3|L4>  (required)
                --epochs N             epochs per phase (lecture: 20; L3 has two phases)
                --batch-size N         (lecture: 100)
                --optimizer <adadelta|adam|sgd>   (lecture: adadelta, lr 1.0)
                --lr X                 learning rate
                --seed N               weights and shuffling (default 0)
                --train-limit N        train on the first N images only
                --log-scale            logarithmic loss axis
                --out DIR              (default apps/autoencoder/runs/<model>-<timestamp>)
  reproduce   L1-L4 over several seeds against the lecture's logs -> reproduction.md (about an hour)
                --seeds N              seeds per model (default 3; 5 for L4)
                --epochs N             shorter runs (checks only the epochs run)
                --models L1,L2,...     a subset
                --train-limit N, --out DIR
  classify    an MLP classifier (784-128-64-10, softmax, Adam) -> confusion.png, misclassified.png
                --epochs N (default 5), --batch-size N (128), --lr X (1e-3), --seed N,
                --train-limit N, --out DIR
  help        this text
`;

/** Thrown for bad command lines: main prints the message and the usage, and exits with 2. */
class UsageError extends Error {}

function parse<const O extends NonNullable<ParseArgsConfig["options"]>>(args: string[], options: O) {
  try {
    return parseArgs({ args, options, strict: true as const, allowPositionals: false as const }).values;
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
}

function int(name: string, v: unknown, min = 1): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < min) throw new UsageError(`--${name} must be an integer >= ${min}, got "${v}"`);
  return n;
}

function positive(name: string, v: unknown): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0) throw new UsageError(`--${name} must be a positive number, got "${v}"`);
  return n;
}

function modelId(v: unknown): ModelId {
  if (v === undefined) {
    const ids = MODEL_IDS.map(String);
    throw new UsageError(`--model is required (${ids.slice(0, -1).join(", ")} or ${ids.at(-1)})`);
  }
  if (typeof v !== "string" || !MODEL_IDS.includes(v as ModelId)) {
    throw new UsageError(`--model must be one of ${MODEL_IDS.join(", ")}, got "${String(v ?? "")}"`);
  }
  return v as ModelId;
}

function optimizerName(v: unknown): OptimizerName | undefined {
  if (v === undefined) return undefined;
  if (v !== "adadelta" && v !== "adam" && v !== "sgd") {
    throw new UsageError(`--optimizer must be adadelta, adam or sgd, got "${String(v)}"`);
  }
  return v;
}

const str = { type: "string" } as const;

async function train(args: string[]): Promise<void> {
  const v = parse(args, {
    model: str,
    epochs: str,
    "batch-size": str,
    optimizer: str,
    lr: str,
    seed: str,
    "train-limit": str,
    out: str,
    "log-scale": { type: "boolean" },
  });
  const id = modelId(v.model);
  const config: TrainConfig = {
    model: id,
    epochs: int("epochs", v.epochs),
    batchSize: int("batch-size", v["batch-size"]),
    optimizer: optimizerName(v.optimizer),
    lr: positive("lr", v.lr),
    seed: int("seed", v.seed, 0),
    trainLimit: int("train-limit", v["train-limit"]),
  };
  const out = typeof v.out === "string" ? resolve(v.out) : defaultOutDir(id);
  const data = await loadData({ trainLimit: config.trainLimit });
  console.log(
    `${id}: ${data.train.raw.count} training images, validation on ${data.test.raw.count} test images; ` +
      `${config.optimizer ?? "adadelta"}${config.lr ? ` lr ${config.lr}` : ""}, batch ${config.batchSize ?? 100}`,
  );
  const result = await trainAutoencoder(config, data);
  const lectureSetup =
    (config.optimizer ?? "adadelta") === "adadelta" &&
    config.lr === undefined &&
    (config.batchSize ?? 100) === 100 &&
    config.trainLimit === undefined;
  const files = await writeRunArtifacts(out, id, result, data.test, {
    logScale: v["log-scale"] === true ? true : undefined,
    config: { ...config, trainImages: data.train.raw.count },
    withReference: lectureSetup,
  });
  const last = result.history.loss.length - 1;
  console.log(
    `\ndone in ${result.seconds.toFixed(1)} s (${Math.round(result.samplesPerSecond)} training samples/s); ` +
      `final loss ${result.history.loss[last]?.toFixed(4)}, val_loss ${result.history.val_loss[last]?.toFixed(4)}`,
  );
  console.log(`wrote ${displayPath(out)}/`);
  for (const f of files) console.log(`  ${relative(out, f)}`);
  result.model.dispose();
  disposeData(data);
}

async function demo(args: string[]): Promise<void> {
  const v = parse(args, { epochs: str, "train-limit": str, seed: str, out: str });
  await runDemo({
    epochs: int("epochs", v.epochs),
    trainLimit: int("train-limit", v["train-limit"]),
    seed: int("seed", v.seed, 0),
    out: typeof v.out === "string" ? resolve(v.out) : defaultOutDir("demo"),
  });
}

async function reproduce(args: string[]): Promise<void> {
  const v = parse(args, { seeds: str, epochs: str, models: str, "train-limit": str, out: str });
  const models = typeof v.models === "string" ? v.models.split(",").map((m) => modelId(m.trim())) : [...MODEL_IDS];
  await runReproduce({
    models,
    seeds: int("seeds", v.seeds),
    epochs: int("epochs", v.epochs),
    trainLimit: int("train-limit", v["train-limit"]),
    out: typeof v.out === "string" ? resolve(v.out) : defaultOutDir("reproduce"),
  });
}

async function classify(args: string[]): Promise<void> {
  const v = parse(args, { epochs: str, "batch-size": str, lr: str, seed: str, "train-limit": str, out: str });
  await runClassify({
    epochs: int("epochs", v.epochs),
    batchSize: int("batch-size", v["batch-size"]),
    lr: positive("lr", v.lr),
    seed: int("seed", v.seed, 0),
    trainLimit: int("train-limit", v["train-limit"]),
    out: typeof v.out === "string" ? resolve(v.out) : defaultOutDir("classify"),
  });
}

const COMMANDS: Record<string, (args: string[]) => Promise<void>> = { train, demo, reproduce, classify };

/**
 * Runs the CLI on `argv` (without `node` and the script) and resolves to the exit code: 0 on
 * success, 2 for a bad command line (the message and the usage go to stderr), 1 if a command
 * failed. Sets the CPU backend.
 *
 * @example
 * ```ts
 * process.exitCode = await main(["train", "--model", "L2", "--epochs", "1"]);
 * ```
 */
export async function main(argv: readonly string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === "help" || command === "--help" || command === "-h") {
    (command === undefined ? console.error : console.log)(USAGE);
    return command === undefined ? 2 : 0;
  }
  const run = COMMANDS[command];
  try {
    if (run === undefined) throw new UsageError(`unknown command "${command}"`);
    setBackend(cpu());
    await run(rest);
    return 0;
  } catch (e) {
    if (e instanceof UsageError) {
      console.error(`error: ${e.message}\n\n${USAGE}`);
      return 2;
    }
    console.error(e instanceof Error ? (e.stack ?? e.message) : String(e));
    return 1;
  }
}

function isEntryPoint(): boolean {
  const script = process.argv[1];
  if (script === undefined) return false;
  try {
    return pathToFileURL(realpathSync(script)).href === import.meta.url;
  } catch {
    return false;
  }
}

if (isEntryPoint()) process.exitCode = await main(process.argv.slice(2));
