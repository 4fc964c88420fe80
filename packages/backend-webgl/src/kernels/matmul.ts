import { type FusedActivation, type Shape, sizeOf, stridesOf } from "@tapegrad/core";
import type { Dispatcher, Operand } from "../dispatch.js";
import { broadcastStrides } from "../shaders/access.js";
import { uniformArray } from "../shaders/indexing.js";
import { matmulSource } from "../shaders/matmul.js";
import type { WebGLData } from "../tensor_data.js";

/**
 * Batched op(a)·op(b) into `outShape`, optionally plus a bias row of length n and an
 * activation (the fused dense kernel). Transposes only change the strides the shader walks.
 *
 * @example
 * ```ts
 * const y = matmul(d, x, w, false, false, [8, 32]);
 * const h = matmul(d, x, w, false, false, [8, 32], bias, "relu");
 * ```
 */
export function matmul(
  d: Dispatcher,
  a: Operand,
  b: Operand,
  transposeA: boolean,
  transposeB: boolean,
  outShape: Shape,
  bias: Operand | null = null,
  activation: FusedActivation = "linear",
): WebGLData {
  const rank = outShape.length;
  const ar = a.shape.length;
  const br = b.shape.length;
  const m = outShape[rank - 2] as number;
  const n = outShape[rank - 1] as number;
  const k = (transposeA ? a.shape[ar - 2] : a.shape[ar - 1]) as number;
  const batchShape = outShape.slice(0, rank - 2);
  const out = d.alloc(sizeOf(outShape), a.dtype);
  const inputs: Record<string, WebGLData> = { A: a.data, B: b.data };
  if (bias !== null) inputs["Bias"] = bias.data;
  d.run(
    matmulSource(a.dtype, batchShape.length, bias !== null, activation, d.rowShift),
    inputs,
    {
      uM: m,
      uN: n,
      uK: k,
      // A(i, p) sits at i·uASi + p·uASp, B(p, j) at p·uBSp + j·uBSj, in their stored layouts.
      uASi: transposeA ? 1 : k,
      uASp: transposeA ? m : 1,
      uBSp: transposeB ? 1 : n,
      uBSj: transposeB ? k : 1,
      uBatchStrides: uniformArray(stridesOf(batchShape)),
      uABatch: uniformArray(broadcastStrides(a.shape.slice(0, ar - 2), batchShape).map((s) => s * m * k)),
      uBBatch: uniformArray(broadcastStrides(b.shape.slice(0, br - 2), batchShape).map((s) => s * k * n)),
    },
    out,
  );
  return out;
}
