import { ArgumentError, type Tensor, type Variable, variable } from "@tapegrad/core";
import { describeValue } from "../describe_value.js";
import type { Callback, Logs, TrainingContext } from "./callbacks.js";

/**
 * Options of {@link EarlyStopping} (Keras's names and defaults).
 *
 * @example
 * ```ts
 * const opts: EarlyStoppingOptions = { monitor: "val_loss", patience: 3, restoreBestWeights: true };
 * ```
 */
export interface EarlyStoppingOptions {
  /** The log to watch (default `"val_loss"`). */
  monitor?: string;
  /** Smallest change that counts as an improvement (default 0). */
  minDelta?: number;
  /** Epochs without improvement before stopping (default 0: stop at the first). */
  patience?: number;
  /** Whether lower or higher is better; `"auto"` (default) means higher for names containing "acc". */
  mode?: "auto" | "min" | "max";
  /** Stop unless the monitored value improves on this (default: none). */
  baseline?: number;
  /** When stopping, put back the weights of the best epoch (default false). */
  restoreBestWeights?: boolean;
}

/**
 * Stops training when a monitored log has not improved for `patience` epochs, as Keras 2.3's
 * `EarlyStopping`: an epoch improves when its value beats the best so far by more than
 * `minDelta`. With `restoreBestWeights`, the weights of the best epoch are put back when it
 * stops (as in Keras 2.3, not when training ends without stopping). The snapshot costs no copy:
 * it holds references to the (immutable) parameter buffers of the best epoch, allocated when
 * training begins and freed when it ends, so the live-tensor count stays flat across epochs.
 * A missing monitored log is an error (Keras only warns) because it is almost always a typo or
 * missing `validationData`.
 *
 * @example
 * ```ts
 * const stop = new EarlyStopping({ monitor: "val_loss", patience: 2, restoreBestWeights: true });
 * await fit(model, x, y, { loss: "mse", optimizer: "adam", epochs: 100, validationData: [xv, yv], callbacks: [stop] });
 * stop.stoppedEpoch; // the epoch it stopped at, or -1
 * ```
 */
export class EarlyStopping implements Callback {
  /** The watched log name. */
  readonly monitor: string;
  /** Required improvement. */
  readonly minDelta: number;
  /** Epochs to wait. */
  readonly patience: number;
  /** Whether higher values are better. */
  readonly higherIsBetter: boolean;
  /** The optional baseline. */
  readonly baseline: number | undefined;
  /** Whether the best weights are restored on stopping. */
  readonly restoreBestWeights: boolean;
  /** The best value seen in this run. */
  best = Infinity;
  /** The epoch with the best value (-1 before the first). */
  bestEpoch = -1;
  /** The epoch at which training was stopped, or -1. */
  stoppedEpoch = -1;
  #wait = 0;
  #snapshot: Record<string, Variable> | null = null;

  constructor(options: EarlyStoppingOptions = {}) {
    const known = new Set(["monitor", "minDelta", "patience", "mode", "baseline", "restoreBestWeights"]);
    for (const key of Object.keys(options)) {
      if (!known.has(key))
        throw new ArgumentError(`EarlyStopping: unknown option "${key}"; known: ${[...known].join(", ")}`);
    }
    this.monitor = options.monitor ?? "val_loss";
    const minDelta = options.minDelta ?? 0;
    if (!Number.isFinite(minDelta))
      throw new ArgumentError(`EarlyStopping: minDelta must be a finite number, got ${describeValue(minDelta)}`);
    this.minDelta = Math.abs(minDelta);
    const patience = options.patience ?? 0;
    if (!Number.isInteger(patience) || patience < 0) {
      throw new ArgumentError(`EarlyStopping: patience must be a non-negative integer, got ${describeValue(patience)}`);
    }
    this.patience = patience;
    const mode = options.mode ?? "auto";
    if (mode !== "auto" && mode !== "min" && mode !== "max") {
      throw new ArgumentError(`EarlyStopping: mode must be "auto", "min" or "max", got ${describeValue(mode)}`);
    }
    this.higherIsBetter = mode === "max" || (mode === "auto" && this.monitor.includes("acc"));
    this.baseline = options.baseline;
    this.restoreBestWeights = options.restoreBestWeights ?? false;
  }

  /** Resets the counters and, with `restoreBestWeights`, allocates the snapshot. */
  onTrainBegin(_logs: Logs, ctx: TrainingContext): void {
    this.#wait = 0;
    this.stoppedEpoch = -1;
    this.bestEpoch = -1;
    this.best = this.baseline ?? (this.higherIsBetter ? -Infinity : Infinity);
    if (this.restoreBestWeights) {
      this.#snapshot = {};
      for (const [name, t] of Object.entries(ctx.model.stateDict())) {
        this.#snapshot[name] = variable(t, { name: `best/${name}`, trainable: false });
      }
    }
  }

  /** Compares the monitored value with the best so far; stops (and restores) when patience runs out. */
  onEpochEnd(epoch: number, logs: Logs, ctx: TrainingContext): void {
    const current = logs[this.monitor];
    if (current === undefined) {
      throw new ArgumentError(
        `EarlyStopping: monitored log "${this.monitor}" is not among the logs (${Object.keys(logs).join(", ")}); did you pass validationData?`,
      );
    }
    const improved = this.higherIsBetter ? current - this.minDelta > this.best : current + this.minDelta < this.best;
    if (improved) {
      this.best = current;
      this.bestEpoch = epoch;
      this.#wait = 0;
      if (this.#snapshot !== null) {
        const state = ctx.model.stateDict();
        for (const [name, v] of Object.entries(this.#snapshot)) v.assign(state[name] as Tensor);
      }
      return;
    }
    this.#wait++;
    if (this.#wait >= this.patience) {
      this.stoppedEpoch = epoch;
      ctx.stopTraining = true;
      // Nothing to restore if no epoch ever improved (a baseline that was never beaten).
      if (this.#snapshot !== null && this.bestEpoch >= 0) ctx.model.loadStateDict(this.#snapshot);
    }
  }

  /** Frees the snapshot. */
  onTrainEnd(): void {
    if (this.#snapshot !== null) for (const v of Object.values(this.#snapshot)) v.dispose();
    this.#snapshot = null;
  }
}
