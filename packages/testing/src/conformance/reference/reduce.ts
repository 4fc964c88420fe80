import { type RefArray, ravel, size, unravel } from "./array.js";
import { BINARY } from "./elementwise.js";

/** @internal Normalises axes (negative allowed; undefined = all) to sorted unique non-negative axes. */
export function axesOf(axes: number | readonly number[] | undefined, rank: number): number[] {
  if (axes === undefined) return Array.from({ length: rank }, (_, i) => i);
  const list = typeof axes === "number" ? [axes] : axes;
  return [...new Set(list.map((a) => (a < 0 ? a + rank : a)))].sort((x, y) => x - y);
}

/** @internal Folds the elements along `axes` with `f`, starting from `init`. */
export function fold(
  x: RefArray,
  axes: number | readonly number[] | undefined,
  keepDims: boolean,
  init: number,
  f: (acc: number, v: number) => number,
): RefArray {
  const ax = axesOf(axes, x.shape.length);
  const kept = x.shape.map((d, i) => (ax.includes(i) ? 1 : d));
  const out = new Array<number>(size(kept)).fill(init);
  for (let i = 0; i < x.values.length; i++) {
    const idx = unravel(i, x.shape).map((v, d) => (ax.includes(d) ? 0 : v));
    const o = ravel(idx, kept);
    out[o] = f(out[o] as number, x.values[i] as number);
  }
  const shape = keepDims ? kept : x.shape.filter((_, i) => !ax.includes(i));
  return { shape, values: out };
}

/**
 * Sum over axes (all when undefined); an empty sum is 0.
 *
 * @example
 * ```ts
 * sum(array([2, 2], [1, 2, 3, 4]), [1]).values; // [3, 7]
 * ```
 */
export function sum(x: RefArray, axes?: number | readonly number[], keepDims = false): RefArray {
  return fold(x, axes, keepDims, 0, (a, v) => a + v);
}

/**
 * Maximum over axes; NaN if any element is NaN; an empty max is -Infinity.
 *
 * @example
 * ```ts
 * max(array([2, 2], [1, 5, 3, 4]), 1).values; // [5, 4]
 * ```
 */
export function max(x: RefArray, axes?: number | readonly number[], keepDims = false): RefArray {
  return fold(x, axes, keepDims, Number.NEGATIVE_INFINITY, BINARY.maximum as (a: number, b: number) => number);
}

/**
 * Minimum over axes; NaN if any element is NaN; an empty min is +Infinity.
 *
 * @example
 * ```ts
 * min(array([2, 2], [1, 5, 3, 4]), 1).values; // [1, 3]
 * ```
 */
export function min(x: RefArray, axes?: number | readonly number[], keepDims = false): RefArray {
  return fold(x, axes, keepDims, Number.POSITIVE_INFINITY, BINARY.minimum as (a: number, b: number) => number);
}

/**
 * Index of the first maximum (argmax) or minimum (argmin) along one axis; a NaN wins (the
 * first NaN's index), as in NumPy.
 *
 * @example
 * ```ts
 * argReduce("argmax", array([2, 2], [1, 5, 7, 4]), 1).values; // [1, 0]
 * ```
 */
export function argReduce(op: "argmax" | "argmin", x: RefArray, axis: number): RefArray {
  const rank = x.shape.length;
  const a = axis < 0 ? axis + rank : axis;
  const n = x.shape[a] as number;
  const outShape = x.shape.filter((_, i) => i !== a);
  const values = new Array<number>(size(outShape));
  for (let o = 0; o < values.length; o++) {
    const outIdx = unravel(o, outShape);
    let best = 0;
    let bestValue = Number.NaN;
    for (let k = 0; k < n; k++) {
      const idx = [...outIdx.slice(0, a), k, ...outIdx.slice(a)];
      const v = x.values[ravel(idx, x.shape)] as number;
      if (Number.isNaN(bestValue) && k > 0) break;
      if (k === 0 || Number.isNaN(v) || (op === "argmax" ? v > bestValue : v < bestValue)) {
        best = k;
        bestValue = v;
      }
    }
    values[o] = best;
  }
  return { shape: outShape, values };
}
