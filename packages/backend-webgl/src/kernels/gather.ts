import { type Shape, sizeOf } from "@tapegrad/core";
import type { Dispatcher, Operand } from "../dispatch.js";
import { gatherSource, scatterAddSource } from "../shaders/gather.js";
import type { WebGLData } from "../tensor_data.js";

/**
 * Takes slices of x along `axis` at `indices`: output shape
 * x.shape[:axis] ++ indices.shape ++ x.shape[axis+1:].
 *
 * @example
 * ```ts
 * const rows = gather(d, table, ids, 0);
 * ```
 */
export function gather(d: Dispatcher, x: Operand, indices: Operand, axis: number): WebGLData {
  const count = indices.data.size;
  const inner = sizeOf(x.shape.slice(axis + 1));
  const out = d.alloc(sizeOf(x.shape.slice(0, axis)) * count * inner, x.dtype);
  d.run(
    gatherSource(x.dtype, d.rowShift),
    { X: x.data, I: indices.data },
    { uCount: count, uInner: inner, uLen: x.shape[axis] as number },
    out,
  );
  return out;
}

/**
 * The adjoint of {@link gather}: zeros of `outShape` into which each slice of `updates` is
 * added at its index along `axis`; repeated indices accumulate.
 *
 * @example
 * ```ts
 * const tableGrad = scatterAdd(d, rowGrads, ids, 0, [1000, 64]);
 * ```
 */
export function scatterAdd(
  d: Dispatcher,
  updates: Operand,
  indices: Operand,
  axis: number,
  outShape: Shape,
): WebGLData {
  const out = d.alloc(sizeOf(outShape), updates.dtype);
  d.run(
    scatterAddSource(updates.dtype, d.rowShift),
    { U: updates.data, I: indices.data },
    { uCount: indices.data.size, uInner: sizeOf(outShape.slice(axis + 1)), uLen: outShape[axis] as number },
    out,
  );
  return out;
}
