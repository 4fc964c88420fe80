import { ArgumentError, type Variable } from "@tapegrad/core";
import { describeValue } from "../describe_value.js";
import { Adadelta } from "./adadelta.js";
import { Adagrad } from "./adagrad.js";
import { Adam } from "./adam.js";
import { AdamW } from "./adamw.js";
import type { Optimizer } from "./optimizer.js";
import { RMSprop } from "./rmsprop.js";
import { SGD } from "./sgd.js";

const OPTIMIZERS: ReadonlyMap<string, (params: readonly Variable[]) => Optimizer> = new Map<
  string,
  (params: readonly Variable[]) => Optimizer
>([
  ["sgd", (p: readonly Variable[]) => new SGD(p)],
  ["adam", (p: readonly Variable[]) => new Adam(p)],
  ["adamw", (p: readonly Variable[]) => new AdamW(p)],
  ["adadelta", (p: readonly Variable[]) => new Adadelta(p)],
  ["rmsprop", (p: readonly Variable[]) => new RMSprop(p)],
  ["adagrad", (p: readonly Variable[]) => new Adagrad(p)],
]);

/**
 * Creates an optimizer by (case-insensitive) name with its default hyperparameters — Keras 2's
 * for `"sgd"` (lr 0.01), `"adam"`, `"adadelta"` (lr 1.0), `"rmsprop"`, `"adagrad"`, PyTorch's for
 * `"adamw"` — over `params`. An unknown name is an error that lists the known ones.
 *
 * @example
 * ```ts
 * const opt = getOptimizer("adadelta", model.parameters());
 * opt.learningRate; // 1
 * ```
 */
export function getOptimizer(name: string, params: readonly Variable[]): Optimizer {
  const make = typeof name === "string" ? OPTIMIZERS.get(name.toLowerCase()) : undefined;
  if (make === undefined) {
    throw new ArgumentError(
      `optimizer: unknown optimizer ${describeValue(name)}; known: ${[...OPTIMIZERS.keys()].join(", ")}, or pass an Optimizer instance`,
    );
  }
  return make(params);
}
