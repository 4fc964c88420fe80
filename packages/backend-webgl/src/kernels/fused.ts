import type { Dispatcher, Operand } from "../dispatch.js";
import { sigmoidSource, softmaxSource } from "../shaders/softmax.js";
import type { WebGLData } from "../tensor_data.js";

/**
 * The fused logistic sigmoid.
 *
 * @example
 * ```ts
 * const p = sigmoid(d, logits);
 * ```
 */
export function sigmoid(d: Dispatcher, x: Operand): WebGLData {
  const out = d.alloc(x.data.size, x.dtype);
  d.run(sigmoidSource(x.dtype, d.rowShift), { X: x.data }, {}, out);
  return out;
}

/**
 * The fused softmax along the last axis.
 *
 * @example
 * ```ts
 * const probs = softmax(d, logits);
 * ```
 */
export function softmax(d: Dispatcher, x: Operand): WebGLData {
  const out = d.alloc(x.data.size, x.dtype);
  const len = x.shape.length === 0 ? 1 : (x.shape[x.shape.length - 1] as number);
  d.run(softmaxSource(x.dtype, d.rowShift), { X: x.data }, { uLen: len }, out);
  return out;
}
