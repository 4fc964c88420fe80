import type { BinaryOp, TypedArray } from "@tapegrad/core";

type Writable = TypedArray | Float64Array;

// Loops for the cases training hits most: operands of the output's size, or one of them a
// single element (a scalar constant). No stride arithmetic and no per-element call, one loop
// per op so each stays monomorphic and V8 can drop bounds checks; a scalar operand is read
// once, outside its loop. Results are those of the strided row kernels in binary.ts (the same
// expressions in the same dtype), which int32 mul (Math.imul) still goes through.

/**
 * out[i] = a[i] op b[i] for i < n.
 *
 * @example
 * ```ts
 * binarySame("mul", x, y, out, x.length);
 * ```
 */
export function binarySame(op: BinaryOp, a: TypedArray, b: TypedArray, out: Writable, n: number): void {
  switch (op) {
    case "add":
      for (let i = 0; i < n; i++) out[i] = (a[i] as number) + (b[i] as number);
      return;
    case "sub":
      for (let i = 0; i < n; i++) out[i] = (a[i] as number) - (b[i] as number);
      return;
    case "mul":
      for (let i = 0; i < n; i++) out[i] = (a[i] as number) * (b[i] as number);
      return;
    case "div":
      for (let i = 0; i < n; i++) out[i] = (a[i] as number) / (b[i] as number);
      return;
    case "pow":
      for (let i = 0; i < n; i++) out[i] = (a[i] as number) ** (b[i] as number);
      return;
    case "maximum":
      for (let i = 0; i < n; i++) out[i] = Math.max(a[i] as number, b[i] as number);
      return;
    case "minimum":
      for (let i = 0; i < n; i++) out[i] = Math.min(a[i] as number, b[i] as number);
      return;
    case "equal":
      for (let i = 0; i < n; i++) out[i] = (a[i] as number) === (b[i] as number) ? 1 : 0;
      return;
    case "notEqual":
      for (let i = 0; i < n; i++) out[i] = (a[i] as number) !== (b[i] as number) ? 1 : 0;
      return;
    case "less":
      for (let i = 0; i < n; i++) out[i] = (a[i] as number) < (b[i] as number) ? 1 : 0;
      return;
    case "lessEqual":
      for (let i = 0; i < n; i++) out[i] = (a[i] as number) <= (b[i] as number) ? 1 : 0;
      return;
    case "greater":
      for (let i = 0; i < n; i++) out[i] = (a[i] as number) > (b[i] as number) ? 1 : 0;
      return;
    case "greaterEqual":
      for (let i = 0; i < n; i++) out[i] = (a[i] as number) >= (b[i] as number) ? 1 : 0;
      return;
    case "logicalAnd":
      for (let i = 0; i < n; i++) out[i] = (a[i] as number) !== 0 && (b[i] as number) !== 0 ? 1 : 0;
      return;
    case "logicalOr":
      for (let i = 0; i < n; i++) out[i] = (a[i] as number) !== 0 || (b[i] as number) !== 0 ? 1 : 0;
      return;
  }
}

/**
 * out[i] = a[i] op b[0] for i < n.
 *
 * @example
 * ```ts
 * binaryScalarB("mul", x, new Float32Array([0.5]), out, x.length); // x · 0.5
 * ```
 */
export function binaryScalarB(op: BinaryOp, a: TypedArray, b: TypedArray, out: Writable, n: number): void {
  const s = b[0] as number;
  switch (op) {
    case "add":
      for (let i = 0; i < n; i++) out[i] = (a[i] as number) + s;
      return;
    case "sub":
      for (let i = 0; i < n; i++) out[i] = (a[i] as number) - s;
      return;
    case "mul":
      for (let i = 0; i < n; i++) out[i] = (a[i] as number) * s;
      return;
    case "div":
      for (let i = 0; i < n; i++) out[i] = (a[i] as number) / s;
      return;
    case "pow":
      for (let i = 0; i < n; i++) out[i] = (a[i] as number) ** s;
      return;
    case "maximum":
      for (let i = 0; i < n; i++) out[i] = Math.max(a[i] as number, s);
      return;
    case "minimum":
      for (let i = 0; i < n; i++) out[i] = Math.min(a[i] as number, s);
      return;
    case "equal":
      for (let i = 0; i < n; i++) out[i] = (a[i] as number) === s ? 1 : 0;
      return;
    case "notEqual":
      for (let i = 0; i < n; i++) out[i] = (a[i] as number) !== s ? 1 : 0;
      return;
    case "less":
      for (let i = 0; i < n; i++) out[i] = (a[i] as number) < s ? 1 : 0;
      return;
    case "lessEqual":
      for (let i = 0; i < n; i++) out[i] = (a[i] as number) <= s ? 1 : 0;
      return;
    case "greater":
      for (let i = 0; i < n; i++) out[i] = (a[i] as number) > s ? 1 : 0;
      return;
    case "greaterEqual":
      for (let i = 0; i < n; i++) out[i] = (a[i] as number) >= s ? 1 : 0;
      return;
    case "logicalAnd":
      for (let i = 0; i < n; i++) out[i] = (a[i] as number) !== 0 && s !== 0 ? 1 : 0;
      return;
    case "logicalOr":
      for (let i = 0; i < n; i++) out[i] = (a[i] as number) !== 0 || s !== 0 ? 1 : 0;
      return;
  }
}

/**
 * out[i] = a[0] op b[i] for i < n.
 *
 * @example
 * ```ts
 * binaryScalarA("sub", new Float32Array([1]), y, out, y.length); // 1 − y
 * ```
 */
export function binaryScalarA(op: BinaryOp, a: TypedArray, b: TypedArray, out: Writable, n: number): void {
  const s = a[0] as number;
  switch (op) {
    case "add":
      for (let i = 0; i < n; i++) out[i] = s + (b[i] as number);
      return;
    case "sub":
      for (let i = 0; i < n; i++) out[i] = s - (b[i] as number);
      return;
    case "mul":
      for (let i = 0; i < n; i++) out[i] = s * (b[i] as number);
      return;
    case "div":
      for (let i = 0; i < n; i++) out[i] = s / (b[i] as number);
      return;
    case "pow":
      for (let i = 0; i < n; i++) out[i] = s ** (b[i] as number);
      return;
    case "maximum":
      for (let i = 0; i < n; i++) out[i] = Math.max(s, b[i] as number);
      return;
    case "minimum":
      for (let i = 0; i < n; i++) out[i] = Math.min(s, b[i] as number);
      return;
    case "equal":
      for (let i = 0; i < n; i++) out[i] = s === (b[i] as number) ? 1 : 0;
      return;
    case "notEqual":
      for (let i = 0; i < n; i++) out[i] = s !== (b[i] as number) ? 1 : 0;
      return;
    case "less":
      for (let i = 0; i < n; i++) out[i] = s < (b[i] as number) ? 1 : 0;
      return;
    case "lessEqual":
      for (let i = 0; i < n; i++) out[i] = s <= (b[i] as number) ? 1 : 0;
      return;
    case "greater":
      for (let i = 0; i < n; i++) out[i] = s > (b[i] as number) ? 1 : 0;
      return;
    case "greaterEqual":
      for (let i = 0; i < n; i++) out[i] = s >= (b[i] as number) ? 1 : 0;
      return;
    case "logicalAnd":
      for (let i = 0; i < n; i++) out[i] = s !== 0 && (b[i] as number) !== 0 ? 1 : 0;
      return;
    case "logicalOr":
      for (let i = 0; i < n; i++) out[i] = s !== 0 || (b[i] as number) !== 0 ? 1 : 0;
      return;
  }
}
