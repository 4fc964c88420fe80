import { assertDType, FLOAT_DTYPES, NUMERIC_DTYPES } from "../dtype.js";
import { prepareInputs } from "../engine.js";
import { ArgumentError } from "../errors.js";
import { normalizeAxes } from "../shape.js";
import type { Tensor } from "../tensor.js";
import { div, maximum, minimum, mul, sub } from "./binary.js";
import { sum } from "./reduce.js";
import { sqrt } from "./unary.js";

/**
 * x², elementwise.
 *
 * @example
 * ```ts
 * square(tensor([2, -3])); // [4, 9]
 * ```
 */
export function square(x: Tensor): Tensor {
  prepareInputs("square", [x]);
  assertDType("square", x.dtype, NUMERIC_DTYPES);
  return mul(x, x);
}

/**
 * Limits values to [lo, hi] (gradient 1 inside, 0 outside).
 *
 * @example
 * ```ts
 * clip(tensor([-2, 0.5, 3]), 0, 1); // [0, 0.5, 1]
 * ```
 */
export function clip(x: Tensor, lo: number, hi: number): Tensor {
  prepareInputs("clip", [x]);
  if (!(lo <= hi)) throw new ArgumentError(`clip: lower bound ${lo} exceeds upper bound ${hi}`);
  const low = maximum(x, lo);
  try {
    return minimum(low, hi);
  } finally {
    low.dispose();
  }
}

/**
 * Arithmetic mean over `axis` (all axes when omitted); integers average to float32.
 *
 * @example
 * ```ts
 * mean(tensor([[1, 2], [3, 4]]), 0); // [2, 3]
 * ```
 */
export function mean(x: Tensor, axis?: number | readonly number[], keepDims = false): Tensor {
  prepareInputs("mean", [x]);
  const axes = normalizeAxes("mean", axis, x.rank);
  const count = axes.reduce((n, a) => n * (x.shape[a] as number), 1);
  const total = sum(x, axes, keepDims);
  try {
    return div(total, count);
  } finally {
    total.dispose();
  }
}

/**
 * Population variance (divides by N, as NumPy's default) over `axis`.
 *
 * @example
 * ```ts
 * variance(tensor([1, 2, 3, 4])); // 1.25
 * ```
 */
export function variance(x: Tensor, axis?: number | readonly number[], keepDims = false): Tensor {
  prepareInputs("variance", [x]);
  assertDType("variance", x.dtype, FLOAT_DTYPES);
  normalizeAxes("variance", axis, x.rank);
  const mu = mean(x, axis, true);
  const centered = sub(x, mu);
  const sq = square(centered);
  try {
    return mean(sq, axis, keepDims);
  } finally {
    mu.dispose();
    centered.dispose();
    sq.dispose();
  }
}

/**
 * Population standard deviation over `axis`.
 *
 * @example
 * ```ts
 * std(tensor([1, 3])); // 1
 * ```
 */
export function std(x: Tensor, axis?: number | readonly number[], keepDims = false): Tensor {
  prepareInputs("std", [x]);
  assertDType("std", x.dtype, FLOAT_DTYPES);
  normalizeAxes("std", axis, x.rank);
  const v = variance(x, axis, keepDims);
  try {
    return sqrt(v);
  } finally {
    v.dispose();
  }
}

/**
 * The Euclidean (L2) norm over `axis` (all axes when omitted): √(Σ x²). Its gradient at an
 * all-zero slice is NaN, as in JAX; add a small epsilon inside if that can happen.
 *
 * @example
 * ```ts
 * norm(tensor([[3, 4], [6, 8]]), 1); // [5, 10]
 * ```
 */
export function norm(x: Tensor, axis?: number | readonly number[], keepDims = false): Tensor {
  prepareInputs("norm", [x]);
  assertDType("norm", x.dtype, FLOAT_DTYPES);
  const axes = normalizeAxes("norm", axis, x.rank);
  using sq = square(x);
  using total = sum(sq, axes, keepDims);
  return sqrt(total);
}
