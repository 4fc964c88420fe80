import type { FusedActivation, TypedArray } from "@tapegrad/core";
import type { Allocator, ArrayView } from "../kernel_types.js";
import { product } from "../strided.js";
import { type FloatArray, matmul2d, matmul2dInt32, matmulDims2d } from "./matmul.js";

/**
 * Logistic sigmoid in the form that cannot overflow: 1/(1+e^-x) for x ≥ 0 and e^x/(1+e^x)
 * below, so e^(-x) is never evaluated for very negative x.
 *
 * @example
 * ```ts
 * sigmoid({ values: new Float64Array([0]), shape: [1], dtype: "float64" }, alloc); // [0.5]
 * ```
 */
export function sigmoid(x: ArrayView, alloc: Allocator): TypedArray {
  const src = x.values;
  const n = src.length;
  const out = alloc(x.dtype, n, false);
  for (let i = 0; i < n; i++) out[i] = sigmoidScalar(src[i] as number);
  return out;
}

function sigmoidScalar(v: number): number {
  if (v >= 0) return 1 / (1 + Math.exp(-v));
  const e = Math.exp(v);
  return e / (1 + e);
}

/**
 * Softmax along the last axis, one row at a time: the row maximum is subtracted before
 * exponentiating (so large logits do not overflow) and the sum runs in doubles.
 *
 * @example
 * ```ts
 * softmax({ values: new Float32Array([0, 0]), shape: [1, 2], dtype: "float32" }, alloc); // [0.5, 0.5]
 * ```
 */
export function softmax(x: ArrayView, alloc: Allocator): TypedArray {
  const src = x.values;
  const n = src.length;
  const out = alloc(x.dtype, n, false);
  const rank = x.shape.length;
  const len = rank === 0 ? 1 : (x.shape[rank - 1] as number);
  const rows = len === 0 ? 0 : product(x.shape, 0, rank - 1);
  for (let r = 0; r < rows; r++) {
    const start = r * len;
    const end = start + len;
    let max = Number.NEGATIVE_INFINITY;
    for (let i = start; i < end; i++) {
      const v = src[i] as number;
      if (v > max || Number.isNaN(v)) max = v;
    }
    let sum = 0;
    for (let i = start; i < end; i++) {
      const e = Math.exp((src[i] as number) - max);
      out[i] = e;
      sum += e;
    }
    for (let i = start; i < end; i++) out[i] = (out[i] as number) / sum;
  }
  return out;
}

/**
 * act(op(a)·op(b) + bias) for 2-D a and b, with bias of shape [n] or null: the product runs in
 * {@link matmul2d} (transposes inside the kernel) and bias and activation are applied in one
 * pass over the result while it is still in cache.
 *
 * @example
 * ```ts
 * matmulBiasAct(x, w, bias, "relu", false, false, alloc); // x: [256, 784], w: [784, 128]
 * ```
 */
export function matmulBiasAct(
  a: ArrayView,
  b: ArrayView,
  bias: ArrayView | null,
  activation: FusedActivation,
  transA: boolean,
  transB: boolean,
  alloc: Allocator,
): TypedArray {
  const { m, k, n } = matmulDims2d(a, b, transA, transB);
  const out = alloc(a.dtype, m * n, false);
  if (a.dtype === "int32") {
    matmul2dInt32(a.values as Int32Array, 0, b.values as Int32Array, 0, out as Int32Array, 0, m, k, n, transA, transB);
  } else {
    matmul2d(a.values as FloatArray, 0, b.values as FloatArray, 0, out as FloatArray, 0, m, k, n, transA, transB);
  }
  if (bias !== null) {
    const bv = bias.values;
    for (let i = 0, o = 0; i < m; i++) {
      for (let j = 0; j < n; j++, o++) out[o] = (out[o] as number) + (bv[j] as number);
    }
  }
  const size = m * n;
  switch (activation) {
    case "linear":
      break;
    case "relu":
      for (let i = 0; i < size; i++) {
        const v = out[i] as number;
        out[i] = v > 0 || Number.isNaN(v) ? v : 0;
      }
      break;
    case "sigmoid":
      for (let i = 0; i < size; i++) out[i] = sigmoidScalar(out[i] as number);
      break;
    case "tanh":
      for (let i = 0; i < size; i++) out[i] = Math.tanh(out[i] as number);
      break;
  }
  return out;
}
