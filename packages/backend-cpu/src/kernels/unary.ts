import type { DType, TypedArray, UnaryOp } from "@tapegrad/core";
import type { Allocator, ArrayView } from "../kernel_types.js";
import { logF32 } from "./log_f32.js";

type Writable = TypedArray | Float64Array;

/**
 * The output dtype of a unary op: bool for logicalNot, else the input's.
 *
 * @example
 * ```ts
 * unaryOutDType("logicalNot", "float32"); // "bool"
 * ```
 */
export function unaryOutDType(op: UnaryOp, dtype: DType): DType {
  return op === "logicalNot" ? "bool" : dtype;
}

/**
 * Elementwise unary op. Math runs in doubles and the store into the output array does the
 * rest: float32 rounds, int32 truncates and wraps like `| 0`. A bool result of an arithmetic
 * op is computed in doubles first and then mapped to 0/1, because a Uint8Array store would
 * turn -1 into 255 rather than true. `round` rounds half to even, as NumPy and PyTorch do.
 *
 * @example
 * ```ts
 * unary("exp", { values: new Float64Array([0]), shape: [1], dtype: "float64" }, alloc); // [1]
 * ```
 */
export function unary(op: UnaryOp, x: ArrayView, alloc: Allocator): TypedArray {
  const n = x.values.length;
  const outDType = unaryOutDType(op, x.dtype);
  const out = alloc(outDType, n, false);
  if (outDType === "bool" && op !== "logicalNot") {
    const tmp = new Float64Array(n);
    applyUnary(op, x.values, tmp, n);
    for (let i = 0; i < n; i++) out[i] = tmp[i] !== 0 ? 1 : 0;
  } else {
    applyUnary(op, x.values, out, n);
  }
  return out;
}

/**
 * Rounds half to even (2.5 → 2, 3.5 → 4), NumPy's rule, which avoids the upward bias of
 * `Math.round` when many values sit on halves.
 *
 * @example
 * ```ts
 * roundHalfEven(-2.5); // -2
 * ```
 */
export function roundHalfEven(v: number): number {
  const f = Math.floor(v);
  const d = v - f;
  const r = d > 0.5 ? f + 1 : d < 0.5 ? f : f % 2 === 0 ? f : f + 1;
  // Keep the sign of zero (-0.4 → -0) as NumPy does; v * 0 is ±0 with v's sign.
  return r === 0 ? v * 0 : r;
}

// One loop per op, with the switch outside, so each loop is monomorphic in the operation.
function applyUnary(op: UnaryOp, x: TypedArray, out: Writable, n: number): void {
  switch (op) {
    case "neg":
      for (let i = 0; i < n; i++) out[i] = -(x[i] as number);
      return;
    case "exp":
      for (let i = 0; i < n; i++) out[i] = Math.exp(x[i] as number);
      return;
    case "log":
      if (x instanceof Float32Array && out instanceof Float32Array) logF32(x, out, n);
      else for (let i = 0; i < n; i++) out[i] = Math.log(x[i] as number);
      return;
    case "log1p":
      for (let i = 0; i < n; i++) out[i] = Math.log1p(x[i] as number);
      return;
    case "sqrt":
      for (let i = 0; i < n; i++) out[i] = Math.sqrt(x[i] as number);
      return;
    case "abs":
      for (let i = 0; i < n; i++) out[i] = Math.abs(x[i] as number);
      return;
    case "sign":
      for (let i = 0; i < n; i++) out[i] = Math.sign(x[i] as number);
      return;
    case "sin":
      for (let i = 0; i < n; i++) out[i] = Math.sin(x[i] as number);
      return;
    case "cos":
      for (let i = 0; i < n; i++) out[i] = Math.cos(x[i] as number);
      return;
    case "tanh":
      for (let i = 0; i < n; i++) out[i] = Math.tanh(x[i] as number);
      return;
    case "reciprocal":
      for (let i = 0; i < n; i++) out[i] = 1 / (x[i] as number);
      return;
    case "floor":
      for (let i = 0; i < n; i++) out[i] = Math.floor(x[i] as number);
      return;
    case "ceil":
      for (let i = 0; i < n; i++) out[i] = Math.ceil(x[i] as number);
      return;
    case "round":
      for (let i = 0; i < n; i++) out[i] = roundHalfEven(x[i] as number);
      return;
    case "logicalNot":
      for (let i = 0; i < n; i++) out[i] = x[i] === 0 ? 1 : 0;
      return;
  }
}
