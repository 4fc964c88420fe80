// Matmul throughput in the forward layout and in the two layouts of the backward pass.
import { alternate, calibrate, type Stats, stats, timePerCall } from "../harness.js";
import type { BenchSystem, KernelRun, MatmulLayout } from "../systems/common.js";

export interface MatmulShape {
  id: string;
  m: number;
  k: number;
  n: number;
  layout: MatmulLayout;
  /** What the shape stands for, for the report. */
  note: string;
}

export const MATMUL_SHAPES: readonly MatmulShape[] = [
  { id: "256x784x128", m: 256, k: 784, n: 128, layout: "AB", note: "A·B, first layer forward" },
  { id: "256x128x784", m: 256, k: 128, n: 784, layout: "AB", note: "A·B, last layer forward" },
  { id: "512^3", m: 512, k: 512, n: 512, layout: "AB", note: "A·B" },
  { id: "1024^3", m: 1024, k: 1024, n: 1024, layout: "AB", note: "A·B" },
  // dW = Xᵀ·G with X [256,784], G [256,128]: A is stored [K, M] and read transposed.
  { id: "dW 784x256x128 AᵀB", m: 784, k: 256, n: 128, layout: "AtB", note: "Aᵀ·B, dW = Xᵀ·G of the first layer" },
  // dX = G·Wᵀ with G [256,128], W [784,128]: B is stored [N, K] and read transposed.
  { id: "dX 256x128x784 ABᵀ", m: 256, k: 128, n: 784, layout: "ABt", note: "A·Bᵀ, dX = G·Wᵀ of the first layer" },
];

export interface KernelResult {
  id: string;
  note: string;
  unit: string;
  /** Per system: the rate (higher is better). */
  systems: Record<string, Stats & { itersPerSample: number }>;
}

export interface KernelOptions {
  repeats: number;
  /** Seconds one sample should last. */
  sampleSeconds: number;
  log: (line: string) => void;
}

/** Measures `make` on every system and converts seconds per call into a rate with `work / s`. */
export async function measureKernel(
  systems: readonly BenchSystem[],
  make: (s: BenchSystem) => KernelRun,
  work: number,
  options: KernelOptions,
): Promise<Record<string, Stats & { itersPerSample: number }>> {
  const runs = new Map<string, { run: KernelRun; iters: number }>();
  try {
    for (const s of systems) {
      await s.activate();
      const run = make(s);
      // Calibration runs the kernel a few times: it is also the warm-up.
      const iters = await calibrate(() => run.call(), options.sampleSeconds);
      runs.set(s.name, { run, iters });
    }
    const results = await alternate(
      systems.map((s) => ({
        name: s.name,
        run: async () => {
          await s.activate();
          const r = runs.get(s.name)!;
          return timePerCall(() => r.run.call(), r.iters);
        },
      })),
      { warmup: 0, repeats: options.repeats },
    );
    const out: Record<string, Stats & { itersPerSample: number }> = {};
    for (const s of systems) {
      const rates = results.get(s.name)!.map((sec) => work / sec);
      out[s.name] = { ...stats(rates), itersPerSample: runs.get(s.name)!.iters };
    }
    return out;
  } finally {
    for (const s of systems) {
      const r = runs.get(s.name);
      if (r) {
        await s.activate();
        r.run.dispose();
      }
    }
  }
}

export async function runMatmul(systems: readonly BenchSystem[], options: KernelOptions): Promise<KernelResult[]> {
  const out: KernelResult[] = [];
  for (const shape of MATMUL_SHAPES) {
    const flops = 2 * shape.m * shape.k * shape.n;
    const res = await measureKernel(
      systems,
      (s) => s.matmul(shape.m, shape.k, shape.n, shape.layout),
      flops / 1e9,
      options,
    );
    options.log(
      `matmul ${shape.id}: ${Object.entries(res)
        .map(([k, v]) => `${k} ${v.median.toFixed(2)}`)
        .join(", ")} GFLOP/s`,
    );
    out.push({ id: shape.id, note: shape.note, unit: "GFLOP/s", systems: res });
  }
  return out;
}
