import { type BinaryOp, type DType, type Shape, sizeOf, stridesOf, type UnaryOp } from "@tapegrad/core";
import type { Dispatcher, Operand } from "../dispatch.js";
import { outputsBool } from "../op_names.js";
import { accessOf, accessUniforms } from "../shaders/access.js";
import { binarySource } from "../shaders/binary.js";
import { castSource, unarySource } from "../shaders/unary.js";
import { whereSource } from "../shaders/where.js";
import type { WebGLData } from "../tensor_data.js";

/**
 * Elementwise unary op; the output has x's dtype, except bool for logicalNot.
 *
 * @example
 * ```ts
 * const y = unary(d, "exp", { data, shape: [2, 3], dtype: "float32" });
 * ```
 */
export function unary(d: Dispatcher, op: UnaryOp, x: Operand): WebGLData {
  const outDtype: DType = op === "logicalNot" ? "bool" : x.dtype;
  const out = d.alloc(x.data.size, outDtype);
  d.run(unarySource(op, x.dtype, outDtype, d.rowShift), { X: x.data }, {}, out);
  return out;
}

/**
 * Converts x to `dtype` (truncation toward zero for int32, "not zero" for bool).
 *
 * @example
 * ```ts
 * const ints = cast(d, x, "int32");
 * ```
 */
export function cast(d: Dispatcher, x: Operand, dtype: DType): WebGLData {
  const out = d.alloc(x.data.size, dtype);
  d.run(castSource(x.dtype, dtype, d.rowShift), { X: x.data }, {}, out);
  return out;
}

/**
 * Elementwise binary op with NumPy broadcasting to `outShape`; bool output for comparisons
 * and logical ops.
 *
 * @example
 * ```ts
 * const z = binary(d, "add", x, bias, [8, 784]); // bias [784] is read as a tile
 * ```
 */
export function binary(d: Dispatcher, op: BinaryOp, a: Operand, b: Operand, outShape: Shape): WebGLData {
  const outDtype: DType = outputsBool(op) ? "bool" : a.dtype;
  const out = d.alloc(sizeOf(outShape), outDtype);
  const accA = accessOf(a.shape, outShape);
  const accB = accessOf(b.shape, outShape);
  d.run(
    binarySource(op, a.dtype, outDtype, accA, accB, outShape.length, d.rowShift),
    { A: a.data, B: b.data },
    {
      uOutStrides: padded(stridesOf(outShape)),
      ...accessUniforms("A", accA, a.shape, outShape),
      ...accessUniforms("B", accB, b.shape, outShape),
    },
    out,
  );
  return out;
}

/**
 * `cond ? a : b` with all three broadcast to `outShape`; the output has a's dtype.
 *
 * @example
 * ```ts
 * const y = where(d, positive, x, zero, x.shape);
 * ```
 */
export function where(d: Dispatcher, cond: Operand, a: Operand, b: Operand, outShape: Shape): WebGLData {
  const out = d.alloc(sizeOf(outShape), a.dtype);
  const access = [accessOf(cond.shape, outShape), accessOf(a.shape, outShape), accessOf(b.shape, outShape)] as const;
  d.run(
    whereSource(a.dtype, access, outShape.length, d.rowShift),
    { C: cond.data, A: a.data, B: b.data },
    {
      uOutStrides: padded(stridesOf(outShape)),
      ...accessUniforms("C", access[0], cond.shape, outShape),
      ...accessUniforms("A", access[1], a.shape, outShape),
      ...accessUniforms("B", access[2], b.shape, outShape),
    },
    out,
  );
  return out;
}

function padded(values: readonly number[]): readonly number[] {
  return values.length === 0 ? [0] : values;
}
