import type { DType } from "@tapegrad/core";

// A plain-JS float64 reference for every op the conformance suite checks, written straight
// from NumPy's semantics with no shared code with core or any backend: a bug must be made
// twice, independently, to go unnoticed.

/**
 * A reference array: a shape and its elements, row-major, as float64 numbers (bool as 0/1).
 *
 * @example
 * ```ts
 * const x: RefArray = { shape: [2, 2], values: [1, 2, 3, 4] };
 * ```
 */
export interface RefArray {
  readonly shape: readonly number[];
  readonly values: readonly number[];
}

/**
 * Builds a {@link RefArray}, checking that the values fill the shape.
 *
 * @example
 * ```ts
 * array([2, 2], [1, 2, 3, 4]);
 * ```
 */
export function array(shape: readonly number[], values: ArrayLike<number>): RefArray {
  const n = size(shape);
  if (values.length !== n) throw new Error(`reference: ${values.length} values do not fill shape [${shape}]`);
  return { shape: [...shape], values: Array.from(values) };
}

/**
 * Number of elements of a shape (1 for a scalar).
 *
 * @example
 * ```ts
 * size([2, 3]); // 6
 * ```
 */
export function size(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/**
 * The multi-index of flat position `flat` in a row-major `shape`.
 *
 * @example
 * ```ts
 * unravel(5, [2, 3]); // [1, 2]
 * ```
 */
export function unravel(flat: number, shape: readonly number[]): number[] {
  const idx = new Array<number>(shape.length);
  let rest = flat;
  for (let d = shape.length - 1; d >= 0; d--) {
    const s = shape[d] as number;
    idx[d] = rest % s;
    rest = Math.floor(rest / s);
  }
  return idx;
}

/**
 * The flat row-major position of a multi-index.
 *
 * @example
 * ```ts
 * ravel([1, 2], [2, 3]); // 5
 * ```
 */
export function ravel(idx: readonly number[], shape: readonly number[]): number {
  let flat = 0;
  for (let d = 0; d < shape.length; d++) flat = flat * (shape[d] as number) + (idx[d] as number);
  return flat;
}

/**
 * The NumPy broadcast of shapes; throws if they are incompatible.
 *
 * @example
 * ```ts
 * broadcastShape([3, 1], [4]); // [3, 4]
 * ```
 */
export function broadcastShape(...shapes: (readonly number[])[]): number[] {
  const rank = Math.max(0, ...shapes.map((s) => s.length));
  const out: number[] = [];
  for (let i = 0; i < rank; i++) {
    let d = 1;
    for (const s of shapes) {
      const di = s[s.length - rank + i] ?? 1;
      if (di === 1) continue;
      if (d !== 1 && d !== di)
        throw new Error(`reference: shapes ${shapes.map((x) => `[${x}]`).join(" ")} do not broadcast`);
      d = di;
    }
    out.push(d);
  }
  return out;
}

/** @internal The element of `x` that output position `outIdx` (of a broadcast shape) reads. */
export function at(x: RefArray, outIdx: readonly number[]): number {
  const lead = outIdx.length - x.shape.length;
  let flat = 0;
  for (let d = 0; d < x.shape.length; d++) {
    const s = x.shape[d] as number;
    flat = flat * s + (s === 1 ? 0 : (outIdx[d + lead] as number));
  }
  return x.values[flat] as number;
}

/**
 * Maps a function over the broadcast of several arrays.
 *
 * @example
 * ```ts
 * zipWith([array([2, 1], [1, 2]), array([3], [10, 20, 30])], (a, b) => a + b).shape; // [2, 3]
 * ```
 */
export function zipWith(xs: readonly RefArray[], f: (...vs: number[]) => number): RefArray {
  const shape = broadcastShape(...xs.map((x) => x.shape));
  const n = size(shape);
  const values = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    const idx = unravel(i, shape);
    values[i] = f(...xs.map((x) => at(x, idx)));
  }
  return { shape, values };
}

/**
 * Maps a function over the elements.
 *
 * @example
 * ```ts
 * map(array([2], [1, 4]), Math.sqrt).values; // [1, 2]
 * ```
 */
export function map(x: RefArray, f: (v: number) => number): RefArray {
  return { shape: [...x.shape], values: x.values.map((v) => f(v)) };
}

/**
 * Rounds a value to what a dtype stores: float32 rounding, int32 truncation toward zero (with
 * 32-bit wrap-around), bool as 0/1 (NaN is true, as in NumPy).
 *
 * @example
 * ```ts
 * storeAs(-1.7, "int32"); // -1
 * storeAs(0.1, "float32"); // 0.10000000149011612
 * ```
 */
export function storeAs(v: number, dtype: DType): number {
  switch (dtype) {
    case "float64":
      return v;
    case "float32":
      return Math.fround(v);
    case "int32":
      return Number.isFinite(v) ? Math.trunc(v) | 0 : 0;
    case "bool":
      return v !== 0 ? 1 : 0;
  }
}

/**
 * Converts every element to `dtype` as {@link storeAs} does (the `cast` op).
 *
 * @example
 * ```ts
 * cast(array([2], [1.5, 0]), "bool").values; // [1, 0]
 * ```
 */
export function cast(x: RefArray, dtype: DType): RefArray {
  return map(x, (v) => storeAs(v, dtype));
}
