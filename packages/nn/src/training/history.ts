import type { Callback, Logs } from "./callbacks.js";

/**
 * The record of a `fit` run, as Keras's `History`: `epoch` lists the epochs run (from 0) and
 * `history` maps each log name (`loss`, metric names, `val_loss`, ...) to its value per epoch.
 * The train loss of an epoch is the sample-weighted mean of its batch losses, taken while the
 * weights changed; validation values are computed after the epoch.
 *
 * @example
 * ```ts
 * const history = await fit(model, x, y, { loss: "mse", optimizer: "adam", epochs: 5, validationData: [xv, yv] });
 * history.epoch; // [0, 1, 2, 3, 4]
 * history.history.loss; // five numbers
 * history.history.val_loss; // five numbers
 * ```
 */
export class History implements Callback {
  /** The epochs that ran, counted from 0. */
  epoch: number[] = [];
  /** Per log name, one value per epoch in {@link History.epoch}. */
  history: Record<string, number[]> = {};

  /** Starts a fresh record. */
  onTrainBegin(): void {
    this.epoch = [];
    this.history = {};
  }

  /** Appends the epoch and each of its logs. */
  onEpochEnd(epoch: number, logs: Logs): void {
    this.epoch.push(epoch);
    for (const [key, value] of Object.entries(logs)) (this.history[key] ??= []).push(value);
  }
}
