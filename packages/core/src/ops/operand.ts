import type { DType } from "../dtype.js";
import { getBackend, makeTensor } from "../engine.js";
import { ArgumentError } from "../errors.js";
import type { Tensor, TensorLike } from "../tensor.js";
import { cast } from "./cast.js";

/**
 * @internal The dtype a plain number takes next to a tensor of `dtype`: numbers are weakly typed (as in
 * JAX), so `x + 1` keeps x's dtype; a fraction next to an integer or bool tensor is float32.
 */
export function scalarDTypeFor(value: number, dtype: DType): DType {
  if (dtype === "float32" || dtype === "float64") return dtype;
  return Number.isInteger(value) ? "int32" : "float32";
}

/** @internal A scalar tensor for a number operand; the caller disposes it after the op. */
export function scalarTensor(value: number, dtype: DType): Tensor {
  const backend = getBackend();
  return makeTensor(backend.fill(1, value, dtype), [], dtype, backend);
}

/**
 * @internal Runs `body` with both operands as tensors, creating (and afterwards freeing) scalar tensors
 * for plain numbers.
 */
export function withOperands<T>(op: string, a: TensorLike, b: TensorLike, body: (a: Tensor, b: Tensor) => T): T {
  if (typeof a === "number" && typeof b === "number") {
    throw new ArgumentError(`${op}: got two numbers, expected at least one tensor operand`);
  }
  const ta = typeof a === "number" ? scalarTensor(a, scalarDTypeFor(a, (b as Tensor).dtype)) : a;
  const tb = typeof b === "number" ? scalarTensor(b, scalarDTypeFor(b, ta.dtype)) : b;
  try {
    return body(ta, tb);
  } finally {
    if (ta !== a) ta.dispose();
    if (tb !== b) tb.dispose();
  }
}

/**
 * @internal Runs `body` with every tensor of `xs` cast to `dtype` (uncast where it already has it), then
 * frees the casts, also when a cast or the body throws.
 */
export function withCasts<T>(xs: readonly Tensor[], dtype: DType, body: (cast: Tensor[]) => T): T {
  const made: Tensor[] = [];
  try {
    const cs = xs.map((x) => {
      if (x.dtype === dtype) return x;
      const c = cast(x, dtype);
      made.push(c);
      return c;
    });
    return body(cs);
  } finally {
    for (const t of made) t.dispose();
  }
}
