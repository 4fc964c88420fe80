import { map, type RefArray, ravel, size, unravel, zipWith } from "./array.js";
import { binary, unary } from "./elementwise.js";
import { matmul } from "./movement.js";
import { axesOf, max, sum } from "./reduce.js";

/**
 * Logistic sigmoid 1 / (1 + e^-x).
 *
 * @example
 * ```ts
 * sigmoid(array([], [0])).values; // [0.5]
 * ```
 */
export function sigmoid(x: RefArray): RefArray {
  return map(x, (v) => (v >= 0 ? 1 / (1 + Math.exp(-v)) : Math.exp(v) / (1 + Math.exp(v))));
}

/**
 * log(1 + e^x), without overflow.
 *
 * @example
 * ```ts
 * softplus(array([], [0])).values; // [0.6931471805599453]
 * ```
 */
export function softplus(x: RefArray): RefArray {
  return map(x, (v) => Math.max(v, 0) + Math.log1p(Math.exp(-Math.abs(v))));
}

/**
 * max(x, 0).
 *
 * @example
 * ```ts
 * relu(array([2], [-1, 2])).values; // [0, 2]
 * ```
 */
export function relu(x: RefArray): RefArray {
  // biome-ignore lint/complexity/useMathMinMax: Math.max(NaN, 0) is NaN, while relu(NaN) is 0 (NaN > 0 is false).
  return map(x, (v) => (v > 0 ? v : 0));
}

/**
 * x for x > 0, alpha·x otherwise.
 *
 * @example
 * ```ts
 * leakyRelu(array([2], [-1, 2]), 0.1).values; // [-0.1, 2]
 * ```
 */
export function leakyRelu(x: RefArray, alpha: number): RefArray {
  return map(x, (v) => (v > 0 ? v : alpha * v));
}

/**
 * x for x > 0, alpha·(e^x − 1) otherwise.
 *
 * @example
 * ```ts
 * elu(array([1], [-1]), 1).values; // [-0.6321205588285577]
 * ```
 */
export function elu(x: RefArray, alpha: number): RefArray {
  return map(x, (v) => (v > 0 ? v : alpha * Math.expm1(v)));
}

/**
 * log Σ e^x over axes, stable (max-shifted); an all −∞ slice gives −∞.
 *
 * @example
 * ```ts
 * logSumExp(array([2], [1000, 1000]), [0]).values; // [1000.6931471805599]
 * ```
 */
export function logSumExp(x: RefArray, axes: number | readonly number[], keepDims = false): RefArray {
  const m = max(x, axes, true);
  const shift = map(m, (v) => (Number.isFinite(v) ? v : 0));
  const e = zipWith([x, shift], (v, s) => Math.exp(v - s));
  const s = sum(e, axes, true);
  const out = zipWith([s, shift], (t, sh) => Math.log(t) + sh);
  const ax = axesOf(axes, x.shape.length);
  return { shape: keepDims ? out.shape : x.shape.filter((_, i) => !ax.includes(i)), values: out.values };
}

/**
 * e^x / Σ e^x along `axis`.
 *
 * @example
 * ```ts
 * softmax(array([2], [1, 1]), 0).values; // [0.5, 0.5]
 * ```
 */
export function softmax(x: RefArray, axis: number): RefArray {
  const m = max(x, axis, true);
  const e = zipWith([x, m], (v, mv) => Math.exp(v - (Number.isFinite(mv) ? mv : 0)));
  const s = sum(e, axis, true);
  return zipWith([e, s], (v, t) => v / t);
}

/**
 * x − logSumExp(x) along `axis`.
 *
 * @example
 * ```ts
 * logSoftmax(array([2], [0, 0]), 0).values; // [-0.693..., -0.693...]
 * ```
 */
export function logSoftmax(x: RefArray, axis: number): RefArray {
  const l = logSumExp(x, [axis], true);
  return zipWith([x, l], (v, s) => v - s);
}

/**
 * Binary cross-entropy of labels z against sigmoid(logits x): max(x,0) − x·z + log1p(e^−|x|).
 *
 * @example
 * ```ts
 * sigmoidCrossEntropyWithLogits(array([], [0]), array([], [1])).values; // [0.693...]
 * ```
 */
export function sigmoidCrossEntropyWithLogits(logits: RefArray, labels: RefArray): RefArray {
  return zipWith([logits, labels], (x, z) => Math.max(x, 0) - x * z + Math.log1p(Math.exp(-Math.abs(x))));
}

/**
 * log sigmoid(x) = −softplus(−x).
 *
 * @example
 * ```ts
 * logSigmoid(array([], [0])).values; // [-0.6931471805599453]
 * ```
 */
export function logSigmoid(x: RefArray): RefArray {
  return map(softplus(map(x, (v) => -v)), (v) => -v);
}

/**
 * SELU: scale · elu(x, alpha) with Klambauer et al.'s constants.
 *
 * @example
 * ```ts
 * selu(array([], [1])).values; // [1.0507009873554805]
 * ```
 */
export function selu(x: RefArray): RefArray {
  return map(elu(x, 1.6732632423543772), (v) => 1.0507009873554805 * v);
}

/**
 * GELU, tanh approximation: x/2 · (1 + tanh(√(2/π) · (x + 0.044715 x³))).
 *
 * @example
 * ```ts
 * gelu(array([], [0])).values; // [0]
 * ```
 */
export function gelu(x: RefArray): RefArray {
  return map(x, (v) => 0.5 * v * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (v + 0.044715 * v * v * v))));
}

/**
 * SiLU (swish): x · sigmoid(x).
 *
 * @example
 * ```ts
 * silu(array([], [0])).values; // [0]
 * ```
 */
export function silu(x: RefArray): RefArray {
  return zipWith([x, sigmoid(x)], (v, s) => v * s);
}

/**
 * x / (1 + |x|).
 *
 * @example
 * ```ts
 * softsign(array([], [1])).values; // [0.5]
 * ```
 */
export function softsign(x: RefArray): RefArray {
  return map(x, (v) => v / (1 + Math.abs(v)));
}

/**
 * min(max(x, 0), 6).
 *
 * @example
 * ```ts
 * relu6(array([3], [-1, 3, 9])).values; // [0, 3, 6]
 * ```
 */
export function relu6(x: RefArray): RefArray {
  return map(x, (v) => Math.min(Math.max(v, 0), 6));
}

/**
 * relu6(x + 3) / 6 (PyTorch's hard sigmoid).
 *
 * @example
 * ```ts
 * hardSigmoid(array([], [0])).values; // [0.5]
 * ```
 */
export function hardSigmoid(x: RefArray): RefArray {
  return map(x, (v) => Math.min(Math.max(v + 3, 0), 6) / 6);
}

/**
 * Euclidean norm √(Σ x²) over axes (all when undefined).
 *
 * @example
 * ```ts
 * norm(array([2], [3, 4])).values; // [5]
 * ```
 */
export function norm(x: RefArray, axes?: number | readonly number[], keepDims = false): RefArray {
  return map(
    sum(
      map(x, (v) => v * v),
      axes,
      keepDims,
    ),
    Math.sqrt,
  );
}

/**
 * NumPy's tile: repeats x `reps[i]` times along axis i (shapes left-padded with 1s).
 *
 * @example
 * ```ts
 * tile(array([2], [1, 2]), [2]).values; // [1, 2, 1, 2]
 * ```
 */
export function tile(x: RefArray, reps: readonly number[]): RefArray {
  const rank = Math.max(x.shape.length, reps.length);
  const dims = [...new Array<number>(rank - x.shape.length).fill(1), ...x.shape];
  const times = [...new Array<number>(rank - reps.length).fill(1), ...reps];
  const shape = dims.map((d, i) => d * (times[i] as number));
  const values = new Array<number>(size(shape));
  for (let o = 0; o < values.length; o++) {
    const idx = unravel(o, shape).map((v, d) => v % (dims[d] as number));
    values[o] = x.values[ravel(idx, dims)] as number;
  }
  return { shape, values };
}

/**
 * Arithmetic mean over axes (all when undefined).
 *
 * @example
 * ```ts
 * mean(array([2, 2], [1, 2, 3, 4]), 0).values; // [2, 3]
 * ```
 */
export function mean(x: RefArray, axes?: number | readonly number[], keepDims = false): RefArray {
  const ax = axesOf(axes, x.shape.length);
  const count = ax.reduce((n, a) => n * (x.shape[a] as number), 1);
  return map(sum(x, ax, keepDims), (v) => v / count);
}

/**
 * Population variance (divides by N) over axes.
 *
 * @example
 * ```ts
 * variance(array([4], [1, 2, 3, 4])).values; // [1.25]
 * ```
 */
export function variance(x: RefArray, axes?: number | readonly number[], keepDims = false): RefArray {
  const mu = mean(x, axes, true);
  const sq = zipWith([x, mu], (v, m) => (v - m) * (v - m));
  return mean(sq, axes, keepDims);
}

/**
 * Limits values to [lo, hi].
 *
 * @example
 * ```ts
 * clip(array([3], [-2, 0.5, 3]), 0, 1).values; // [0, 0.5, 1]
 * ```
 */
export function clip(x: RefArray, lo: number, hi: number): RefArray {
  return map(x, (v) => Math.min(Math.max(v, lo), hi));
}

/**
 * act(x·w + b) for a fully connected layer (bias optional).
 *
 * @example
 * ```ts
 * dense(array([1, 1], [2]), array([1, 1], [3]), array([1], [-10]), "relu").values; // [0]
 * ```
 */
export function dense(
  x: RefArray,
  w: RefArray,
  b: RefArray | null,
  activation: "linear" | "relu" | "sigmoid" | "tanh",
  transposeX = false,
  transposeW = false,
): RefArray {
  const z = matmul(x, w, transposeX, transposeW);
  const zb = b === null ? z : binary("add", z, b);
  switch (activation) {
    case "relu":
      return relu(zb);
    case "sigmoid":
      return sigmoid(zb);
    case "tanh":
      return unary("tanh", zb);
    default:
      return zb;
  }
}
