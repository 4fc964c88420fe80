import { sizeOf } from "@tapegrad/core";
import type { Dispatcher, Operand } from "../dispatch.js";
import { concatSource } from "../shaders/strided_copy.js";
import type { WebGLData } from "../tensor_data.js";

/** Inputs joined per draw: a few, so one program per count covers every concat. */
const GROUP = 8;

/**
 * Joins same-dtype tensors along `axis`. Up to {@link GROUP} inputs are joined in one draw;
 * longer lists are joined group by group and the partial results joined again (a
 * concatenation of concatenations along one axis is the concatenation).
 *
 * @example
 * ```ts
 * const joined = concat(d, [a, b, c], 1);
 * ```
 */
export function concat(d: Dispatcher, xs: readonly Operand[], axis: number): WebGLData {
  const first = xs[0] as Operand;
  const outShape = [...first.shape];
  outShape[axis] = xs.reduce((total, x) => total + (x.shape[axis] as number), 0);
  // Inputs with nothing along the axis contribute nothing.
  const parts = xs.filter((x) => (x.shape[axis] as number) > 0);
  if (parts.length === 0 || sizeOf(outShape) === 0) return d.alloc(sizeOf(outShape), first.dtype);
  if (parts.length <= GROUP) return concatGroup(d, parts, axis, outShape);
  const partials: Operand[] = [];
  try {
    for (let start = 0; start < parts.length; start += GROUP) {
      const group = parts.slice(start, start + GROUP);
      const shape = [...first.shape];
      shape[axis] = group.reduce((total, x) => total + (x.shape[axis] as number), 0);
      partials.push({ data: concatGroup(d, group, axis, shape), shape, dtype: first.dtype });
    }
    return concat(d, partials, axis);
  } finally {
    for (const p of partials) d.free(p.data);
  }
}

function concatGroup(d: Dispatcher, xs: readonly Operand[], axis: number, outShape: number[]): WebGLData {
  const first = xs[0] as Operand;
  const out = d.alloc(sizeOf(outShape), first.dtype);
  const starts: number[] = [];
  let start = 0;
  for (const x of xs) {
    starts.push(start);
    start += x.shape[axis] as number;
  }
  const inputs: Record<string, WebGLData> = {};
  xs.forEach((x, k) => {
    inputs[`X${k}`] = x.data;
  });
  d.run(
    concatSource(first.dtype, xs.length, d.rowShift),
    inputs,
    {
      uAxisTotal: outShape[axis] as number,
      uInner: sizeOf(outShape.slice(axis + 1)),
      uStart: starts,
      uLen: xs.map((x) => x.shape[axis] as number),
    },
    out,
  );
  return out;
}
