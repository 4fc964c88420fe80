import type { ReduceOp } from "../backend.js";
import { assertDType, NUMERIC_DTYPES } from "../dtype.js";
import { prepareInputs, runOp } from "../engine.js";
import { ArgumentError } from "../errors.js";
import { normalizeAxes, normalizeAxis } from "../shape.js";
import type { Tensor } from "../tensor.js";
import { cast } from "./cast.js";
import { reshape } from "./reshape.js";

/** @internal The shape a reduction over `axes` leaves, with or without the reduced axes kept as 1. */
export function reducedShape(shape: readonly number[], axes: readonly number[], keepDims: boolean): number[] {
  return keepDims ? shape.map((d, i) => (axes.includes(i) ? 1 : d)) : shape.filter((_, i) => !axes.includes(i));
}

function reduce(op: ReduceOp, x: Tensor, axis: number | readonly number[] | undefined, keepDims: boolean): Tensor {
  prepareInputs(op, [x]);
  const axes = normalizeAxes(op, axis, x.rank);
  if (op !== "sum") {
    assertDType(op, x.dtype, NUMERIC_DTYPES);
    for (const a of axes) {
      if (x.shape[a] === 0) throw new ArgumentError(`${op}: cannot reduce over axis ${a} of size 0 in ${x.describe()}`);
    }
  }
  const input = x.dtype === "bool" ? cast(x, "int32") : x;
  try {
    if (axes.length === 0) return reshape(input, reducedShape(input.shape, axes, keepDims));
    const shape = reducedShape(input.shape, axes, false);
    const out = runOp(op, [input], { axes }, (b) => b.reduce(op, input, axes), shape, input.dtype);
    if (!keepDims) return out;
    const kept = reshape(out, reducedShape(input.shape, axes, true));
    out.dispose();
    return kept;
  } finally {
    if (input !== x) input.dispose();
  }
}

/**
 * Sum over `axis` (a number, a list, or all axes when omitted); bool sums count trues.
 *
 * @example
 * ```ts
 * sum(tensor([[1, 2], [3, 4]]), 1); // [3, 7]
 * sum(tensor([[1, 2], [3, 4]]), 0, true); // [[4, 6]]
 * ```
 */
export function sum(x: Tensor, axis?: number | readonly number[], keepDims = false): Tensor {
  return reduce("sum", x, axis, keepDims);
}

/**
 * Maximum over `axis` (all axes when omitted).
 *
 * @example
 * ```ts
 * max(tensor([[1, 5], [3, 4]]), 1); // [5, 4]
 * ```
 */
export function max(x: Tensor, axis?: number | readonly number[], keepDims = false): Tensor {
  return reduce("max", x, axis, keepDims);
}

/**
 * Minimum over `axis` (all axes when omitted).
 *
 * @example
 * ```ts
 * min(tensor([[1, 5], [3, 4]]), 1); // [1, 3]
 * ```
 */
export function min(x: Tensor, axis?: number | readonly number[], keepDims = false): Tensor {
  return reduce("min", x, axis, keepDims);
}

function argReduce(op: "argmax" | "argmin", x: Tensor, axis: number): Tensor {
  assertDType(op, x.dtype, NUMERIC_DTYPES);
  const a = normalizeAxis(op, axis, x.rank);
  if (x.shape[a] === 0) throw new ArgumentError(`${op}: axis ${a} of ${x.describe()} is empty`);
  const shape = reducedShape(x.shape, [a], false);
  return runOp(op, [x], { axis: a }, (b) => b.argReduce(op, x, a), shape, "int32");
}

/**
 * Index (int32) of the first maximum along `axis` (default: last).
 *
 * @example
 * ```ts
 * argmax(tensor([[1, 5], [7, 4]])); // [1, 0]
 * ```
 */
export function argmax(x: Tensor, axis = -1): Tensor {
  return argReduce("argmax", x, axis);
}

/**
 * Index (int32) of the first minimum along `axis` (default: last).
 *
 * @example
 * ```ts
 * argmin(tensor([[1, 5], [7, 4]])); // [0, 1]
 * ```
 */
export function argmin(x: Tensor, axis = -1): Tensor {
  return argReduce("argmin", x, axis);
}
