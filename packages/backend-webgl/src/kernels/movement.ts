import { type Shape, sizeOf, stridesOf } from "@tapegrad/core";
import type { Dispatcher, Operand } from "../dispatch.js";
import { broadcastStrides } from "../shaders/access.js";
import { uniformArray } from "../shaders/indexing.js";
import { padSource, stridedCopySource } from "../shaders/strided_copy.js";
import type { WebGLData } from "../tensor_data.js";

function stridedCopy(d: Dispatcher, x: Operand, outShape: Shape, strides: readonly number[], base: number): WebGLData {
  const out = d.alloc(sizeOf(outShape), x.dtype);
  d.run(
    stridedCopySource(x.dtype, outShape.length, d.rowShift),
    { X: x.data },
    { uOutStrides: uniformArray(stridesOf(outShape)), uXStrides: uniformArray(strides), uXBase: base },
    out,
  );
  return out;
}

/**
 * Permutes axes: output axis k is input axis perm[k], read through permuted strides.
 *
 * @example
 * ```ts
 * const xt = transpose(d, x, [1, 0]);
 * ```
 */
export function transpose(d: Dispatcher, x: Operand, perm: readonly number[]): WebGLData {
  const strides = stridesOf(x.shape);
  return stridedCopy(
    d,
    x,
    perm.map((p) => x.shape[p] as number),
    perm.map((p) => strides[p] as number),
    0,
  );
}

/**
 * Repeats size-1 (or missing leading) axes of x up to `shape`, through zero strides.
 *
 * @example
 * ```ts
 * const tiled = broadcastTo(d, bias, [8, 784]);
 * ```
 */
export function broadcastTo(d: Dispatcher, x: Operand, shape: Shape): WebGLData {
  return stridedCopy(d, x, shape, broadcastStrides(x.shape, shape), 0);
}

/**
 * The box of extent `size` starting at `begin`.
 *
 * @example
 * ```ts
 * const firstRows = slice(d, x, [0, 0], [2, 784]);
 * ```
 */
export function slice(d: Dispatcher, x: Operand, begin: readonly number[], size: readonly number[]): WebGLData {
  const strides = stridesOf(x.shape);
  let base = 0;
  begin.forEach((b, axis) => {
    base += b * (strides[axis] as number);
  });
  return stridedCopy(d, x, size, strides, base);
}

/**
 * Pads each axis with `[before, after]` elements equal to `value` (converted like a store of
 * the dtype: truncated for int32, "not zero" for bool).
 *
 * @example
 * ```ts
 * const framed = pad(d, image, [[1, 1], [1, 1]], 0);
 * ```
 */
export function pad(
  d: Dispatcher,
  x: Operand,
  paddings: readonly (readonly [number, number])[],
  value: number,
): WebGLData {
  const outShape = x.shape.map((size, axis) => {
    const [before, after] = paddings[axis] as readonly [number, number];
    return size + before + after;
  });
  const out = d.alloc(sizeOf(outShape), x.dtype);
  d.run(
    padSource(x.dtype, outShape.length, d.rowShift),
    { X: x.data },
    {
      uOutStrides: uniformArray(stridesOf(outShape)),
      uBefore: uniformArray(paddings.map((p) => p[0])),
      uInShape: uniformArray(x.shape),
      uXStrides: uniformArray(stridesOf(x.shape)),
      // Stored as the dtype stores it: ToInt32 for int32 (bool becomes 0/1 on the way out).
      uValue: x.dtype === "int32" ? value | 0 : value,
    },
    out,
  );
  return out;
}
