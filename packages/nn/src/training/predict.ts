import { noGrad } from "@tapegrad/autograd";
import { ArgumentError, clone, concat, type Tensor, tidy } from "@tapegrad/core";
import { describeValue } from "../describe_value.js";
import type { Module } from "../module.js";
import { checkBatchSize, checkData, takeRows } from "./batches.js";

/**
 * Options of {@link predict}.
 *
 * @example
 * ```ts
 * const opts: PredictOptions = { batchSize: 256 };
 * ```
 */
export interface PredictOptions {
  /** Samples per forward pass (default 32); only memory use depends on it. */
  batchSize?: number;
}

/**
 * Runs `model` on `x` in batches, in evaluation mode (Dropout off) with no gradient recording,
 * and returns the outputs concatenated along axis 0 — a new tensor the caller owns. The model's
 * training mode is restored afterwards.
 *
 * @example
 * ```ts
 * const reconstructions = predict(model, xTest, { batchSize: 100 });
 * reconstructions.dispose();
 * ```
 */
export function predict(model: Module, x: Tensor, options: PredictOptions = {}): Tensor {
  if (typeof options !== "object" || options === null) {
    throw new ArgumentError(`predict: options must be an object, got ${describeValue(options)}`);
  }
  for (const key of Object.keys(options)) {
    if (key !== "batchSize") throw new ArgumentError(`predict: unknown option "${key}"; known: batchSize`);
  }
  const n = checkData("predict", x, undefined);
  const batchSize = checkBatchSize("predict", options.batchSize ?? 32);
  const wasTraining = model.training;
  model.eval();
  try {
    return noGrad(() => {
      const outputs: Tensor[] = [];
      try {
        for (let start = 0; start < n; start += batchSize) {
          const size = Math.min(batchSize, n - start);
          outputs.push(tidy(() => model.call(takeRows(x, start, size, null))));
        }
        if (outputs.length > 1) return concat(outputs, 0);
        // A model that returns its input (an identity) must still hand back a tensor the caller owns.
        return outputs[0] === x ? clone(x) : (outputs[0] as Tensor);
      } finally {
        if (outputs.length > 1) for (const t of outputs) t.dispose();
      }
    });
  } finally {
    model.train(wasTraining);
  }
}
