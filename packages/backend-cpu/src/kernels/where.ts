import type { Shape, TypedArray } from "@tapegrad/core";
import type { Allocator, ArrayView } from "../kernel_types.js";
import { broadcastStrides, planStrided, product } from "../strided.js";

/**
 * `cond ? a : b` elementwise, all three broadcast to `outShape`; the output has a's dtype.
 * Any non-zero condition counts as true.
 *
 * @example
 * ```ts
 * where(cond, a, b, [2, 3], alloc);
 * ```
 */
export function where(cond: ArrayView, a: ArrayView, b: ArrayView, outShape: Shape, alloc: Allocator): TypedArray {
  const n = product(outShape);
  const out = alloc(a.dtype, n, false);
  if (n === 0) return out;
  const cv = cond.values;
  const av = a.values;
  const bv = b.values;
  // A full condition with full or scalar branches (relu's where(x > 0, x, 0), the gradients of
  // maximum and minimum): stride-free loops, a scalar branch read once.
  if (cv.length === n && (av.length === n || av.length === 1) && (bv.length === n || bv.length === 1)) {
    whereContiguous(cv, av, bv, out, n);
    return out;
  }
  const plan = planStrided(outShape, [
    broadcastStrides(cond.shape, outShape),
    broadcastStrides(a.shape, outShape),
    broadcastStrides(b.shape, outShape),
  ]);
  const offC = plan.offsets[0] as Int32Array;
  const offA = plan.offsets[1] as Int32Array;
  const offB = plan.offsets[2] as Int32Array;
  const sc = plan.innerStrides[0] as number;
  const sa = plan.innerStrides[1] as number;
  const sb = plan.innerStrides[2] as number;
  const inner = plan.inner;
  let o = 0;
  for (let r = 0; r < plan.rows; r++) {
    let ic = offC[r] as number;
    let ia = offA[r] as number;
    let ib = offB[r] as number;
    for (let j = 0; j < inner; j++, ic += sc, ia += sa, ib += sb) {
      out[o++] = cv[ic] !== 0 ? (av[ia] as number) : (bv[ib] as number);
    }
  }
  return out;
}

function whereContiguous(cv: TypedArray, av: TypedArray, bv: TypedArray, out: TypedArray, n: number): void {
  const aFull = av.length === n;
  const bFull = bv.length === n;
  if (aFull && bFull) {
    for (let i = 0; i < n; i++) out[i] = cv[i] !== 0 ? (av[i] as number) : (bv[i] as number);
  } else if (aFull) {
    const s = bv[0] as number;
    for (let i = 0; i < n; i++) out[i] = cv[i] !== 0 ? (av[i] as number) : s;
  } else if (bFull) {
    const s = av[0] as number;
    for (let i = 0; i < n; i++) out[i] = cv[i] !== 0 ? s : (bv[i] as number);
  } else {
    const sa = av[0] as number;
    const sb = bv[0] as number;
    for (let i = 0; i < n; i++) out[i] = cv[i] !== 0 ? sa : sb;
  }
}
