import type { DType } from "@tapegrad/core";
import type { Dispatcher } from "../dispatch.js";
import { arangeSource, fillSource } from "../shaders/creation.js";
import type { WebGLData } from "../tensor_data.js";

/**
 * `size` elements equal to `value` (as the dtype stores it).
 *
 * @example
 * ```ts
 * const zeros = fill(d, 784, 0, "float32");
 * ```
 */
export function fill(d: Dispatcher, size: number, value: number, dtype: DType): WebGLData {
  const out = d.alloc(size, dtype);
  d.run(fillSource(dtype, d.rowShift), {}, { uValue: dtype === "int32" ? value | 0 : value }, out);
  return out;
}

/**
 * start, start + step, … (`size` elements), each `start + i·step` — exact in int for int32
 * with integer start and step, else in float32.
 *
 * @example
 * ```ts
 * const idx = arange(d, 0, 1, 10, "int32");
 * ```
 */
export function arange(d: Dispatcher, start: number, step: number, size: number, dtype: DType): WebGLData {
  const out = d.alloc(size, dtype);
  const integerSteps = isInt32(start) && isInt32(step);
  d.run(arangeSource(dtype, integerSteps, d.rowShift), {}, { uStart: start, uStep: step }, out);
  return out;
}

function isInt32(v: number): boolean {
  return Number.isInteger(v) && v >= -(2 ** 31) && v < 2 ** 31;
}
