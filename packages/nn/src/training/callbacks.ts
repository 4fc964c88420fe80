import type { Module } from "../module.js";

/**
 * Named numbers reported to callbacks: `loss`, metric names, `val_`-prefixed validation values
 * at epoch end; `batch` and `size` (samples in the batch) at batch end.
 *
 * @example
 * ```ts
 * const logs: Logs = { loss: 0.0412, val_loss: 0.0398 };
 * ```
 */
export type Logs = Record<string, number>;

/**
 * What a running `fit` shares with its callbacks (the last argument of every hook). Setting
 * `stopTraining = true` ends training after the current batch (from a batch hook) or epoch:
 * the epoch still finishes its validation and `onEpochEnd`, then `onTrainEnd` runs — Keras's
 * `model.stop_training`.
 *
 * @example
 * ```ts
 * const stopAtLoss: Callback = {
 *   onEpochEnd(epoch, logs, ctx) {
 *     if (logs.loss! < 0.01) ctx.stopTraining = true;
 *   },
 * };
 * ```
 */
export interface TrainingContext {
  /** The model being trained. */
  readonly model: Module;
  /** Total epochs requested. */
  readonly epochs: number;
  /** Samples per batch (the last batch of an epoch may be smaller). */
  readonly batchSize: number;
  /** Training samples per epoch. */
  readonly samples: number;
  /** Batches (optimizer steps) per epoch. */
  readonly steps: number;
  /** Set to true to stop training. */
  stopTraining: boolean;
}

/**
 * Hooks `fit` calls, in this order: `onTrainBegin`, then per epoch `onEpochBegin`, per batch
 * `onBatchBegin`/`onBatchEnd`, then (after validation) `onEpochEnd`, and finally `onTrainEnd`.
 * Epochs and batches count from 0. A hook may return a Promise; `fit` awaits it (e.g. to
 * redraw a chart in a browser). Every hook is optional.
 *
 * @example
 * ```ts
 * const logger: Callback = {
 *   onEpochEnd: (epoch, logs) => console.log(`epoch ${epoch + 1}: loss ${logs.loss}`),
 * };
 * await fit(model, x, y, { loss: "mse", optimizer: "adam", callbacks: [logger] });
 * ```
 */
export interface Callback {
  /** Before the first epoch (logs are empty). */
  onTrainBegin?(logs: Logs, ctx: TrainingContext): void | Promise<void>;
  /** After the last epoch, with the last epoch's logs. */
  onTrainEnd?(logs: Logs, ctx: TrainingContext): void | Promise<void>;
  /** Before an epoch's first batch (logs are empty). */
  onEpochBegin?(epoch: number, logs: Logs, ctx: TrainingContext): void | Promise<void>;
  /** After an epoch and its validation: `loss`, metrics, `val_*`. */
  onEpochEnd?(epoch: number, logs: Logs, ctx: TrainingContext): void | Promise<void>;
  /** Before a batch's step: `batch` and `size`. */
  onBatchBegin?(batch: number, logs: Logs, ctx: TrainingContext): void | Promise<void>;
  /** After a batch's step: `batch`, `size`, the batch's `loss` and metrics. */
  onBatchEnd?(batch: number, logs: Logs, ctx: TrainingContext): void | Promise<void>;
}

/**
 * A plain function in `callbacks` is an epoch-end hook.
 *
 * @example
 * ```ts
 * const onEpoch: EpochEndFn = (epoch, logs) => console.log(epoch, logs.val_loss);
 * ```
 */
export type EpochEndFn = (epoch: number, logs: Logs, ctx: TrainingContext) => void | Promise<void>;

/**
 * What `fit`'s `callbacks` option holds.
 *
 * @example
 * ```ts
 * const cbs: CallbackLike[] = [new EarlyStopping({ patience: 3 }), (epoch, logs) => console.log(logs)];
 * ```
 */
export type CallbackLike = Callback | EpochEndFn;

type HookName = keyof Callback;

/** @internal Dispatches hooks to a list of callbacks in order, awaiting only those that return promises. */
export class CallbackList {
  readonly #callbacks: readonly Callback[];

  constructor(callbacks: readonly CallbackLike[]) {
    this.#callbacks = callbacks.map((c) => (typeof c === "function" ? { onEpochEnd: c } : c));
  }

  async call(hook: HookName, ...args: [number, Logs, TrainingContext] | [Logs, TrainingContext]): Promise<void> {
    for (const cb of this.#callbacks) {
      const fn = cb[hook] as ((...a: unknown[]) => unknown) | undefined;
      if (fn === undefined) continue;
      const result = fn.apply(cb, args);
      if (result !== undefined && typeof (result as Promise<void>).then === "function") await result;
    }
  }

  /** Whether any callback has this hook (so `fit` skips building logs nobody reads). */
  has(hook: HookName): boolean {
    return this.#callbacks.some((cb) => cb[hook] !== undefined);
  }
}
