// Results as JSON (everything, raw samples included) and as a markdown summary of medians,
// ranges and ratios against the targets of the performance issue.

import type { KernelResult } from "./cases/matmul.js";
import type { ColdResult, ThroughputResult } from "./cases/training.js";
import type { Stats } from "./harness.js";

export interface Target {
  name: string;
  /** measured / reference, or for memory tapegrad / tfjs-cpu. */
  ratio: number;
  goal: string;
  met: boolean;
  detail: string;
}

export interface BenchResults {
  timestamp: string;
  mode: "quick" | "full";
  machine: Record<string, string | number>;
  systems: Record<string, Record<string, string | number | boolean>>;
  matmul?: KernelResult[];
  elementwise?: KernelResult;
  training?: ThroughputResult[];
  cold?: ColdResult[];
  targets: Target[];
  seconds: number;
}

export const TG = "tapegrad-cpu";
export const TF_CPU = "tfjs-cpu";
export const TF_WASM = "tfjs-wasm";

/** Three significant digits, thousands separated, for the table. */
export function num(x: number): string {
  if (!Number.isFinite(x)) return "–";
  const abs = Math.abs(x);
  if (Number.isInteger(x) || abs >= 1000) return Math.round(x).toLocaleString("en-US");
  if (abs >= 100) return x.toFixed(0);
  if (abs >= 10) return x.toFixed(1);
  if (abs >= 1) return x.toFixed(2);
  return x.toPrecision(3);
}

function range(s: Stats | undefined): string {
  if (!s) return "–";
  return s.samples.length > 1 ? `${num(s.median)} (${num(s.min)}–${num(s.max)})` : num(s.median);
}

function ratio(a: number | undefined, b: number | undefined): string {
  if (a === undefined || b === undefined || !Number.isFinite(a) || !Number.isFinite(b) || b === 0) return "–";
  return `${(a / b).toFixed(2)}×`;
}

function mib(bytes: number): string {
  return `${(bytes / 2 ** 20).toFixed(1)} MiB`;
}

/** The faster of a system's two training paths for one model (tfjs's and tapegrad's headline figure). */
export function bestPath(t: ThroughputResult, system: string): { path: string; stats: Stats } | undefined {
  let best: { path: string; stats: Stats } | undefined;
  for (const path of ["fit", "loop"]) {
    const s = t.runs[`${system}/${path}`];
    if (s && (!best || s.median > best.stats.median)) best = { path, stats: s };
  }
  return best;
}

export function computeTargets(r: BenchResults): Target[] {
  const out: Target[] = [];
  for (const t of r.training ?? []) {
    const tg = bestPath(t, TG);
    for (const [ref, goal] of [
      [TF_CPU, 5],
      [TF_WASM, 1],
    ] as const) {
      const other = bestPath(t, ref);
      if (!tg || !other) continue;
      const x = tg.stats.median / other.stats.median;
      out.push({
        name: `${t.model} training throughput vs ${ref}`,
        ratio: x,
        goal: `≥ ${goal}×`,
        met: x >= goal,
        detail: `${num(tg.stats.median)} (${tg.path}) vs ${num(other.stats.median)} (${other.path}) samples/s`,
      });
    }
  }
  const big = r.matmul?.find((m) => m.id === "1024^3");
  if (big?.systems[TG] && big.systems[TF_WASM]) {
    const x = big.systems[TG].median / big.systems[TF_WASM].median;
    out.push({
      name: "matmul 1024³ vs tfjs-wasm (1 thread)",
      ratio: x,
      goal: "≥ 0.8×",
      met: x >= 0.8,
      detail: `${num(big.systems[TG].median)} vs ${num(big.systems[TF_WASM].median)} GFLOP/s`,
    });
  }
  // Memory: compare the paths that give each system its headline throughput (fit when no
  // throughput was measured), under both definitions.
  for (const model of ["L2", "L4"] as const) {
    const t = r.training?.find((x) => x.model === model);
    const pick = (system: string) => {
      const path = (t && bestPath(t, system)?.path) ?? "fit";
      return r.cold?.find((c) => c.model === model && c.system === system && c.path === path);
    };
    const tg = pick(TG);
    const ref = pick(TF_CPU);
    if (!tg || !ref) continue;
    for (const [what, key] of [
      ["tensor bytes", "tensorPeakBytes"],
      ["RSS", "rssPeakBytes"],
    ] as const) {
      const x = tg[key] / ref[key];
      out.push({
        name: `${model} peak training memory (${what}) vs tfjs-cpu`,
        ratio: x,
        goal: "≤ 1×",
        met: x <= 1,
        detail: `${mib(tg[key])} (${tg.path}) vs ${mib(ref[key])} (${ref.path})`,
      });
    }
  }
  return out;
}

function kernelTable(title: string, rows: readonly KernelResult[], systems: readonly string[]): string[] {
  const unit = rows[0]?.unit ?? "";
  const lines = [
    `## ${title} (${unit}, median (min–max); higher is better)`,
    "",
    `| case | ${systems.join(" | ")} | ${TG} / ${TF_CPU} | ${TG} / ${TF_WASM} |`,
    `|---|${systems.map(() => "---:").join("|")}|---:|---:|`,
  ];
  for (const row of rows) {
    const cells = systems.map((s) => range(row.systems[s]));
    lines.push(
      `| ${row.id} — ${row.note} | ${cells.join(" | ")} | ${ratio(row.systems[TG]?.median, row.systems[TF_CPU]?.median)} | ${ratio(row.systems[TG]?.median, row.systems[TF_WASM]?.median)} |`,
    );
  }
  lines.push("");
  return lines;
}

export function toMarkdown(r: BenchResults): string {
  const systems = Object.keys(r.systems);
  const lines: string[] = [
    `# tapegrad bench, ${r.timestamp} (${r.mode})`,
    "",
    Object.entries(r.machine)
      .map(([k, v]) => `${k}: ${v}`)
      .join(" · "),
    "",
  ];
  for (const [name, d] of Object.entries(r.systems)) {
    lines.push(
      `- **${name}**: ${Object.entries(d)
        .map(([k, v]) => `${k}=${typeof v === "number" ? num(v) : v}`)
        .join(", ")}`,
    );
  }
  lines.push("");
  if (r.matmul) lines.push(...kernelTable("Matmul", r.matmul, systems));
  if (r.elementwise) lines.push(...kernelTable("Elementwise y = relu(x·a + b)", [r.elementwise], systems));
  if (r.training) {
    const t0 = r.training[0]!;
    lines.push(
      `## Training throughput (samples/s over one epoch of ${t0.images.toLocaleString("en-US")} MNIST images, batch 256, Adam 1e-3; median (min–max))`,
      "",
      "Every run starts from the same glorot-uniform weights (drawn once, seeded) and sees the same batches in the same order (no shuffling). **loss** = mean batch loss over the measured epoch (Adam ε = 1e-7): tfjs adds ε to the bias-corrected √v̂, Keras 2 and tapegrad to the raw √v, so tfjs's loss after one epoch is about 1% lower by definition. **check** = loss of the warm-up epoch run with ε = 1e-12, where that placement no longer matters: every system and path must agree to float32 rounding (spread printed per model). ratios compare each system's faster path (its headline figure).",
      "",
      "| model | system | fit | loop | best | loss fit / loop | check fit / loop | best / tfjs-cpu best | best / tfjs-wasm best |",
      "|---|---|---:|---:|---:|---|---|---:|---:|",
    );
    for (const t of r.training) {
      const refCpu = bestPath(t, TF_CPU)?.stats.median;
      const refWasm = bestPath(t, TF_WASM)?.stats.median;
      for (const s of systems) {
        const fit = t.runs[`${s}/fit`];
        const loop = t.runs[`${s}/loop`];
        const best = bestPath(t, s);
        const loss = (x?: { losses: number[] }) => (x ? x.losses.map((v) => v.toFixed(4)).join(",") : "–");
        const check = (path: string) => t.agreement[`${s}/${path}`]?.toFixed(6) ?? "–";
        lines.push(
          `| ${t.model} (${t.params.toLocaleString("en-US")} params) | ${s} | ${range(fit)} | ${range(loop)} | ${best ? `${num(best.stats.median)} (${best.path})` : "–"} | ${loss(fit)} / ${loss(loop)} | ${check("fit")} / ${check("loop")} | ${ratio(best?.stats.median, refCpu)} | ${ratio(best?.stats.median, refWasm)} |`,
        );
      }
    }
    lines.push("");
    for (const t of r.training) {
      const ok = t.agreementSpread < 1e-4;
      lines.push(
        `- ${t.model} check over ${t.agreementImages} images: largest relative deviation from the median ${t.agreementSpread.toExponential(1)} — ${ok ? "all paths compute the same training step" : "**a path disagrees: its speed is not comparable**"}.`,
      );
    }
    lines.push("");
  }
  if (r.cold && r.cold.length > 0) {
    const c0 = r.cold[0]!;
    lines.push(
      `## Cold start and peak memory (one fresh process per run, one epoch of ${c0.images.toLocaleString("en-US")} images)`,
      "",
      "- **first batch**: model construction + loading the shared weights + the first optimizer step with its loss read back, in a process that has not run it before (backend initialisation is listed separately).",
      "- **tensor peak**: highest tensor bytes during the epoch above the level before the model was built (weights, optimizer state, activations, gradients). Each framework's own accounting: tfjs `tf.memory().numBytes`, tapegrad `memory().numBytes` (tapegrad's CPU backend also keeps a pool of freed buffers, which this does not count but RSS does).",
      "- **RSS peak**: highest resident set size above the same baseline (sampled at every batch end, plus the kernel's max-RSS high-water mark when it rose during training). Includes garbage not yet collected, pooled buffers and the wasm heap.",
      "- **heap peak**: V8 heap + external memory (ArrayBuffers) above the baseline, sampled at batch ends.",
      "",
      "| model | system / path | backend init (s) | first batch (s) | epoch (s) | loss | tensor peak | RSS peak | heap peak |",
      "|---|---|---:|---:|---:|---:|---:|---:|---:|",
    );
    for (const c of r.cold) {
      lines.push(
        `| ${c.model} | ${c.system} / ${c.path} | ${c.backendInitSeconds.toFixed(3)} | ${c.firstBatchSeconds.toFixed(3)} | ${c.epochSeconds.toFixed(2)} | ${c.loss.toFixed(4)} | ${mib(c.tensorPeakBytes)} | ${mib(c.rssPeakBytes)} | ${mib(c.heapPeakBytes)} |`,
      );
    }
    lines.push("");
  }
  if (r.targets.length > 0) {
    lines.push("## Targets", "", "| target | ratio | goal | met | detail |", "|---|---:|---|---|---|");
    for (const t of r.targets) {
      lines.push(`| ${t.name} | ${t.ratio.toFixed(2)}× | ${t.goal} | ${t.met ? "yes" : "**no**"} | ${t.detail} |`);
    }
    lines.push("");
  }
  lines.push(`Total bench time: ${r.seconds.toFixed(0)} s.`, "");
  return lines.join("\n");
}
