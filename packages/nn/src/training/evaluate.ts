import { noGrad } from "@tapegrad/autograd";
import { ArgumentError, type Tensor, tidy } from "@tapegrad/core";
import { describeValue } from "../describe_value.js";
import { getLoss, type LossFn } from "../losses/registry.js";
import { getMetric, type MetricFn, type NamedMetric } from "../metrics/registry.js";
import type { Module } from "../module.js";
import { checkBatchSize, checkData, takeRows } from "./batches.js";
import type { Logs } from "./callbacks.js";

/**
 * Options of {@link evaluate}.
 *
 * @example
 * ```ts
 * const opts: EvaluateOptions = { loss: "mse", metrics: ["mae"], batchSize: 100 };
 * ```
 */
export interface EvaluateOptions {
  /** The loss, by name (`"mse"`, `"binary_crossentropy"`, ...) or as a function. */
  loss: string | LossFn;
  /** Extra values to report, by name or function (see `getMetric`). */
  metrics?: readonly (string | MetricFn)[];
  /** Samples per forward pass (default 32); only memory use depends on it. */
  batchSize?: number;
}

/**
 * @internal The evaluation loop shared with `fit`'s validation: eval mode, no gradients, each
 * batch in its own `tidy`, values read once per batch and averaged weighted by batch size.
 */
export function evaluateResolved(
  model: Module,
  x: Tensor,
  y: Tensor,
  loss: LossFn,
  metrics: readonly NamedMetric[],
  batchSize: number,
): Logs {
  const n = x.shape[0] as number;
  const totals = new Float64Array(metrics.length + 1);
  const wasTraining = model.training;
  model.eval();
  try {
    noGrad(() => {
      for (let start = 0; start < n; start += batchSize) {
        const size = Math.min(batchSize, n - start);
        tidy(() => {
          const xb = takeRows(x, start, size, null);
          const pred = model.call(xb);
          const yb = y === x ? xb : takeRows(y, start, size, null);
          totals[0] = (totals[0] as number) + readScalar(loss(yb, pred)) * size;
          metrics.forEach((m, i) => {
            totals[i + 1] = (totals[i + 1] as number) + readScalar(m.fn(yb, pred)) * size;
          });
        });
      }
    });
  } finally {
    model.train(wasTraining);
  }
  const logs: Logs = { loss: (totals[0] as number) / n };
  metrics.forEach((m, i) => {
    logs[m.name] = (totals[i + 1] as number) / n;
  });
  return logs;
}

/** @internal The value of a scalar (or one-element) tensor, read synchronously. */
export function readScalar(t: Tensor): number {
  if (t.size !== 1) throw new ArgumentError(`expected a loss or metric to return a scalar, got ${t.describe()}`);
  return t.dataSync()[0] as number;
}

/**
 * The loss (and metrics) of `model` on `x`, `y`, computed in batches in evaluation mode with no
 * gradient recording; the result is the mean over samples (batch values weighted by batch
 * size, as Keras). The model's training mode is restored afterwards. Every tensor it makes is
 * freed.
 *
 * @example
 * ```ts
 * const { loss, mae } = evaluate(model, xTest, yTest, { loss: "mse", metrics: ["mae"], batchSize: 100 });
 * ```
 */
export function evaluate(model: Module, x: Tensor, y: Tensor, options: EvaluateOptions): Logs {
  if (typeof options !== "object" || options === null) {
    throw new ArgumentError(
      `evaluate: options must be an object with at least { loss }, got ${describeValue(options)}`,
    );
  }
  const known = new Set(["loss", "metrics", "batchSize"]);
  for (const key of Object.keys(options)) {
    if (!known.has(key)) throw new ArgumentError(`evaluate: unknown option "${key}"; known: ${[...known].join(", ")}`);
  }
  checkData("evaluate", x, y);
  if (options.loss === undefined) throw new ArgumentError("evaluate: options.loss is required");
  const loss = getLoss(options.loss);
  const metrics = (options.metrics ?? []).map((m) => getMetric(m, options.loss));
  return evaluateResolved(model, x, y, loss, metrics, checkBatchSize("evaluate", options.batchSize ?? 32));
}
