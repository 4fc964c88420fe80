import type { AdamHyper, FusedActivation } from "@tapegrad/core";
import type { Dispatcher, Operand } from "../dispatch.js";
import { activationGradSource } from "../shaders/activation_grad.js";
import { type AdamPart, adamUpdateSource } from "../shaders/adam_update.js";
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

/**
 * The fused activation gradient dy·act'(z) read from y = act(z); dy and y share shape and
 * float dtype.
 *
 * @example
 * ```ts
 * const dz = activationGrad(d, dy, y, "relu");
 * ```
 */
export function activationGrad(d: Dispatcher, dy: Operand, y: Operand, activation: FusedActivation): WebGLData {
  const out = d.alloc(dy.data.size, dy.dtype);
  d.run(activationGradSource(activation, dy.dtype, d.rowShift), { DY: dy.data, Y: y.data }, {}, out);
  return out;
}

/**
 * One fused Adam step as fresh storage [param', m', v']; the inputs stay unchanged.
 *
 * @example
 * ```ts
 * const [p1, m1, v1] = adamUpdate(d, p, g, m, v, { stepSize: 1e-3, beta1: 0.9, beta2: 0.999, epsilon: 1e-7 });
 * ```
 */
export function adamUpdate(
  d: Dispatcher,
  param: Operand,
  grad: Operand,
  m: Operand,
  v: Operand,
  hyper: AdamHyper,
): [WebGLData, WebGLData, WebGLData] {
  const inputs = { P: param.data, G: grad.data, M: m.data, V: v.data };
  const uniforms = { uC1: 1 - hyper.beta1, uC2: 1 - hyper.beta2, uStep: hyper.stepSize, uEps: hyper.epsilon };
  const parts: AdamPart[] = ["param", "m", "v"];
  const outs = parts.map((part) => {
    const out = d.alloc(param.data.size, param.dtype);
    d.run(adamUpdateSource(part, param.dtype, d.rowShift), inputs, uniforms, out);
    return out;
  });
  return outs as [WebGLData, WebGLData, WebGLData];
}
