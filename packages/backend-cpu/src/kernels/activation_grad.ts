import type { FusedActivation, TypedArray } from "@tapegrad/core";
import type { Allocator, ArrayView } from "../kernel_types.js";
import type { FloatArray } from "./matmul.js";

/**
 * dy ⊙ act'(z) read from the activation's output y, in one pass: relu y > 0 ? dy : 0 (0 for
 * a NaN y, as `where(y > 0, dy, 0)` gives), sigmoid dy·(y·(1 − y)), tanh dy·(1 − y·y),
 * linear a copy of dy. The composed form makes two or three passes and a bool temporary.
 * Math runs in doubles with one rounding at the store, so float64 matches the composed ops
 * bit for bit and float32 is within an ulp or two of them.
 *
 * @example
 * ```ts
 * activationGrad(dy, y, "sigmoid", alloc); // dy: [256, 784], y: [256, 784]
 * ```
 */
export function activationGrad(dy: ArrayView, y: ArrayView, activation: FusedActivation, alloc: Allocator): TypedArray {
  const d = dy.values as FloatArray;
  const yv = y.values as FloatArray;
  const n = d.length;
  const out = alloc(dy.dtype, n, false) as FloatArray;
  // One monomorphic loop per activation; typed arrays read and written by index only.
  switch (activation) {
    case "relu":
      for (let i = 0; i < n; i++) out[i] = (yv[i] as number) > 0 ? (d[i] as number) : 0;
      break;
    case "sigmoid":
      for (let i = 0; i < n; i++) {
        const s = yv[i] as number;
        out[i] = (d[i] as number) * (s * (1 - s));
      }
      break;
    case "tanh":
      for (let i = 0; i < n; i++) {
        const t = yv[i] as number;
        out[i] = (d[i] as number) * (1 - t * t);
      }
      break;
    default:
      out.set(d);
  }
  return out;
}
