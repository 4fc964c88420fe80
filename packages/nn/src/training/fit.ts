import { noGrad, valueAndGrads } from "@tapegrad/autograd";
import { ArgumentError, Rng, type Tensor, tidy } from "@tapegrad/core";
import { describeValue } from "../describe_value.js";
import { getLoss, type LossFn } from "../losses/registry.js";
import { getMetric, type MetricFn, type NamedMetric } from "../metrics/registry.js";
import type { Module } from "../module.js";
import { Optimizer } from "../optimizers/optimizer.js";
import { getOptimizer } from "../optimizers/registry.js";
import { checkBatchSize, checkData, permutation, takeRows } from "./batches.js";
import { type CallbackLike, CallbackList, type Logs, type TrainingContext } from "./callbacks.js";
import { evaluateResolved, readScalar } from "./evaluate.js";
import { History } from "./history.js";
import { nextTick } from "./next_tick.js";
import { ProgressBar } from "./progress_bar.js";

/**
 * Options of {@link fit} (Keras's `compile` and `fit` arguments together).
 *
 * @example
 * ```ts
 * const opts: FitOptions = {
 *   loss: "mse", optimizer: "adadelta", epochs: 20, batchSize: 100, validationData: [xTest, xTest],
 * };
 * ```
 */
export interface FitOptions {
  /** The loss, by name (`"mse"`, `"binary_crossentropy"`, ...) or as a function `(yTrue, yPred) => scalar`. */
  loss: string | LossFn;
  /**
   * An optimizer instance (its `params` are what is trained; its state carries over between
   * `fit` calls), or a name (`"adam"`, `"adadelta"`, `"sgd"`, ...) for a fresh one with Keras 2
   * defaults over `model.parameters()`, disposed when `fit` returns.
   */
  optimizer: Optimizer | string;
  /** Passes over the data (default 1). */
  epochs?: number;
  /** Samples per optimizer step (default 32); the last batch of an epoch may be smaller. */
  batchSize?: number;
  /** Reorder the samples at the start of every epoch (default true). */
  shuffle?: boolean;
  /** Seed of the shuffling stream (default: a random one). */
  seed?: number;
  /** `[x, y]` evaluated after every epoch; reported as `val_loss` and `val_<metric>`. */
  validationData?: readonly [Tensor, Tensor];
  /** Extra values to report, by name (`"mae"`, `"accuracy"`, ...) or function. */
  metrics?: readonly (string | MetricFn)[];
  /** Callback objects, or functions called at the end of every epoch. */
  callbacks?: readonly CallbackLike[];
  /** 0: silent; 1 (default): progress bar on a terminal, a line per epoch elsewhere; 2: a line per epoch. */
  verbose?: 0 | 1 | 2;
}

const KNOWN_OPTIONS = new Set([
  "loss",
  "optimizer",
  "epochs",
  "batchSize",
  "shuffle",
  "seed",
  "validationData",
  "metrics",
  "callbacks",
  "verbose",
]);

// Models inside a running fit: a second concurrent fit would interleave optimizer steps.
const training = new WeakSet<object>();

interface Plan {
  loss: LossFn;
  optimizer: Optimizer;
  ownsOptimizer: boolean;
  metrics: NamedMetric[];
  epochs: number;
  batchSize: number;
  shuffle: boolean;
  seed: number;
  validation: readonly [Tensor, Tensor] | undefined;
  callbacks: readonly CallbackLike[];
  verbose: 0 | 1 | 2;
}

function plan(model: Module, x: Tensor, y: Tensor, options: FitOptions): Plan {
  if (typeof options !== "object" || options === null) {
    throw new ArgumentError(
      `fit: options must be an object with at least { loss, optimizer }, got ${describeValue(options)}`,
    );
  }
  for (const key of Object.keys(options)) {
    if (!KNOWN_OPTIONS.has(key))
      throw new ArgumentError(`fit: unknown option "${key}"; known: ${[...KNOWN_OPTIONS].join(", ")}`);
  }
  if (typeof model !== "object" || model === null || typeof model.call !== "function") {
    throw new ArgumentError(`fit: model must be a Module, got ${describeValue(model)}`);
  }
  checkData("fit", x, y);
  if (options.loss === undefined)
    throw new ArgumentError('fit: options.loss is required (a name such as "mse", or a function)');
  if (options.optimizer === undefined) {
    throw new ArgumentError('fit: options.optimizer is required (an Optimizer, or a name such as "adam")');
  }
  const loss = getLoss(options.loss);
  const metrics = (options.metrics ?? []).map((m) => getMetric(m, options.loss));
  const names = new Set(["loss"]);
  for (const m of metrics) {
    if (names.has(m.name)) throw new ArgumentError(`fit: two values would be logged as "${m.name}"`);
    names.add(m.name);
  }
  const epochs = options.epochs ?? 1;
  if (typeof epochs !== "number" || !Number.isInteger(epochs) || epochs < 1) {
    throw new ArgumentError(`fit: epochs must be a positive integer, got ${describeValue(epochs)}`);
  }
  const batchSize = checkBatchSize("fit", options.batchSize ?? 32);
  const shuffle = options.shuffle ?? true;
  if (typeof shuffle !== "boolean")
    throw new ArgumentError(`fit: shuffle must be a boolean, got ${describeValue(shuffle)}`);
  const seed = options.seed ?? Math.floor(Math.random() * 2 ** 32);
  if (typeof seed !== "number" || !Number.isFinite(seed)) {
    throw new ArgumentError(`fit: seed must be a finite number, got ${describeValue(seed)}`);
  }
  const validation = options.validationData;
  if (validation !== undefined) {
    if (!Array.isArray(validation) || validation.length !== 2) {
      throw new ArgumentError(`fit: validationData must be a pair [x, y], got ${describeValue(validation)}`);
    }
    checkData("fit", validation[0], validation[1], "validationData");
  }
  const callbacks = options.callbacks ?? [];
  if (!Array.isArray(callbacks))
    throw new ArgumentError(`fit: callbacks must be an array, got ${describeValue(callbacks)}`);
  callbacks.forEach((c, i) => {
    if (typeof c !== "function" && (typeof c !== "object" || c === null)) {
      throw new ArgumentError(`fit: callbacks[${i}] must be a Callback object or a function, got ${describeValue(c)}`);
    }
  });
  const verbose = options.verbose ?? 1;
  if (verbose !== 0 && verbose !== 1 && verbose !== 2) {
    throw new ArgumentError(`fit: verbose must be 0, 1 or 2, got ${describeValue(verbose)}`);
  }
  let optimizer: Optimizer;
  const ownsOptimizer = typeof options.optimizer === "string";
  if (typeof options.optimizer === "string") optimizer = getOptimizer(options.optimizer, model.parameters());
  else if (options.optimizer instanceof Optimizer) optimizer = options.optimizer;
  else {
    throw new ArgumentError(
      `fit: optimizer must be an Optimizer or a name such as "adam", got ${describeValue(options.optimizer)}`,
    );
  }
  if (optimizer.params.length === 0) {
    if (ownsOptimizer) optimizer.dispose();
    throw new ArgumentError("fit: there are no trainable parameters to optimize");
  }
  return {
    loss,
    optimizer,
    ownsOptimizer,
    metrics,
    epochs,
    batchSize,
    shuffle,
    seed,
    validation,
    callbacks,
    verbose,
  };
}

/**
 * One optimizer step on a batch; returns the batch's loss and metric values (metrics computed
 * on the same forward pass, before the update, without gradient recording). Everything but the
 * parameters and optimizer state is freed by the enclosing `tidy`.
 */
function trainStep(
  model: Module,
  p: Plan,
  x: Tensor,
  y: Tensor,
  start: number,
  size: number,
  order: Int32Array | null,
): number[] {
  return tidy(() => {
    const xb = takeRows(x, start, size, order);
    // Autoencoders pass the same tensor as input and target: gather it once.
    const yb = y === x ? xb : takeRows(y, start, size, order);
    const values: number[] = [0];
    const { value, grads } = valueAndGrads(() => {
      const pred = model.call(xb);
      // Read inside f: valueAndGrads frees everything f made except its result.
      if (p.metrics.length > 0) {
        noGrad(() =>
          tidy(() => {
            for (const m of p.metrics) values.push(readScalar(m.fn(yb, pred)));
          }),
        );
      }
      return p.loss(yb, pred);
    }, p.optimizer.params);
    p.optimizer.step(grads);
    values[0] = readScalar(value);
    return values;
  });
}

/**
 * Trains `model` on `x`, `y` with Keras 2 semantics and resolves to the {@link History}.
 *
 * Each epoch visits every sample once in batches of `batchSize`, reordered by a fresh
 * permutation when `shuffle` is on (Fisher–Yates over core's `Rng(seed)`: for i from n−1 down
 * to 1, swap i and `rng.nextInt(i + 1)`, starting from the identity every epoch; batches are
 * gathered on axis 0). Each batch is one step:
 * `valueAndGrads(() => loss(y, model.call(x)), optimizer.params)` then `optimizer.step(grads)`,
 * inside `tidy`, so no intermediate survives — the live-tensor count after an epoch equals the
 * count before it. The epoch's `loss` (and metrics) is the sample-weighted mean of the batch
 * values, measured while the weights change (Keras's printed train loss); `val_loss` and
 * `val_<metric>` come from {@link evaluate} on `validationData` after the epoch, in evaluation
 * mode. The loss value is read back once per batch (one synchronous read, cheap on the CPU
 * backend; on WebGL it is the one sync point per step).
 *
 * Between batches `fit` yields to the event loop, so a page stays responsive and callbacks may
 * be async. A second `fit` on the same model while one runs is refused. Callbacks run in the
 * order given, then the History, then the progress bar (`verbose` 1 or 2); any callback can
 * stop training with `ctx.stopTraining = true` (see {@link TrainingContext}). The model is in
 * training mode during `fit` and gets its previous mode back afterwards.
 *
 * @example
 * ```ts
 * const history = await fit(model, xTrain, xTrain, {
 *   loss: "mse",
 *   optimizer: "adadelta",
 *   epochs: 20,
 *   batchSize: 100,
 *   validationData: [xTest, xTest],
 *   callbacks: [new EarlyStopping({ patience: 3 })],
 * });
 * history.history.loss.at(-1); // final train loss
 * ```
 */
export async function fit(model: Module, x: Tensor, y: Tensor, options: FitOptions): Promise<History> {
  if (typeof model === "object" && model !== null && training.has(model)) {
    throw new ArgumentError(
      "fit: this model is already being trained by another fit call; await it before starting another",
    );
  }
  const p = plan(model, x, y, options);
  training.add(model);
  const wasTraining = model.training;
  try {
    const n = x.shape[0] as number;
    const steps = Math.ceil(n / p.batchSize);
    const history = new History();
    const list = new CallbackList([
      ...p.callbacks,
      history,
      ...(p.verbose === 0 ? [] : [new ProgressBar({ verbose: p.verbose })]),
    ]);
    const wantsBatchBegin = list.has("onBatchBegin");
    const ctx: TrainingContext = {
      model,
      epochs: p.epochs,
      batchSize: p.batchSize,
      samples: n,
      steps,
      stopTraining: false,
    };
    const rng = new Rng(p.seed);
    model.train();
    await list.call("onTrainBegin", {}, ctx);
    let logs: Logs = {};
    for (let epoch = 0; epoch < p.epochs; epoch++) {
      await list.call("onEpochBegin", epoch, {}, ctx);
      const order = p.shuffle ? permutation(n, rng) : null;
      const totals = new Float64Array(p.metrics.length + 1);
      let seen = 0;
      for (let batch = 0; batch < steps; batch++) {
        const start = batch * p.batchSize;
        const size = Math.min(p.batchSize, n - start);
        if (wantsBatchBegin) await list.call("onBatchBegin", batch, { batch, size }, ctx);
        // A callback may have switched the mode (e.g. by evaluating); each step trains.
        if (!model.training) model.train();
        const values = trainStep(model, p, x, y, start, size, order);
        seen += size;
        const batchLogs: Logs = { batch, size, loss: values[0] as number };
        values.forEach((v, i) => {
          totals[i] = (totals[i] as number) + v * size;
          if (i > 0) batchLogs[(p.metrics[i - 1] as NamedMetric).name] = v;
        });
        await list.call("onBatchEnd", batch, batchLogs, ctx);
        if (ctx.stopTraining) break;
        await nextTick();
      }
      logs = { loss: (totals[0] as number) / seen };
      p.metrics.forEach((m, i) => {
        logs[m.name] = (totals[i + 1] as number) / seen;
      });
      if (p.validation !== undefined) {
        const [xv, yv] = p.validation;
        const val = evaluateResolved(model, xv, yv, p.loss, p.metrics, p.batchSize);
        for (const [k, v] of Object.entries(val)) logs[`val_${k}`] = v;
      }
      await list.call("onEpochEnd", epoch, logs, ctx);
      if (ctx.stopTraining) break;
    }
    await list.call("onTrainEnd", logs, ctx);
    return history;
  } finally {
    training.delete(model);
    model.train(wasTraining);
    if (p.ownsOptimizer) p.optimizer.dispose();
  }
}
