// Training throughput of the lecture's autoencoders, plus cold start and peak memory.
//
// Throughput: every system and path trains one epoch from the same initial weights over the same
// batches (no shuffling), alternating, after a warm-up on a few batches; the epoch's mean loss is
// kept so a fast-but-wrong path shows up as a different number.
//
// Cold start and memory: each (system, path, model) runs once more in a fresh Node process, so
// the time to the first trained batch includes JIT warm-up and the memory figures are not
// polluted by whatever the other systems left in the heap.
import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { alternate, now, type Stats, stats } from "../harness.js";
import type { BenchSystem, TrainPath } from "../systems/common.js";
import { ADAM, AGREEMENT_EPSILON, initialWeights, MODELS, type ModelSpec, parameterCount } from "../weights.js";

export const BATCH_SIZE = 256;
export const PATHS: readonly TrainPath[] = ["fit", "loop"];

export interface ThroughputResult {
  model: ModelSpec["id"];
  params: number;
  images: number;
  /** `<system>/<path>` → samples/s, and the loss of each measured epoch. */
  runs: Record<string, Stats & { losses: number[] }>;
  /** Images in the warm-up epoch. */
  agreementImages: number;
  /** `<system>/<path>` → loss of the warm-up epoch, run with ε = AGREEMENT_EPSILON; all must agree. */
  agreement: Record<string, number>;
  /** Largest |loss − median loss| / median loss over `agreement`. */
  agreementSpread: number;
}

export interface TrainingOptions {
  images: Float32Array;
  n: number;
  warmupImages: number;
  repeats: number;
  models: readonly ModelSpec["id"][];
  log: (line: string) => void;
}

export async function runThroughput(
  systems: readonly BenchSystem[],
  options: TrainingOptions,
): Promise<ThroughputResult[]> {
  const out: ThroughputResult[] = [];
  const uploads = new Map<string, { full: unknown; warm: unknown }>();
  for (const s of systems) {
    await s.activate();
    uploads.set(s.name, {
      full: s.uploadImages(options.images, options.n),
      warm: s.uploadImages(options.images, Math.min(options.n, options.warmupImages)),
    });
  }
  for (const id of options.models) {
    const spec = MODELS[id];
    const weights = initialWeights(spec);
    const agreement: Record<string, number> = {};
    const contestants = systems.flatMap((s) =>
      PATHS.map((path) => {
        let warm = true;
        return {
          name: `${s.name}/${path}`,
          run: async () => {
            await s.activate();
            const data = uploads.get(s.name)!;
            // Fresh model and optimizer every time: each measured epoch starts from the same
            // weights and must end at the same loss. The warm-up doubles as the cross-system
            // agreement check (see AGREEMENT_EPSILON).
            const isWarmup = warm;
            warm = false;
            const prepared = await s.prepareTraining(spec, weights, isWarmup ? data.warm : data.full, path, {
              batchSize: BATCH_SIZE,
              epsilon: isWarmup ? AGREEMENT_EPSILON : ADAM.epsilon,
            });
            try {
              const t0 = now();
              const r = await prepared.runEpoch();
              if (isWarmup) agreement[`${s.name}/${path}`] = r.loss;
              return { seconds: now() - t0, loss: r.loss };
            } finally {
              prepared.dispose();
            }
          },
        };
      }),
    );
    const results = await alternate(contestants, {
      warmup: 1,
      repeats: options.repeats,
      onSample: (name, repeat, r) => {
        const { seconds, loss } = r as { seconds: number; loss: number };
        options.log(
          `train ${id} ${name} #${repeat + 1}: ${(options.n / seconds).toFixed(0)} samples/s, loss ${loss.toFixed(5)}`,
        );
      },
    });
    const runs: ThroughputResult["runs"] = {};
    for (const [name, rs] of results) {
      runs[name] = { ...stats(rs.map((r) => options.n / r.seconds)), losses: rs.map((r) => r.loss) };
    }
    const losses = Object.values(agreement);
    const mid = stats(losses).median;
    const agreementSpread = Math.max(...losses.map((l) => Math.abs(l - mid) / mid));
    options.log(`train ${id} agreement (ε=${AGREEMENT_EPSILON}): relative spread ${agreementSpread.toExponential(1)}`);
    out.push({
      model: id,
      params: parameterCount(spec),
      images: options.n,
      runs,
      agreementImages: Math.min(options.n, options.warmupImages),
      agreement,
      agreementSpread,
    });
  }
  for (const s of systems) {
    await s.activate();
    const data = uploads.get(s.name)!;
    for (const t of [data.full, data.warm]) (t as { dispose(): void }).dispose();
  }
  return out;
}

/** What a cold child run reports. */
export interface ColdResult {
  system: string;
  path: TrainPath;
  model: ModelSpec["id"];
  images: number;
  /** Backend initialisation (wasm compile for tfjs-wasm). */
  backendInitSeconds: number;
  /** Model construction + weight upload + first optimizer step, loss read back. */
  firstBatchSeconds: number;
  epochSeconds: number;
  loss: number;
  /** Peak tensor bytes above the level before the model was built (weights, optimizer state, activations, gradients). */
  tensorPeakBytes: number;
  tensorHow: string;
  /** Peak resident set size above the level before the model was built. */
  rssPeakBytes: number;
  /** Peak of V8 heap + external + array buffers above the same baseline, sampled at batch ends. */
  heapPeakBytes: number;
  describe: Record<string, string | number | boolean>;
}

export interface ChildSpec {
  system: string;
  path: TrainPath;
  model: ModelSpec["id"];
  n: number;
  dataFile: string;
}

const execFileAsync = promisify(execFile);

/** Runs one cold training run in a fresh `node` process (this same program with `--child`). */
export async function runCold(spec: ChildSpec): Promise<ColdResult> {
  const main = fileURLToPath(new URL("../main.js", import.meta.url));
  const { stdout } = await execFileAsync(process.execPath, ["--expose-gc", main, "--child", JSON.stringify(spec)], {
    maxBuffer: 16 * 1024 * 1024,
  });
  const line = stdout.trim().split("\n").at(-1) ?? "";
  return JSON.parse(line) as ColdResult;
}

function heapBytes(): number {
  const m = process.memoryUsage();
  // arrayBuffers is part of external; count typed-array storage once.
  return m.heapUsed + m.external;
}

/** The `--child` side of {@link runCold}. */
export async function childMain(spec: ChildSpec, system: BenchSystem): Promise<ColdResult> {
  const gc = (globalThis as { gc?: () => void }).gc ?? (() => {});
  const t0 = now();
  await system.activate();
  const backendInitSeconds = now() - t0;
  const buf = readFileSync(spec.dataFile);
  const images = new Float32Array(buf.buffer, buf.byteOffset, spec.n * 784);
  const x = system.uploadImages(images, spec.n);
  const model = MODELS[spec.model];
  const weights = initialWeights(model);
  const tracker = system.byteTracker();
  gc();
  const rss0 = process.memoryUsage.rss();
  const maxRss0 = process.resourceUsage().maxRSS * 1024;
  const heap0 = heapBytes();
  tracker.resetPeak();
  const tensors0 = tracker.current();
  let rssPeak = rss0;
  let heapPeak = heap0;
  let firstBatchSeconds = Number.NaN;
  const start = now();
  const prepared = await system.prepareTraining(model, weights, x, spec.path, {
    batchSize: BATCH_SIZE,
    epsilon: ADAM.epsilon,
  });
  const epochStart = now();
  const r = await prepared.runEpoch({
    onBatchEnd: (batch) => {
      if (batch === 0) firstBatchSeconds = now() - start;
      tracker.sample();
      rssPeak = Math.max(rssPeak, process.memoryUsage.rss());
      heapPeak = Math.max(heapPeak, heapBytes());
    },
  });
  const epochSeconds = now() - epochStart;
  // maxRSS is the kernel's high-water mark and also catches peaks inside a step, but only
  // if it rose after the baseline (loading the data may have set it earlier).
  const maxRss1 = process.resourceUsage().maxRSS * 1024;
  if (maxRss1 > maxRss0) rssPeak = Math.max(rssPeak, maxRss1);
  const result: ColdResult = {
    system: system.name,
    path: spec.path,
    model: spec.model,
    images: spec.n,
    backendInitSeconds,
    firstBatchSeconds,
    epochSeconds,
    loss: r.loss,
    tensorPeakBytes: tracker.peak() - tensors0,
    tensorHow: tracker.how,
    rssPeakBytes: rssPeak - rss0,
    heapPeakBytes: heapPeak - heap0,
    describe: system.describe(),
  };
  prepared.dispose();
  return result;
}
