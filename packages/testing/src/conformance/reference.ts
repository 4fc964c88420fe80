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

/** The element of `x` that output position `outIdx` (of a broadcast shape) reads. */
function at(x: RefArray, outIdx: readonly number[]): number {
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

/** Round half to even, keeping the sign of zero, as NumPy's `round`. */
function roundHalfEven(v: number): number {
  if (!Number.isFinite(v)) return v;
  const f = Math.floor(v);
  const d = v - f;
  const r = d < 0.5 ? f : d > 0.5 ? f + 1 : f % 2 === 0 ? f : f + 1;
  return r === 0 && (v < 0 || Object.is(v, -0)) ? -0 : r;
}

/**
 * Elementwise unary ops of the Backend contract, computed in float64.
 *
 * @example
 * ```ts
 * UNARY.round(2.5); // 2
 * ```
 */
export const UNARY: Readonly<Record<string, (v: number) => number>> = {
  neg: (v) => -v,
  exp: Math.exp,
  log: Math.log,
  log1p: Math.log1p,
  sqrt: Math.sqrt,
  abs: Math.abs,
  sign: (v) => (Number.isNaN(v) ? Number.NaN : v > 0 ? 1 : v < 0 ? -1 : 0),
  sin: Math.sin,
  cos: Math.cos,
  tanh: Math.tanh,
  reciprocal: (v) => 1 / v,
  floor: Math.floor,
  ceil: Math.ceil,
  round: roundHalfEven,
  logicalNot: (v) => (v === 0 ? 1 : 0),
};

/**
 * Elementwise binary ops of the Backend contract, computed in float64; comparisons and logical
 * ops give 0/1.
 *
 * @example
 * ```ts
 * BINARY.maximum(1, Number.NaN); // NaN
 * ```
 */
export const BINARY: Readonly<Record<string, (a: number, b: number) => number>> = {
  add: (a, b) => a + b,
  sub: (a, b) => a - b,
  mul: (a, b) => a * b,
  div: (a, b) => a / b,
  pow: (a, b) => a ** b,
  maximum: (a, b) => (Number.isNaN(a) || Number.isNaN(b) ? Number.NaN : Math.max(a, b)),
  minimum: (a, b) => (Number.isNaN(a) || Number.isNaN(b) ? Number.NaN : Math.min(a, b)),
  equal: (a, b) => (a === b ? 1 : 0),
  notEqual: (a, b) => (a !== b ? 1 : 0),
  less: (a, b) => (a < b ? 1 : 0),
  lessEqual: (a, b) => (a <= b ? 1 : 0),
  greater: (a, b) => (a > b ? 1 : 0),
  greaterEqual: (a, b) => (a >= b ? 1 : 0),
  logicalAnd: (a, b) => (a !== 0 && b !== 0 ? 1 : 0),
  logicalOr: (a, b) => (a !== 0 || b !== 0 ? 1 : 0),
};

/**
 * An elementwise unary op by name (see {@link UNARY}).
 *
 * @example
 * ```ts
 * unary("exp", array([], [0])).values; // [1]
 * ```
 */
export function unary(op: string, x: RefArray): RefArray {
  const f = UNARY[op];
  if (f === undefined) throw new Error(`reference: unknown unary op ${op}`);
  return map(x, f);
}

/**
 * An elementwise binary op by name with NumPy broadcasting (see {@link BINARY}).
 *
 * @example
 * ```ts
 * binary("add", array([2, 1], [1, 2]), array([2], [10, 20])).values; // [11, 21, 12, 22]
 * ```
 */
export function binary(op: string, a: RefArray, b: RefArray): RefArray {
  const f = BINARY[op];
  if (f === undefined) throw new Error(`reference: unknown binary op ${op}`);
  return zipWith([a, b], f);
}

/**
 * cond ? a : b with broadcasting of all three.
 *
 * @example
 * ```ts
 * where(array([2], [1, 0]), array([], [5]), array([2], [1, 2])).values; // [5, 2]
 * ```
 */
export function where(cond: RefArray, a: RefArray, b: RefArray): RefArray {
  return zipWith([cond, a, b], (c, x, y) => (c !== 0 ? x : y));
}

/** Normalises axes (negative allowed; undefined = all) to sorted unique non-negative axes. */
function axesOf(axes: number | readonly number[] | undefined, rank: number): number[] {
  if (axes === undefined) return Array.from({ length: rank }, (_, i) => i);
  const list = typeof axes === "number" ? [axes] : axes;
  return [...new Set(list.map((a) => (a < 0 ? a + rank : a)))].sort((x, y) => x - y);
}

/** Folds the elements along `axes` with `f`, starting from `init`. */
function fold(
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

/**
 * Batched matrix product of op(a)·op(b) (op = optional transpose of the last two axes), batch
 * dimensions broadcast. `abs` computes |op(a)|·|op(b)| instead: the scale that rounding errors
 * of the real product are relative to.
 *
 * @example
 * ```ts
 * matmul(array([1, 2], [1, 2]), array([2, 1], [3, 4])).values; // [11]
 * ```
 */
export function matmul(a: RefArray, b: RefArray, transposeA = false, transposeB = false, abs = false): RefArray {
  const ra = a.shape.length;
  const rb = b.shape.length;
  const [m, k] = transposeA ? [a.shape[ra - 1], a.shape[ra - 2]] : [a.shape[ra - 2], a.shape[ra - 1]];
  const [k2, n] = transposeB ? [b.shape[rb - 1], b.shape[rb - 2]] : [b.shape[rb - 2], b.shape[rb - 1]];
  if (k !== k2) throw new Error(`reference: matmul inner dimensions ${k} and ${k2} differ`);
  const M = m as number;
  const N = n as number;
  const K = k as number;
  const batch = broadcastShape(a.shape.slice(0, -2), b.shape.slice(0, -2));
  const shape = [...batch, M, N];
  const values = new Array<number>(size(shape));
  const aBatch = a.shape.slice(0, -2);
  const bBatch = b.shape.slice(0, -2);
  const batchOffset = (own: readonly number[], idx: readonly number[]): number => {
    const lead = idx.length - own.length;
    return ravel(
      own.map((s, d) => (s === 1 ? 0 : (idx[d + lead] as number))),
      own,
    );
  };
  const f = abs ? Math.abs : (v: number) => v;
  for (let bi = 0; bi < size(batch); bi++) {
    const idx = unravel(bi, batch);
    const aOff = batchOffset(aBatch, idx) * M * K;
    const bOff = batchOffset(bBatch, idx) * K * N;
    for (let i = 0; i < M; i++) {
      for (let j = 0; j < N; j++) {
        let acc = 0;
        for (let p = 0; p < K; p++) {
          const av = a.values[aOff + (transposeA ? p * M + i : i * K + p)] as number;
          const bv = b.values[bOff + (transposeB ? j * K + p : p * N + j)] as number;
          acc += f(av) * f(bv);
        }
        values[bi * M * N + i * N + j] = acc;
      }
    }
  }
  return { shape, values };
}

/**
 * Permutes axes: output axis k is input axis `perm[k]`.
 *
 * @example
 * ```ts
 * transpose(array([2, 3], [1, 2, 3, 4, 5, 6]), [1, 0]).values; // [1, 4, 2, 5, 3, 6]
 * ```
 */
export function transpose(x: RefArray, perm: readonly number[]): RefArray {
  const shape = perm.map((p) => x.shape[p] as number);
  const values = new Array<number>(x.values.length);
  for (let o = 0; o < values.length; o++) {
    const outIdx = unravel(o, shape);
    const inIdx = new Array<number>(perm.length);
    perm.forEach((p, k) => {
      inIdx[p] = outIdx[k] as number;
    });
    values[o] = x.values[ravel(inIdx, x.shape)] as number;
  }
  return { shape, values };
}

/**
 * Repeats size-1 and missing leading dimensions up to `shape`.
 *
 * @example
 * ```ts
 * broadcastTo(array([2], [1, 2]), [2, 2]).values; // [1, 2, 1, 2]
 * ```
 */
export function broadcastTo(x: RefArray, shape: readonly number[]): RefArray {
  const out = zipWith([x, { shape, values: new Array<number>(size(shape)).fill(0) }], (v) => v);
  if (out.shape.join() !== shape.join()) throw new Error(`reference: cannot broadcast [${x.shape}] to [${shape}]`);
  return out;
}

/**
 * The box starting at `begin` with extent `sizes`.
 *
 * @example
 * ```ts
 * slice(array([4], [1, 2, 3, 4]), [1], [2]).values; // [2, 3]
 * ```
 */
export function slice(x: RefArray, begin: readonly number[], sizes: readonly number[]): RefArray {
  const shape = [...sizes];
  const values = new Array<number>(size(shape));
  for (let o = 0; o < values.length; o++) {
    const idx = unravel(o, shape).map((v, d) => v + (begin[d] as number));
    values[o] = x.values[ravel(idx, x.shape)] as number;
  }
  return { shape, values };
}

/**
 * Pads each axis with `paddings[axis] = [before, after]` elements equal to `value`.
 *
 * @example
 * ```ts
 * pad(array([2], [1, 2]), [[1, 2]], 0).values; // [0, 1, 2, 0, 0]
 * ```
 */
export function pad(x: RefArray, paddings: readonly (readonly [number, number])[], value: number): RefArray {
  const shape = x.shape.map(
    (d, i) => d + (paddings[i] as readonly [number, number])[0] + (paddings[i] as readonly [number, number])[1],
  );
  const values = new Array<number>(size(shape)).fill(value);
  for (let i = 0; i < x.values.length; i++) {
    const idx = unravel(i, x.shape).map((v, d) => v + (paddings[d] as readonly [number, number])[0]);
    values[ravel(idx, shape)] = x.values[i] as number;
  }
  return { shape, values };
}

/**
 * Joins arrays along an existing axis.
 *
 * @example
 * ```ts
 * concat([array([1], [1]), array([2], [2, 3])], 0).values; // [1, 2, 3]
 * ```
 */
export function concat(xs: readonly RefArray[], axis: number): RefArray {
  const first = xs[0] as RefArray;
  const a = axis < 0 ? axis + first.shape.length : axis;
  const shape = first.shape.map((d, i) => (i === a ? xs.reduce((s, x) => s + (x.shape[a] as number), 0) : d));
  const values = new Array<number>(size(shape));
  let offset = 0;
  for (const x of xs) {
    for (let i = 0; i < x.values.length; i++) {
      const idx = unravel(i, x.shape);
      idx[a] = (idx[a] as number) + offset;
      values[ravel(idx, shape)] = x.values[i] as number;
    }
    offset += x.shape[a] as number;
  }
  return { shape, values };
}

/**
 * Takes slices along `axis` at integer `indices` (any shape); output shape is
 * `x.shape[:axis] ++ indices.shape ++ x.shape[axis+1:]`.
 *
 * @example
 * ```ts
 * gather(array([3], [10, 20, 30]), array([2], [2, 0]), 0).values; // [30, 10]
 * ```
 */
export function gather(x: RefArray, indices: RefArray, axis: number): RefArray {
  const a = axis < 0 ? axis + x.shape.length : axis;
  const ir = indices.shape.length;
  const shape = [...x.shape.slice(0, a), ...indices.shape, ...x.shape.slice(a + 1)];
  const values = new Array<number>(size(shape));
  for (let o = 0; o < values.length; o++) {
    const idx = unravel(o, shape);
    const k = indices.values[ravel(idx.slice(a, a + ir), indices.shape)] as number;
    values[o] = x.values[ravel([...idx.slice(0, a), k, ...idx.slice(a + ir)], x.shape)] as number;
  }
  return { shape, values };
}

/**
 * The adjoint of {@link gather}: zeros of `shape` with each slice of `updates` added at its
 * index along `axis` (repeated indices accumulate).
 *
 * @example
 * ```ts
 * scatterAdd(array([3], [1, 2, 3]), array([3], [0, 0, 2]), 0, [3]).values; // [3, 0, 3]
 * ```
 */
export function scatterAdd(updates: RefArray, indices: RefArray, axis: number, shape: readonly number[]): RefArray {
  const a = axis < 0 ? axis + shape.length : axis;
  const ir = indices.shape.length;
  const values = new Array<number>(size(shape)).fill(0);
  for (let u = 0; u < updates.values.length; u++) {
    const idx = unravel(u, updates.shape);
    const k = indices.values[ravel(idx.slice(a, a + ir), indices.shape)] as number;
    const o = ravel([...idx.slice(0, a), k, ...idx.slice(a + ir)], shape);
    values[o] = (values[o] as number) + (updates.values[u] as number);
  }
  return { shape: [...shape], values };
}

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
