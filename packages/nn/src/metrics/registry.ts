import { ArgumentError, type Tensor } from "@tapegrad/core";
import { describeValue } from "../describe_value.js";
import { binaryCrossentropy } from "../losses/binary_crossentropy.js";
import { meanAbsoluteError } from "../losses/mean_absolute_error.js";
import { meanSquaredError } from "../losses/mean_squared_error.js";
import { getLoss, type LossFn, lossNames } from "../losses/registry.js";
import { sparseCategoricalCrossentropy } from "../losses/sparse_categorical_crossentropy.js";
import { binaryAccuracy } from "./binary_accuracy.js";
import { categoricalAccuracy } from "./categorical_accuracy.js";
import { sparseCategoricalAccuracy } from "./sparse_categorical_accuracy.js";

/**
 * A metric: targets and predictions in, a scalar tensor out. Any {@link LossFn} is a metric.
 *
 * @example
 * ```ts
 * const maxError: MetricFn = (yTrue, yPred) => tidy(() => max(abs(sub(yPred, yTrue))));
 * ```
 */
export type MetricFn = (yTrue: Tensor, yPred: Tensor) => Tensor;

/**
 * Mean squared error as a metric (the same function as the loss).
 *
 * @example
 * ```ts
 * mse(tensor([[1, 2]]), tensor([[1, 4]])).item(); // 2
 * ```
 */
export const mse: MetricFn = meanSquaredError;

/**
 * Mean absolute error as a metric (the same function as the loss).
 *
 * @example
 * ```ts
 * mae(tensor([[1, 2]]), tensor([[1, 4]])).item(); // 1
 * ```
 */
export const mae: MetricFn = meanAbsoluteError;

const METRICS: ReadonlyMap<string, MetricFn> = new Map<string, MetricFn>([
  ["binary_accuracy", binaryAccuracy],
  ["binaryAccuracy", binaryAccuracy],
  ["categorical_accuracy", categoricalAccuracy],
  ["categoricalAccuracy", categoricalAccuracy],
  ["sparse_categorical_accuracy", sparseCategoricalAccuracy],
  ["sparseCategoricalAccuracy", sparseCategoricalAccuracy],
]);

/**
 * A metric resolved for training: the name its values appear under in logs and History, and
 * the function.
 *
 * @example
 * ```ts
 * const m: NamedMetric = { name: "mae", fn: mae };
 * ```
 */
export interface NamedMetric {
  readonly name: string;
  readonly fn: MetricFn;
}

/**
 * Resolves a metric by name or function. Names: `"accuracy"`/`"acc"` (chosen as Keras does:
 * binary accuracy for a binary cross-entropy loss or a last axis of size 1, sparse for a sparse
 * categorical cross-entropy loss, categorical otherwise, from the loss and the prediction shape), the
 * accuracy names above, and every loss name (`"mse"`, `"mae"`, ...). A function keeps its own
 * name (`fn.name`) as the log key.
 *
 * @example
 * ```ts
 * getMetric("mae").name; // "mae"
 * getMetric("accuracy", "binary_crossentropy").fn === binaryAccuracy; // true
 * ```
 */
export function getMetric(identifier: string | MetricFn, loss?: string | LossFn): NamedMetric {
  if (typeof identifier === "function") return { name: identifier.name || "metric", fn: identifier };
  if (typeof identifier !== "string") {
    throw new ArgumentError(`metrics: expected a metric name or a function, got ${describeValue(identifier)}`);
  }
  if (identifier === "accuracy" || identifier === "acc") {
    const lossFn = loss === undefined ? undefined : getLoss(loss);
    const fn: MetricFn = (yTrue, yPred) => {
      if (lossFn === binaryCrossentropy || yPred.shape[yPred.rank - 1] === 1) return binaryAccuracy(yTrue, yPred);
      if (lossFn === sparseCategoricalCrossentropy) return sparseCategoricalAccuracy(yTrue, yPred);
      return categoricalAccuracy(yTrue, yPred);
    };
    return { name: identifier, fn };
  }
  const fn = METRICS.get(identifier);
  if (fn !== undefined) return { name: identifier, fn };
  try {
    return { name: identifier, fn: getLoss(identifier) };
  } catch {
    throw new ArgumentError(
      `metrics: unknown metric "${identifier}"; known: accuracy, acc, ${[...METRICS.keys(), ...lossNames()].join(", ")}`,
    );
  }
}
