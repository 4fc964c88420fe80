import type { Shape, TypedArray } from "@tapegrad/core";
import { BackendError } from "@tapegrad/core";
import type { Allocator, ArrayView } from "../kernel_types.js";
import { broadcastStrides, elementOffsets, product } from "../strided.js";

/**
 * A float matrix in row-major storage.
 *
 * @example
 * ```ts
 * const m: FloatArray = new Float32Array(6);
 * ```
 */
export type FloatArray = Float32Array | Float64Array;

// Blocking sizes, in elements. The B panel of the axpy kernel (KC × NC) and the B rows of the dot
// kernel (DOT_PANEL elements) are sized to stay in a 256 KiB L2 even for float64, while four
// output rows of NC elements stay in L1.
const KC = 128;
const NC = 256;
const DOT_PANEL = 32768;

/**
 * out[m×n] = op(A)·op(B) on one pair of row-major matrices starting at the given offsets, where
 * op(A) is m×k (A is stored k×m when `transA`) and op(B) is k×n (stored n×k when `transB`). The
 * output region is overwritten, never accumulated into, and nothing is allocated.
 *
 * Transposes never materialise a copy: with B untransposed the kernel adds multiples of B's
 * contiguous rows into four output rows at once (i-k-j order, blocked over k and n, so each B
 * panel is reused from cache by every 4-row tile); with B transposed each output is a dot
 * product of two contiguous rows, computed four rows by two columns at a time in double
 * accumulators. A transposed A only changes the stride used to fetch A's scalars, which are
 * hoisted out of the inner loop either way. So the backward-pass products Aᵀ·B and A·Bᵀ run
 * as fast as A·B.
 *
 * @example
 * ```ts
 * const a = new Float32Array([1, 2, 3, 4]); // 2×2
 * const out = new Float32Array(4);
 * matmul2d(a, 0, a, 0, out, 0, 2, 2, 2, false, true); // a·aᵀ = [5, 11, 11, 25]
 * ```
 */
export function matmul2d(
  a: FloatArray,
  aOff: number,
  b: FloatArray,
  bOff: number,
  out: FloatArray,
  outOff: number,
  m: number,
  k: number,
  n: number,
  transA: boolean,
  transB: boolean,
): void {
  out.fill(0, outOff, outOff + m * n);
  if (m === 0 || n === 0 || k === 0) return;
  const sAi = transA ? 1 : k;
  const sAp = transA ? m : 1;
  if (transB) dotKernel(a, aOff, sAi, sAp, b, bOff, out, outOff, m, k, n);
  else axpyKernel(a, aOff, sAi, sAp, b, bOff, out, outOff, m, k, n);
}

// out[i, :] += Σp A(i,p) · B[p, :], A(i,p) = a[aOff + i*sAi + p*sAp], B row-major k×n.
function axpyKernel(
  a: FloatArray,
  aOff: number,
  sAi: number,
  sAp: number,
  b: FloatArray,
  bOff: number,
  out: FloatArray,
  outOff: number,
  m: number,
  k: number,
  n: number,
): void {
  for (let j0 = 0; j0 < n; j0 += NC) {
    const j1 = Math.min(n, j0 + NC);
    for (let p0 = 0; p0 < k; p0 += KC) {
      const p1 = Math.min(k, p0 + KC);
      let i = 0;
      for (; i + 4 <= m; i += 4) {
        const o0 = outOff + i * n;
        const o1 = o0 + n;
        const o2 = o1 + n;
        const o3 = o2 + n;
        const r0 = aOff + i * sAi;
        const r1 = r0 + sAi;
        const r2 = r1 + sAi;
        const r3 = r2 + sAi;
        let p = p0;
        for (; p + 4 <= p1; p += 4) {
          const q0 = p * sAp;
          const q1 = q0 + sAp;
          const q2 = q1 + sAp;
          const q3 = q2 + sAp;
          const a00 = a[r0 + q0] as number;
          const a01 = a[r0 + q1] as number;
          const a02 = a[r0 + q2] as number;
          const a03 = a[r0 + q3] as number;
          const a10 = a[r1 + q0] as number;
          const a11 = a[r1 + q1] as number;
          const a12 = a[r1 + q2] as number;
          const a13 = a[r1 + q3] as number;
          const a20 = a[r2 + q0] as number;
          const a21 = a[r2 + q1] as number;
          const a22 = a[r2 + q2] as number;
          const a23 = a[r2 + q3] as number;
          const a30 = a[r3 + q0] as number;
          const a31 = a[r3 + q1] as number;
          const a32 = a[r3 + q2] as number;
          const a33 = a[r3 + q3] as number;
          const b0 = bOff + p * n;
          const b1 = b0 + n;
          const b2 = b1 + n;
          const b3 = b2 + n;
          for (let j = j0; j < j1; j++) {
            const v0 = b[b0 + j] as number;
            const v1 = b[b1 + j] as number;
            const v2 = b[b2 + j] as number;
            const v3 = b[b3 + j] as number;
            out[o0 + j] = (out[o0 + j] as number) + (a00 * v0 + a01 * v1 + a02 * v2 + a03 * v3);
            out[o1 + j] = (out[o1 + j] as number) + (a10 * v0 + a11 * v1 + a12 * v2 + a13 * v3);
            out[o2 + j] = (out[o2 + j] as number) + (a20 * v0 + a21 * v1 + a22 * v2 + a23 * v3);
            out[o3 + j] = (out[o3 + j] as number) + (a30 * v0 + a31 * v1 + a32 * v2 + a33 * v3);
          }
        }
        for (; p < p1; p++) {
          const q = p * sAp;
          const a0 = a[r0 + q] as number;
          const a1 = a[r1 + q] as number;
          const a2 = a[r2 + q] as number;
          const a3 = a[r3 + q] as number;
          const b0 = bOff + p * n;
          for (let j = j0; j < j1; j++) {
            const v = b[b0 + j] as number;
            out[o0 + j] = (out[o0 + j] as number) + a0 * v;
            out[o1 + j] = (out[o1 + j] as number) + a1 * v;
            out[o2 + j] = (out[o2 + j] as number) + a2 * v;
            out[o3 + j] = (out[o3 + j] as number) + a3 * v;
          }
        }
      }
      for (; i < m; i++) {
        const o0 = outOff + i * n;
        const r0 = aOff + i * sAi;
        let p = p0;
        for (; p + 4 <= p1; p += 4) {
          const q0 = p * sAp;
          const a0 = a[r0 + q0] as number;
          const a1 = a[r0 + q0 + sAp] as number;
          const a2 = a[r0 + q0 + 2 * sAp] as number;
          const a3 = a[r0 + q0 + 3 * sAp] as number;
          const b0 = bOff + p * n;
          const b1 = b0 + n;
          const b2 = b1 + n;
          const b3 = b2 + n;
          for (let j = j0; j < j1; j++) {
            out[o0 + j] =
              (out[o0 + j] as number) +
              (a0 * (b[b0 + j] as number) +
                a1 * (b[b1 + j] as number) +
                a2 * (b[b2 + j] as number) +
                a3 * (b[b3 + j] as number));
          }
        }
        for (; p < p1; p++) {
          const a0 = a[r0 + p * sAp] as number;
          const b0 = bOff + p * n;
          for (let j = j0; j < j1; j++) out[o0 + j] = (out[o0 + j] as number) + a0 * (b[b0 + j] as number);
        }
      }
    }
  }
}

// out[i, j] = Σp A(i,p) · B[j, p], A(i,p) = a[aOff + i*sAi + p*sAp], B row-major n×k.
function dotKernel(
  a: FloatArray,
  aOff: number,
  sAi: number,
  sAp: number,
  b: FloatArray,
  bOff: number,
  out: FloatArray,
  outOff: number,
  m: number,
  k: number,
  n: number,
): void {
  const panel = Math.max(2, Math.floor(DOT_PANEL / k));
  for (let j0 = 0; j0 < n; j0 += panel) {
    const j1 = Math.min(n, j0 + panel);
    let i = 0;
    for (; i + 4 <= m; i += 4) {
      const r0 = aOff + i * sAi;
      const r1 = r0 + sAi;
      const r2 = r1 + sAi;
      const r3 = r2 + sAi;
      const o0 = outOff + i * n;
      const o1 = o0 + n;
      const o2 = o1 + n;
      const o3 = o2 + n;
      let j = j0;
      for (; j + 2 <= j1; j += 2) {
        const pb0 = bOff + j * k;
        const pb1 = pb0 + k;
        let c00 = 0;
        let c01 = 0;
        let c10 = 0;
        let c11 = 0;
        let c20 = 0;
        let c21 = 0;
        let c30 = 0;
        let c31 = 0;
        for (let p = 0, q = 0; p < k; p++, q += sAp) {
          const v0 = b[pb0 + p] as number;
          const v1 = b[pb1 + p] as number;
          const x0 = a[r0 + q] as number;
          const x1 = a[r1 + q] as number;
          const x2 = a[r2 + q] as number;
          const x3 = a[r3 + q] as number;
          c00 += x0 * v0;
          c01 += x0 * v1;
          c10 += x1 * v0;
          c11 += x1 * v1;
          c20 += x2 * v0;
          c21 += x2 * v1;
          c30 += x3 * v0;
          c31 += x3 * v1;
        }
        out[o0 + j] = c00;
        out[o0 + j + 1] = c01;
        out[o1 + j] = c10;
        out[o1 + j + 1] = c11;
        out[o2 + j] = c20;
        out[o2 + j + 1] = c21;
        out[o3 + j] = c30;
        out[o3 + j + 1] = c31;
      }
      if (j < j1) {
        const pb0 = bOff + j * k;
        let c0 = 0;
        let c1 = 0;
        let c2 = 0;
        let c3 = 0;
        for (let p = 0, q = 0; p < k; p++, q += sAp) {
          const v = b[pb0 + p] as number;
          c0 += (a[r0 + q] as number) * v;
          c1 += (a[r1 + q] as number) * v;
          c2 += (a[r2 + q] as number) * v;
          c3 += (a[r3 + q] as number) * v;
        }
        out[o0 + j] = c0;
        out[o1 + j] = c1;
        out[o2 + j] = c2;
        out[o3 + j] = c3;
      }
    }
    for (; i < m; i++) {
      const r0 = aOff + i * sAi;
      const o0 = outOff + i * n;
      for (let j = j0; j < j1; j++) {
        const pb0 = bOff + j * k;
        let c = 0;
        for (let p = 0, q = 0; p < k; p++, q += sAp) c += (a[r0 + q] as number) * (b[pb0 + p] as number);
        out[o0 + j] = c;
      }
    }
  }
}

/**
 * {@link matmul2d} for int32: products and sums wrap modulo 2³² exactly like C's int32
 * arithmetic (`Math.imul`), which a double accumulator could not guarantee past 2⁵³.
 *
 * @example
 * ```ts
 * const a = new Int32Array([1, 2, 3, 4]);
 * const out = new Int32Array(4);
 * matmul2dInt32(a, 0, a, 0, out, 0, 2, 2, 2, false, false); // [7, 10, 15, 22]
 * ```
 */
export function matmul2dInt32(
  a: Int32Array,
  aOff: number,
  b: Int32Array,
  bOff: number,
  out: Int32Array,
  outOff: number,
  m: number,
  k: number,
  n: number,
  transA: boolean,
  transB: boolean,
): void {
  out.fill(0, outOff, outOff + m * n);
  const sAi = transA ? 1 : k;
  const sAp = transA ? m : 1;
  const sBp = transB ? 1 : n;
  const sBj = transB ? k : 1;
  for (let i = 0; i < m; i++) {
    const o = outOff + i * n;
    for (let p = 0; p < k; p++) {
      const av = a[aOff + i * sAi + p * sAp] as number;
      const rb = bOff + p * sBp;
      for (let j = 0; j < n; j++) out[o + j] = ((out[o + j] as number) + Math.imul(av, b[rb + j * sBj] as number)) | 0;
    }
  }
}

/**
 * m, k and n of op(a)·op(b) for 2-D a and b: op(a) is m×k (a is stored k×m when `transA`) and
 * op(b) is k×n (stored n×k when `transB`).
 *
 * @example
 * ```ts
 * matmulDims2d({ shape: [784, 256] }, { shape: [784, 128] }, true, false); // { m: 256, k: 784, n: 128 }
 * ```
 */
export function matmulDims2d(
  a: { readonly shape: Shape },
  b: { readonly shape: Shape },
  transA: boolean,
  transB: boolean,
): { m: number; k: number; n: number } {
  const m = (transA ? a.shape[1] : a.shape[0]) as number;
  const k = (transA ? a.shape[0] : a.shape[1]) as number;
  const n = (transB ? b.shape[0] : b.shape[1]) as number;
  return { m, k, n };
}

/**
 * The sizes of a batched matmul and, per output batch, where each operand's matrix starts:
 * a's and b's batch axes broadcast to `outShape`'s, so a broadcast operand's offset repeats
 * instead of its matrix being copied.
 *
 * @example
 * ```ts
 * const plan = planMatmul(a, b, false, true, [8, 64, 32]); // a: [8, 64, 16], b: [32, 16]
 * plan.offB; // [0, 0, 0, 0, 0, 0, 0, 0]: b is shared by every batch
 * ```
 */
export interface MatmulPlan {
  readonly m: number;
  readonly k: number;
  readonly n: number;
  /** Element offset of each batch's matrix in a's storage. */
  readonly offA: ArrayLike<number>;
  /** Element offset of each batch's matrix in b's storage. */
  readonly offB: ArrayLike<number>;
}

/**
 * Plans {@link matmul}: see {@link MatmulPlan}.
 *
 * @example
 * ```ts
 * const { m, k, n, offA } = planMatmul(a, b, false, false, [2, 3]); // offA = [0]
 * ```
 */
export function planMatmul(a: ArrayView, b: ArrayView, transA: boolean, outShape: Shape): MatmulPlan {
  const rank = outShape.length;
  const ar = a.shape.length;
  const br = b.shape.length;
  const m = outShape[rank - 2] as number;
  const n = outShape[rank - 1] as number;
  const k = (transA ? a.shape[ar - 2] : a.shape[ar - 1]) as number;
  const batchShape = outShape.slice(0, rank - 2);
  const aMat = m * k;
  const bMat = k * n;
  const offA = elementOffsets(
    batchShape,
    broadcastStrides(a.shape.slice(0, ar - 2), batchShape).map((s) => s * aMat),
  );
  const offB = elementOffsets(
    batchShape,
    broadcastStrides(b.shape.slice(0, br - 2), batchShape).map((s) => s * bMat),
  );
  return { m, k, n, offA, offB };
}

/**
 * Batched matmul: op(a)·op(b) for every batch index of `outShape` (all but its last two axes),
 * with a's and b's batch axes broadcast to it. Each batch runs {@link matmul2d} (or its int32
 * twin) directly on the operands' storage at that batch's offsets, so broadcast batches are
 * never copied.
 *
 * @example
 * ```ts
 * matmul(a, b, false, true, [8, 64, 32], alloc); // a: [8, 64, 16], b: [32, 16]
 * ```
 */
export function matmul(
  a: ArrayView,
  b: ArrayView,
  transA: boolean,
  transB: boolean,
  outShape: Shape,
  alloc: Allocator,
): TypedArray {
  const { m, k, n, offA, offB } = planMatmul(a, b, transA, outShape);
  const out = alloc(a.dtype, product(outShape), false);
  const outMat = m * n;
  const batches = offA.length;
  if (a.dtype === "int32") {
    for (let t = 0; t < batches; t++) {
      matmul2dInt32(
        a.values as Int32Array,
        offA[t] as number,
        b.values as Int32Array,
        offB[t] as number,
        out as Int32Array,
        t * outMat,
        m,
        k,
        n,
        transA,
        transB,
      );
    }
  } else if (a.dtype === "float32" || a.dtype === "float64") {
    for (let t = 0; t < batches; t++) {
      matmul2d(
        a.values as FloatArray,
        offA[t] as number,
        b.values as FloatArray,
        offB[t] as number,
        out as FloatArray,
        t * outMat,
        m,
        k,
        n,
        transA,
        transB,
      );
    }
  } else {
    throw new BackendError(`cpu: matmul does not support dtype ${a.dtype}`);
  }
  return out;
}
