import type { Shape, TypedArray } from "@tapegrad/core";
import { sizeOf, stridesOf } from "@tapegrad/core";
import type { Allocator, ArrayView } from "../kernel_types.js";
import { broadcastStrides } from "../strided.js";
import { copyStrided } from "./copy_strided.js";

/**
 * Materialises x broadcast to `shape`: size-1 and missing leading axes repeat.
 *
 * @example
 * ```ts
 * broadcastTo({ values: new Int32Array([1, 2]), shape: [2], dtype: "int32" }, [2, 2], alloc);
 * // [1, 2, 1, 2]
 * ```
 */
export function broadcastTo(x: ArrayView, shape: Shape, alloc: Allocator): TypedArray {
  const out = alloc(x.dtype, sizeOf(shape), false);
  copyStrided(x.values, shape, broadcastStrides(x.shape, shape), 0, out, stridesOf(shape), 0);
  return out;
}
