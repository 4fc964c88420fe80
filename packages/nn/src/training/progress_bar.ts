import { ArgumentError } from "@tapegrad/core";
import type { Callback, Logs, TrainingContext } from "./callbacks.js";

/**
 * Options of {@link ProgressBar}. The defaults write to `process.stdout` when there is one
 * (Node) and to `console.log` otherwise (browsers, workers).
 *
 * @example
 * ```ts
 * const lines: string[] = [];
 * const opts: ProgressBarOptions = { verbose: 2, write: (s) => lines.push(s) };
 * ```
 */
export interface ProgressBarOptions {
  /** 1 (default): a live bar on a terminal, one line per epoch otherwise; 2: always one line per epoch. */
  verbose?: 1 | 2;
  /** Where text goes; it receives `\r` redraws only when `isTTY` is true. */
  write?: (text: string) => void;
  /** Whether `write` goes to a terminal that understands `\r` (default: `process.stdout.isTTY`). */
  isTTY?: boolean;
  /** Clock in milliseconds (default `performance.now`). */
  now?: () => number;
  /** Characters between the brackets (default 30). */
  width?: number;
  /** Least time between two redraws of the bar, in ms (default 100; redraws are not free). */
  interval?: number;
}

interface StdoutLike {
  write(text: string): unknown;
  isTTY?: boolean;
}

function stdout(): StdoutLike | undefined {
  // Guarded: there is no `process` in browsers, and bundlers may leave a partial one.
  const out = (globalThis as { process?: { stdout?: StdoutLike } }).process?.stdout;
  return typeof out?.write === "function" ? out : undefined;
}

/** Groups thousands: 12345.6 → "12,346". */
function formatCount(n: number): string {
  return Math.round(n)
    .toString()
    .replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}

/** Keras's style: 4 decimals, or scientific notation for tiny values. */
function formatValue(v: number): string {
  return v !== 0 && Math.abs(v) < 1e-3 ? v.toExponential(4) : v.toFixed(4);
}

function formatEta(seconds: number): string {
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  const pad = (n: number) => n.toString().padStart(2, "0");
  if (s < 3600) return `${Math.floor(s / 60)}:${pad(s % 60)}`;
  return `${Math.floor(s / 3600)}:${pad(Math.floor(s / 60) % 60)}:${pad(s % 60)}`;
}

function formatLogs(logs: Logs): string {
  return Object.entries(logs)
    .filter(([k]) => k !== "batch" && k !== "size")
    .map(([k, v]) => ` - ${k}: ${formatValue(v)}`)
    .join("");
}

/**
 * Keras-style training output, hand-written (no dependency) and browser-safe. On a terminal
 * (verbose 1) it prints `Epoch 3/20` and then redraws, with `\r`,
 * `[=====>........] 120/600 - samples/s: 2,345 - loss: 0.0412 - ETA: 12s` (the running epoch
 * means of the batch logs), finishing the line with the epoch's time, speed and logs. Elsewhere,
 * or with verbose 2, it prints one line per epoch:
 * `Epoch 3/20 - 6.1s - 9,840 samples/s - loss: 0.0412 - val_loss: 0.0398`.
 * `fit` adds one when `verbose` is 1 or 2; add your own (with `verbose: 0` in fit) to redirect
 * the output.
 *
 * @example
 * ```ts
 * const lines: string[] = [];
 * await fit(model, x, y, {
 *   loss: "mse", optimizer: "adam", epochs: 2, verbose: 0,
 *   callbacks: [new ProgressBar({ verbose: 2, write: (s) => lines.push(s) })],
 * });
 * lines[0]; // "Epoch 1/2 - 0.4s - 2,500 samples/s - loss: 0.0812\n"
 * ```
 */
export class ProgressBar implements Callback {
  readonly #write: (text: string) => void;
  readonly #live: boolean;
  readonly #now: () => number;
  readonly #width: number;
  readonly #interval: number;
  #epochs = 0;
  #steps = 0;
  #epochStart = 0;
  #lastBatchEnd = 0;
  #lastDraw = -Infinity;
  #seen = 0;
  #lastLength = 0;
  #sums: Record<string, number> = {};

  constructor(options: ProgressBarOptions = {}) {
    const verbose = options.verbose ?? 1;
    if (verbose !== 1 && verbose !== 2) throw new ArgumentError(`ProgressBar: verbose must be 1 or 2, got ${verbose}`);
    const out = stdout();
    if (options.write !== undefined) this.#write = options.write;
    else if (out !== undefined) this.#write = (s) => out.write(s);
    // console.log adds its own newline, and only whole lines are written without a terminal.
    else this.#write = (s) => console.log(s.replace(/\n$/, ""));
    const tty = options.isTTY ?? (options.write === undefined && out?.isTTY === true);
    this.#live = verbose === 1 && tty;
    this.#now = options.now ?? (() => performance.now());
    this.#width = options.width ?? 30;
    this.#interval = options.interval ?? 100;
  }

  /** Notes the number of epochs and steps. */
  onTrainBegin(_logs: Logs, ctx: TrainingContext): void {
    this.#epochs = ctx.epochs;
    this.#steps = ctx.steps;
  }

  /** Starts the epoch's clock (and, on a terminal, prints `Epoch i/n`). */
  onEpochBegin(epoch: number): void {
    this.#epochStart = this.#now();
    this.#lastBatchEnd = this.#epochStart;
    this.#lastDraw = -Infinity;
    this.#seen = 0;
    this.#lastLength = 0;
    this.#sums = {};
    if (this.#live) this.#write(`Epoch ${epoch + 1}/${this.#epochs}\n`);
  }

  /** Accumulates the running means and, on a terminal, redraws the bar (at most every `interval` ms). */
  onBatchEnd(batch: number, logs: Logs): void {
    const size = logs.size ?? 1;
    this.#seen += size;
    for (const [k, v] of Object.entries(logs)) {
      if (k !== "batch" && k !== "size") this.#sums[k] = (this.#sums[k] ?? 0) + v * size;
    }
    const now = this.#now();
    this.#lastBatchEnd = now;
    if (!this.#live) return;
    const done = batch + 1;
    if (now - this.#lastDraw < this.#interval && done < this.#steps) return;
    this.#lastDraw = now;
    const elapsed = (now - this.#epochStart) / 1000;
    const means: Logs = {};
    for (const [k, v] of Object.entries(this.#sums)) means[k] = v / this.#seen;
    const rate = elapsed > 0 ? ` - samples/s: ${formatCount(this.#seen / elapsed)}` : "";
    const eta = done < this.#steps ? ` - ETA: ${formatEta((elapsed / done) * (this.#steps - done))}` : "";
    this.#redraw(`${this.#bar(done)} ${done}/${this.#steps}${rate}${formatLogs(means)}${eta}`);
  }

  /**
   * Prints the epoch's time (validation included), training speed (validation excluded: it
   * runs after the last batch and would make a larger validation set look like slower
   * training) and logs.
   */
  onEpochEnd(epoch: number, logs: Logs): void {
    const elapsed = (this.#now() - this.#epochStart) / 1000;
    const training = (this.#lastBatchEnd - this.#epochStart) / 1000;
    const speed = training > 0 ? ` - ${formatCount(this.#seen / training)} samples/s` : "";
    const summary = ` - ${elapsed.toFixed(1)}s${speed}${formatLogs(logs)}`;
    if (this.#live) {
      this.#redraw(`${this.#bar(this.#steps)} ${this.#steps}/${this.#steps}${summary}`);
      this.#write("\n");
    } else {
      this.#write(`Epoch ${epoch + 1}/${this.#epochs}${summary}\n`);
    }
  }

  #bar(done: number): string {
    const filled = this.#steps > 0 ? Math.floor((this.#width * done) / this.#steps) : this.#width;
    const body = done >= this.#steps ? "=".repeat(this.#width) : `${"=".repeat(Math.max(0, filled - 1))}>`;
    return `[${body.padEnd(this.#width, ".")}]`;
  }

  #redraw(line: string): void {
    // Pad with spaces so a shorter line fully covers the previous one.
    this.#write(`\r${line.padEnd(this.#lastLength, " ")}`);
    this.#lastLength = line.length;
  }
}
