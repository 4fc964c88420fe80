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
  const plan = planStrided(outShape, [
    broadcastStrides(cond.shape, outShape),
    broadcastStrides(a.shape, outShape),
    broadcastStrides(b.shape, outShape),
  ]);
  const cv = cond.values;
  const av = a.values;
  const bv = b.values;
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
