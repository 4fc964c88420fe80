import type { Shape } from "@tapegrad/core";

/**
 * How to walk one or more strided operands over a common iteration shape: the shape is split
 * into rows (every axis but the last, after merging) and one inner axis, so kernels keep a
 * tight loop over the inner axis and pay index arithmetic once per row.
 *
 * @example
 * ```ts
 * const plan = planStrided([2, 3], [[3, 1], [3, 1]]);
 * plan.rows; // 1: both operands are contiguous, so the walk is one row of 6
 * ```
 */
export interface StridedPlan {
  /** Number of rows (0 when the iteration shape is empty). */
  readonly rows: number;
  /** Length of each row. */
  readonly inner: number;
  /** Per operand, the element offset where each row starts. */
  readonly offsets: readonly Int32Array[];
  /** Per operand, the stride along the inner axis. */
  readonly innerStrides: readonly number[];
}

/**
 * Plans a walk over `shape` for operands with the given per-axis `strides` (one array per
 * operand, each of `shape`'s rank; a 0 stride repeats, which is how broadcasting is expressed)
 * and base offsets. Size-1 axes are dropped and axes that are contiguous for every operand are
 * merged, so the common cases (equal shapes, a row vector against a matrix) become one or a
 * few long rows.
 *
 * @example
 * ```ts
 * const { rows, inner, offsets, innerStrides } = planStrided([4, 5], [[5, 1], [0, 1]]);
 * // rows = 4, inner = 5, offsets[1] = [0, 0, 0, 0], innerStrides = [1, 1]
 * ```
 */
export function planStrided(
  shape: Shape,
  strides: readonly (readonly number[])[],
  bases?: readonly number[],
): StridedPlan {
  const nOps = strides.length;
  const dims: number[] = [];
  const st: number[][] = strides.map(() => []);
  for (let d = 0; d < shape.length; d++) {
    const size = shape[d] as number;
    if (size === 0) {
      return {
        rows: 0,
        inner: 0,
        offsets: strides.map(() => new Int32Array(0)),
        innerStrides: strides.map(() => 0),
      };
    }
    if (size === 1) continue;
    const last = dims.length - 1;
    let mergeable = last >= 0;
    for (let o = 0; o < nOps && mergeable; o++) {
      const prev = st[o] as number[];
      const s = (strides[o] as readonly number[])[d] as number;
      if (prev[last] !== s * size) mergeable = false;
    }
    if (mergeable) {
      dims[last] = (dims[last] as number) * size;
      for (let o = 0; o < nOps; o++) {
        const prev = st[o] as number[];
        prev[last] = (strides[o] as readonly number[])[d] as number;
      }
    } else {
      dims.push(size);
      for (let o = 0; o < nOps; o++) (st[o] as number[]).push((strides[o] as readonly number[])[d] as number);
    }
  }
  if (dims.length === 0) {
    return {
      rows: 1,
      inner: 1,
      offsets: strides.map((_, o) => Int32Array.of(bases?.[o] ?? 0)),
      innerStrides: strides.map(() => 0),
    };
  }
  const rank = dims.length;
  const inner = dims[rank - 1] as number;
  const outerShape = dims.slice(0, rank - 1);
  const offsets = st.map((s, o) => elementOffsets(outerShape, s.slice(0, rank - 1), bases?.[o] ?? 0));
  return {
    rows: offsets[0]?.length ?? 1,
    inner,
    offsets,
    innerStrides: st.map((s) => s[rank - 1] as number),
  };
}

/**
 * The offset of every element of `shape` (row-major order) for the given per-axis strides.
 *
 * @example
 * ```ts
 * elementOffsets([2, 2], [1, 2]); // Int32Array [0, 2, 1, 3]: a transposed walk
 * ```
 */
export function elementOffsets(shape: Shape, strides: readonly number[], base = 0): Int32Array {
  let size = 1;
  for (const d of shape) size *= d;
  const out = new Int32Array(size);
  if (size === 0) return out;
  const rank = shape.length;
  const counter = new Array<number>(rank).fill(0);
  let off = base;
  for (let i = 0; i < size; i++) {
    out[i] = off;
    for (let d = rank - 1; d >= 0; d--) {
      const c = (counter[d] as number) + 1;
      const s = strides[d] as number;
      if (c < (shape[d] as number)) {
        counter[d] = c;
        off += s;
        break;
      }
      counter[d] = 0;
      off -= s * (c - 1);
    }
  }
  return out;
}

/**
 * Strides that read an input of `inShape` as if it had been broadcast to `outShape`: missing
 * leading axes and size-1 axes get stride 0.
 *
 * @example
 * ```ts
 * broadcastStrides([3, 1], [2, 3, 4]); // [0, 1, 0]
 * ```
 */
export function broadcastStrides(inShape: Shape, outShape: Shape): number[] {
  const rank = outShape.length;
  const lead = rank - inShape.length;
  const out = new Array<number>(rank).fill(0);
  let s = 1;
  for (let d = inShape.length - 1; d >= 0; d--) {
    const size = inShape[d] as number;
    out[d + lead] = size === 1 ? 0 : s;
    s *= size;
  }
  return out;
}

/**
 * Product of the dimensions of `shape` in `[from, to)`.
 *
 * @example
 * ```ts
 * product([2, 3, 4], 1, 3); // 12
 * ```
 */
export function product(shape: Shape, from = 0, to = shape.length): number {
  let n = 1;
  for (let d = from; d < to; d++) n *= shape[d] as number;
  return n;
}
