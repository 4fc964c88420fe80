import { ArgumentError, type Tensor } from "@tapegrad/core";
import { describeValue } from "../describe_value.js";
import { binaryCrossentropy } from "./binary_crossentropy.js";
import { categoricalCrossentropy } from "./categorical_crossentropy.js";
import { hinge } from "./hinge.js";
import { kullbackLeiblerDivergence } from "./kullback_leibler_divergence.js";
import { meanAbsoluteError } from "./mean_absolute_error.js";
import { meanSquaredError } from "./mean_squared_error.js";
import { meanSquaredLogarithmicError } from "./mean_squared_logarithmic_error.js";
import { sparseCategoricalCrossentropy } from "./sparse_categorical_crossentropy.js";

/**
 * A loss: targets and predictions in, a scalar tensor out (differentiable in `yPred`).
 *
 * @example
 * ```ts
 * const huber: LossFn = (yTrue, yPred) => tidy(() => mean(minimum(square(sub(yPred, yTrue)), 1)));
 * ```
 */
export type LossFn = (yTrue: Tensor, yPred: Tensor) => Tensor;

// Keras's spellings, plus the camelCase function names for JavaScript users.
const LOSSES: ReadonlyMap<string, LossFn> = new Map<string, LossFn>([
  ["mse", meanSquaredError],
  ["mean_squared_error", meanSquaredError],
  ["meanSquaredError", meanSquaredError],
  ["mae", meanAbsoluteError],
  ["mean_absolute_error", meanAbsoluteError],
  ["meanAbsoluteError", meanAbsoluteError],
  ["msle", meanSquaredLogarithmicError],
  ["mean_squared_logarithmic_error", meanSquaredLogarithmicError],
  ["meanSquaredLogarithmicError", meanSquaredLogarithmicError],
  ["bce", binaryCrossentropy],
  ["binary_crossentropy", binaryCrossentropy],
  ["binaryCrossentropy", binaryCrossentropy],
  ["categorical_crossentropy", categoricalCrossentropy],
  ["categoricalCrossentropy", categoricalCrossentropy],
  ["sparse_categorical_crossentropy", sparseCategoricalCrossentropy],
  ["sparseCategoricalCrossentropy", sparseCategoricalCrossentropy],
  ["kld", kullbackLeiblerDivergence],
  ["kullback_leibler_divergence", kullbackLeiblerDivergence],
  ["kullbackLeiblerDivergence", kullbackLeiblerDivergence],
  ["hinge", hinge],
]);

/**
 * The names {@link getLoss} accepts (Keras's, case-insensitive for the short ones, and the
 * camelCase function names).
 *
 * @example
 * ```ts
 * lossNames().includes("binary_crossentropy"); // true
 * ```
 */
export function lossNames(): string[] {
  return [...LOSSES.keys()];
}

/**
 * Resolves a loss given by name (`"mse"`, `"MSE"`, `"binary_crossentropy"`, ...) or returns a
 * function unchanged; an unknown name is an error that lists the known ones.
 *
 * @example
 * ```ts
 * const loss = getLoss("mse");
 * loss(tensor([[1]]), tensor([[3]])).item(); // 4
 * ```
 */
export function getLoss(identifier: string | LossFn): LossFn {
  if (typeof identifier === "function") return identifier;
  if (typeof identifier !== "string") {
    throw new ArgumentError(`loss: expected a loss name or a function, got ${describeValue(identifier)}`);
  }
  const fn = LOSSES.get(identifier) ?? LOSSES.get(identifier.toLowerCase());
  if (fn === undefined) {
    throw new ArgumentError(`loss: unknown loss "${identifier}"; known: ${lossNames().join(", ")}`);
  }
  return fn;
}
