#!/usr/bin/env node
// `pnpm run bench [-- --quick] [-- --only matmul,training] [-- --out dir]`: tapegrad and
// TensorFlow.js side by side, in one process, on this machine, now. Progress goes to stderr;
// the markdown summary to stdout and, with the JSON, to <out>/<timestamp>.{md,json}.
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { loadMnist } from "@tapegrad/data/node";
import { runElementwise } from "./cases/elementwise.js";
import { runMatmul } from "./cases/matmul.js";
import { type ChildSpec, type ColdResult, childMain, PATHS, runCold, runThroughput } from "./cases/training.js";
import { now } from "./harness.js";
import { type BenchResults, computeTargets, toMarkdown } from "./report.js";
import type { BenchSystem } from "./systems/common.js";
import { tapegradCpu } from "./systems/tapegrad.js";
import { tfjsCpu, tfjsWasm } from "./systems/tfjs.js";

const CASES = ["matmul", "elementwise", "training", "cold"] as const;
type Case = (typeof CASES)[number];

const USAGE = `usage: node apps/bench/dist/main.js [--quick] [--only ${CASES.join("|")}[,...]] [--out <dir>]
  --quick   fewer repeats, 2,560 training images (about a minute)
  --only    run only these cases (comma-separated)
  --out     results folder (default apps/bench/results)`;

function makeSystem(name: string): BenchSystem {
  switch (name) {
    case "tapegrad-cpu":
      return tapegradCpu();
    case "tfjs-cpu":
      return tfjsCpu();
    case "tfjs-wasm":
      return tfjsWasm();
    default:
      throw new Error(`unknown system ${name}`);
  }
}

function log(line: string): void {
  process.stderr.write(`${line}\n`);
}

function gitInfo(): string {
  try {
    const cwd = fileURLToPath(new URL(".", import.meta.url));
    const head = execFileSync("git", ["rev-parse", "--short", "HEAD"], { cwd, encoding: "utf8" }).trim();
    const dirty = execFileSync("git", ["status", "--porcelain", "--", "packages"], { cwd, encoding: "utf8" }).trim();
    return dirty ? `${head} (packages/ modified)` : head;
  } catch {
    return "unknown";
  }
}

async function main(): Promise<void> {
  // `pnpm run bench -- --quick` hands the "--" through to the program: drop it.
  const args = process.argv.slice(2).filter((a) => a !== "--");
  const { values } = parseArgs({
    args,
    options: {
      quick: { type: "boolean", default: false },
      only: { type: "string" },
      out: { type: "string" },
      child: { type: "string" },
      help: { type: "boolean", short: "h", default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  if (values.child !== undefined) {
    // Internal: one cold training run for runCold, result as the last stdout line.
    const spec = JSON.parse(values.child) as ChildSpec;
    const result = await childMain(spec, makeSystem(spec.system));
    process.stdout.write(`${JSON.stringify(result)}\n`);
    return;
  }
  const only = new Set<Case>();
  for (const c of (values.only ?? "").split(",").filter((s) => s !== "")) {
    if (!(CASES as readonly string[]).includes(c)) throw new Error(`--only: unknown case "${c}"\n${USAGE}`);
    only.add(c as Case);
  }
  const wants = (c: Case) => only.size === 0 || only.has(c);
  const quick = values.quick;
  const settings = quick
    ? { kernelRepeats: 2, sampleSeconds: 0.15, images: 2560, trainRepeats: 1, warmupImages: 512, coldImages: 768 }
    : { kernelRepeats: 5, sampleSeconds: 0.4, images: 10_000, trainRepeats: 3, warmupImages: 1024, coldImages: 10_000 };
  const outDir = resolve(values.out ?? fileURLToPath(new URL("../results", import.meta.url)));
  const started = now();
  const load0 = loadavg()[0]!;
  const systems = [tapegradCpu(), tfjsCpu(), tfjsWasm()];
  for (const s of systems) await s.activate();
  const results: BenchResults = {
    timestamp: new Date().toISOString(),
    mode: quick ? "quick" : "full",
    machine: {
      cpu: cpus()[0]?.model ?? "unknown",
      cores: cpus().length,
      node: process.version,
      commit: gitInfo(),
      "load avg (1 min) at start": load0.toFixed(2),
    },
    systems: {},
    targets: [],
    seconds: 0,
  };
  const kernelOptions = { repeats: settings.kernelRepeats, sampleSeconds: settings.sampleSeconds, log };
  if (wants("matmul")) results.matmul = await runMatmul(systems, kernelOptions);
  if (wants("elementwise")) results.elementwise = await runElementwise(systems, kernelOptions);
  if (wants("training") || wants("cold")) {
    // The first images of the training split; the tapegrad backend is current after activate().
    await systems[0]!.activate();
    const mnist = await loadMnist({ split: "train", limit: Math.max(settings.images, settings.coldImages) });
    const images = Float32Array.from(mnist.raw.images, (v) => v / 255);
    mnist.images.dispose();
    mnist.labels.dispose();
    if (wants("training")) {
      results.training = await runThroughput(systems, {
        images,
        n: settings.images,
        warmupImages: settings.warmupImages,
        repeats: settings.trainRepeats,
        models: ["L2", "L4"],
        log,
      });
    }
    if (wants("cold")) {
      const dir = mkdtempSync(join(tmpdir(), "tapegrad-bench-"));
      try {
        const dataFile = join(dir, "images.f32");
        writeFileSync(dataFile, images.subarray(0, settings.coldImages * 784));
        const cold: ColdResult[] = [];
        for (const model of ["L2", "L4"] as const) {
          for (const s of systems) {
            for (const path of PATHS) {
              const r = await runCold({ system: s.name, path, model, n: settings.coldImages, dataFile });
              log(
                `cold ${model} ${s.name}/${path}: first batch ${r.firstBatchSeconds.toFixed(3)} s, tensors ${(r.tensorPeakBytes / 2 ** 20).toFixed(1)} MiB, RSS ${(r.rssPeakBytes / 2 ** 20).toFixed(1)} MiB, loss ${r.loss.toFixed(5)}`,
              );
              cold.push(r);
            }
          }
        }
        results.cold = cold;
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }
  }
  for (const s of systems) {
    await s.activate();
    results.systems[s.name] = s.describe();
  }
  results.machine["load avg (1 min) at end"] = loadavg()[0]!.toFixed(2);
  results.seconds = now() - started;
  results.targets = computeTargets(results);
  const md = toMarkdown(results);
  mkdirSync(outDir, { recursive: true });
  const stem = results.timestamp.replace(/[:.]/g, "-");
  writeFileSync(join(outDir, `${stem}.json`), `${JSON.stringify(results, null, 2)}\n`);
  writeFileSync(join(outDir, `${stem}.md`), md);
  process.stdout.write(md);
  log(`wrote ${join(outDir, `${stem}.json`)} and .md`);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? (err.stack ?? err.message) : err);
  process.exit(1);
});
