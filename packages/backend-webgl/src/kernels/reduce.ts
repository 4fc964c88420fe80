import { type DType, type ReduceOp, type Shape, sizeOf, stridesOf } from "@tapegrad/core";
import type { Dispatcher, Operand } from "../dispatch.js";
import { uniformArray } from "../shaders/indexing.js";
import { argReduceSource, reduceSource } from "../shaders/reduce.js";
import type { WebGLData } from "../tensor_data.js";
import { fill } from "./creation.js";

/**
 * The axes of a reduction after simplification: size-1 axes dropped and neighbouring axes
 * of the same kind (kept or reduced) merged, each group with its size and input stride.
 * Reducing [8, 784] over axis 0 becomes one kept group (784, stride 1) and one reduced group
 * (8, stride 784), so the shader loops once however many axes the tensor had.
 *
 * @example
 * ```ts
 * planReduce([2, 3, 4], [1, 2]); // kept [{size 2, stride 12}], reduced [{size 12, stride 1}]
 * ```
 */
export function planReduce(
  shape: Shape,
  axes: readonly number[],
): { kept: { size: number; stride: number }[]; reduced: { size: number; stride: number }[] } {
  const strides = stridesOf(shape);
  const kept: { size: number; stride: number }[] = [];
  const reduced: { size: number; stride: number }[] = [];
  let lastKind: "kept" | "reduced" | null = null;
  shape.forEach((size, axis) => {
    if (size === 1) return;
    const kind = axes.includes(axis) ? "reduced" : "kept";
    const groups = kind === "kept" ? kept : reduced;
    const stride = strides[axis] as number;
    const last = groups[groups.length - 1];
    // Row-major storage: an axis directly after another of its kind is contiguous with it.
    if (kind === lastKind && last !== undefined) {
      last.size *= size;
      last.stride = stride;
    } else {
      groups.push({ size, stride });
    }
    lastKind = kind;
  });
  return { kept, reduced };
}

/**
 * Reduces x over `axes`; dtype is x's except that a sum of bool is int32.
 *
 * @example
 * ```ts
 * const colSums = reduce(d, "sum", x, [0]);
 * ```
 */
export function reduce(d: Dispatcher, op: ReduceOp, x: Operand, axes: readonly number[]): WebGLData {
  const outDtype: DType = op === "sum" && x.dtype === "bool" ? "int32" : x.dtype;
  const { kept, reduced } = planReduce(x.shape, axes);
  const outSize = sizeOf(x.shape.filter((_, axis) => !axes.includes(axis)));
  if (op !== "sum" && outDtype !== "float32" && reduced.some((g) => g.size === 0)) {
    // An empty max/min is ∓Infinity, which the CPU's Int32Array and Uint8Array stores turn into 0.
    return fill(d, outSize, 0, outDtype);
  }
  const out = d.alloc(outSize, outDtype);
  d.run(
    reduceSource(op, x.dtype, outDtype, kept.length, reduced.length, d.rowShift),
    { X: x.data },
    {
      uOutStrides: uniformArray(stridesOf(kept.map((g) => g.size))),
      uKeptStrides: uniformArray(kept.map((g) => g.stride)),
      uRedSizes: uniformArray(reduced.map((g) => g.size)),
      uRedStrides: uniformArray(reduced.map((g) => g.stride)),
    },
    out,
  );
  return out;
}

/**
 * Index (int32) of the first maximum or minimum along `axis`.
 *
 * @example
 * ```ts
 * const labels = argReduce(d, "argmax", logits, 1);
 * ```
 */
export function argReduce(d: Dispatcher, op: "argmax" | "argmin", x: Operand, axis: number): WebGLData {
  const len = x.shape[axis] as number;
  const inner = sizeOf(x.shape.slice(axis + 1));
  const outSize = sizeOf(x.shape.slice(0, axis)) * inner;
  const out = d.alloc(outSize, "int32");
  d.run(argReduceSource(op, x.dtype, d.rowShift), { X: x.data }, { uLen: len, uInner: inner }, out);
  return out;
}
