import type { AdamHyper, TypedArray } from "@tapegrad/core";
import type { Allocator, ArrayView } from "../kernel_types.js";
import type { FloatArray } from "./matmul.js";

/**
 * One Adam step over a whole parameter in a single pass, into three fresh arrays:
 * m' = m + (g − m)(1 − β₁), v' = v + (g² − v)(1 − β₂), p' = p − stepSize·m'/(√v' + ε). The
 * composed form is twelve elementwise passes and eleven temporaries per parameter. m' and v'
 * are rounded to the storage dtype before p' uses them, as the composed form does.
 *
 * @example
 * ```ts
 * const [p1, m1, v1] = adamUpdate(p, g, m, v, { stepSize: 1e-3, beta1: 0.9, beta2: 0.999, epsilon: 1e-7 }, alloc);
 * ```
 */
export function adamUpdate(
  param: ArrayView,
  grad: ArrayView,
  m: ArrayView,
  v: ArrayView,
  hyper: AdamHyper,
  alloc: Allocator,
): [TypedArray, TypedArray, TypedArray] {
  const p = param.values as FloatArray;
  const g = grad.values as FloatArray;
  const mv = m.values as FloatArray;
  const vv = v.values as FloatArray;
  const n = p.length;
  const dtype = param.dtype;
  const pOut = alloc(dtype, n, false) as FloatArray;
  const mOut = alloc(dtype, n, false) as FloatArray;
  const vOut = alloc(dtype, n, false) as FloatArray;
  const c1 = 1 - hyper.beta1;
  const c2 = 1 - hyper.beta2;
  const step = hyper.stepSize;
  const eps = hyper.epsilon;
  for (let i = 0; i < n; i++) {
    const gi = g[i] as number;
    const mi = mv[i] as number;
    const vi = vv[i] as number;
    mOut[i] = mi + (gi - mi) * c1;
    vOut[i] = vi + (gi * gi - vi) * c2;
    // Read back the stored (rounded) moments so p' uses exactly the m' and v' that persist.
    pOut[i] = (p[i] as number) - ((mOut[i] as number) * step) / (Math.sqrt(vOut[i] as number) + eps);
  }
  return [pOut, mOut, vOut];
}
