import { broadcastShape, type RefArray, ravel, size, unravel, zipWith } from "./array.js";

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
