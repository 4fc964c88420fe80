// Timing. Systems are measured in the same process, one after another, in an order that rotates
// every repeat: on a shared 2-core machine the load changes over minutes, and interleaving
// spreads that drift over every system instead of charging it to whichever ran last.

/** Median, extremes and the raw samples of one measured quantity. */
export interface Stats {
  median: number;
  min: number;
  max: number;
  samples: number[];
}

export function stats(samples: readonly number[]): Stats {
  const sorted = [...samples].sort((a, b) => a - b);
  const n = sorted.length;
  const median = n === 0 ? Number.NaN : n % 2 === 1 ? sorted[(n - 1) / 2]! : (sorted[n / 2 - 1]! + sorted[n / 2]!) / 2;
  return { median, min: sorted[0] ?? Number.NaN, max: sorted[n - 1] ?? Number.NaN, samples: [...samples] };
}

/** Seconds since an arbitrary origin, from the monotonic high-resolution clock. */
export function now(): number {
  return Number(process.hrtime.bigint()) / 1e9;
}

/** One contestant of an alternating measurement. */
export interface Contestant<R> {
  name: string;
  /** Runs once (warm-up or measurement) and returns what was measured. */
  run(): Promise<R>;
}

export interface AlternateOptions {
  warmup: number;
  repeats: number;
  /** Called after every measured run (progress output). */
  onSample?: (name: string, repeat: number, result: unknown) => void;
}

/**
 * Warms every contestant up (`warmup` runs each, discarded), then runs `repeats` rounds; in
 * round r the order starts at contestant r mod n. Returns each contestant's results in round order.
 */
export async function alternate<R>(
  contestants: readonly Contestant<R>[],
  options: AlternateOptions,
): Promise<Map<string, R[]>> {
  const out = new Map<string, R[]>(contestants.map((c) => [c.name, []]));
  for (const c of contestants) for (let i = 0; i < options.warmup; i++) await c.run();
  for (let r = 0; r < options.repeats; r++) {
    for (let j = 0; j < contestants.length; j++) {
      const c = contestants[(r + j) % contestants.length]!;
      const result = await c.run();
      out.get(c.name)!.push(result);
      options.onSample?.(c.name, r, result);
    }
  }
  return out;
}

/**
 * Picks how many calls of `fn` make one sample of about `targetSeconds`, so fast kernels are not
 * dominated by timer resolution and slow ones (tfjs-cpu's 1024³ takes seconds) run once.
 * The probe call doubles as a first warm-up.
 */
export async function calibrate(
  fn: () => void | Promise<void>,
  targetSeconds: number,
  maxIters = 10_000,
): Promise<number> {
  let iters = 1;
  for (;;) {
    const t0 = now();
    for (let i = 0; i < iters; i++) await fn();
    const dt = now() - t0;
    if (dt >= targetSeconds / 4 || iters >= maxIters) {
      return Math.max(1, Math.min(maxIters, Math.round((iters * targetSeconds) / Math.max(dt, 1e-9))));
    }
    iters *= 4;
  }
}

/** Seconds per call of `fn`, averaged over `iters` calls. */
export async function timePerCall(fn: () => void | Promise<void>, iters: number): Promise<number> {
  const t0 = now();
  for (let i = 0; i < iters; i++) await fn();
  return (now() - t0) / iters;
}
