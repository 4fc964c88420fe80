import type { BinaryOp, DType, Shape, TypedArray } from "@tapegrad/core";
import type { Allocator, ArrayView } from "../kernel_types.js";
import { broadcastStrides, planStrided, product } from "../strided.js";
import { binarySame, binaryScalarA, binaryScalarB } from "./binary_contiguous.js";

type Writable = TypedArray | Float64Array;

/**
 * One row of a binary op: `len` results into `out` from `out[o]` on, reading `a` from `ia` with
 * stride `sa` and `b` from `ib` with stride `sb` (stride 0 repeats a broadcast element).
 */
type RowKernel = (
  a: TypedArray,
  ia: number,
  sa: number,
  b: TypedArray,
  ib: number,
  sb: number,
  out: Writable,
  o: number,
  len: number,
) => void;

const COMPARISONS: ReadonlySet<BinaryOp> = new Set<BinaryOp>([
  "equal",
  "notEqual",
  "less",
  "lessEqual",
  "greater",
  "greaterEqual",
  "logicalAnd",
  "logicalOr",
]);

const ARITHMETIC: ReadonlySet<BinaryOp> = new Set<BinaryOp>(["add", "sub", "mul", "div", "pow"]);

/**
 * The output dtype of a binary op on operands of `dtype`: bool for comparisons and logical ops.
 *
 * @example
 * ```ts
 * binaryOutDType("less", "float32"); // "bool"
 * ```
 */
export function binaryOutDType(op: BinaryOp, dtype: DType): DType {
  return COMPARISONS.has(op) ? "bool" : dtype;
}

/**
 * Elementwise binary op with NumPy broadcasting to `outShape`. Equal shapes and scalar operands
 * skip planning and run as one stride-free loop (binary_contiguous.ts); anything else is walked by a strided plan whose merged
 * axes keep the inner loop long. Int32 `mul` uses `Math.imul` so overflow wraps exactly like
 * C; the other int32 results wrap and truncate (div toward zero) through the Int32Array store.
 * Arithmetic on bool is computed in doubles and mapped to 0/1 (true + true is true).
 *
 * @example
 * ```ts
 * const a = { values: new Float32Array([1, 2, 3]), shape: [3, 1], dtype: "float32" } as const;
 * const b = { values: new Float32Array([10, 20]), shape: [2], dtype: "float32" } as const;
 * binary("add", a, b, [3, 2], alloc); // [11, 21, 12, 22, 13, 23]
 * ```
 */
export function binary(op: BinaryOp, a: ArrayView, b: ArrayView, outShape: Shape, alloc: Allocator): TypedArray {
  const n = product(outShape);
  const outDType = binaryOutDType(op, a.dtype);
  const out = alloc(outDType, n, false);
  const boolArithmetic = outDType === "bool" && ARITHMETIC.has(op);
  const target: Writable = boolArithmetic ? new Float64Array(n) : out;
  const kernel = rowKernel(op, a.dtype);
  const av = a.values;
  const bv = b.values;
  if (n === 0) return out;
  const aFull = av.length === n;
  const bFull = bv.length === n;
  if ((aFull || av.length === 1) && (bFull || bv.length === 1)) {
    if (kernel === mulInt32) kernel(av, 0, aFull ? 1 : 0, bv, 0, bFull ? 1 : 0, target, 0, n);
    else if (bFull && (aFull || n === 1)) binarySame(op, av, bv, target, n);
    else if (aFull) binaryScalarB(op, av, bv, target, n);
    else binaryScalarA(op, av, bv, target, n);
  } else {
    const plan = planStrided(outShape, [broadcastStrides(a.shape, outShape), broadcastStrides(b.shape, outShape)]);
    const offA = plan.offsets[0] as Int32Array;
    const offB = plan.offsets[1] as Int32Array;
    const sa = plan.innerStrides[0] as number;
    const sb = plan.innerStrides[1] as number;
    const inner = plan.inner;
    for (let r = 0; r < plan.rows; r++) {
      kernel(av, offA[r] as number, sa, bv, offB[r] as number, sb, target, r * inner, inner);
    }
  }
  if (boolArithmetic) {
    for (let i = 0; i < n; i++) out[i] = target[i] !== 0 ? 1 : 0;
  }
  return out;
}

function rowKernel(op: BinaryOp, dtype: DType): RowKernel {
  if (op === "mul" && dtype === "int32") return mulInt32;
  return ROW_KERNELS[op];
}

const mulInt32: RowKernel = (a, ia, sa, b, ib, sb, out, o, len) => {
  for (let j = 0; j < len; j++, ia += sa, ib += sb) out[o + j] = Math.imul(a[ia] as number, b[ib] as number);
};

const ROW_KERNELS: Record<BinaryOp, RowKernel> = {
  add: (a, ia, sa, b, ib, sb, out, o, len) => {
    for (let j = 0; j < len; j++, ia += sa, ib += sb) out[o + j] = (a[ia] as number) + (b[ib] as number);
  },
  sub: (a, ia, sa, b, ib, sb, out, o, len) => {
    for (let j = 0; j < len; j++, ia += sa, ib += sb) out[o + j] = (a[ia] as number) - (b[ib] as number);
  },
  mul: (a, ia, sa, b, ib, sb, out, o, len) => {
    for (let j = 0; j < len; j++, ia += sa, ib += sb) out[o + j] = (a[ia] as number) * (b[ib] as number);
  },
  div: (a, ia, sa, b, ib, sb, out, o, len) => {
    for (let j = 0; j < len; j++, ia += sa, ib += sb) out[o + j] = (a[ia] as number) / (b[ib] as number);
  },
  pow: (a, ia, sa, b, ib, sb, out, o, len) => {
    for (let j = 0; j < len; j++, ia += sa, ib += sb) out[o + j] = (a[ia] as number) ** (b[ib] as number);
  },
  maximum: (a, ia, sa, b, ib, sb, out, o, len) => {
    for (let j = 0; j < len; j++, ia += sa, ib += sb) out[o + j] = Math.max(a[ia] as number, b[ib] as number);
  },
  minimum: (a, ia, sa, b, ib, sb, out, o, len) => {
    for (let j = 0; j < len; j++, ia += sa, ib += sb) out[o + j] = Math.min(a[ia] as number, b[ib] as number);
  },
  equal: (a, ia, sa, b, ib, sb, out, o, len) => {
    for (let j = 0; j < len; j++, ia += sa, ib += sb) out[o + j] = a[ia] === b[ib] ? 1 : 0;
  },
  notEqual: (a, ia, sa, b, ib, sb, out, o, len) => {
    for (let j = 0; j < len; j++, ia += sa, ib += sb) out[o + j] = a[ia] !== b[ib] ? 1 : 0;
  },
  less: (a, ia, sa, b, ib, sb, out, o, len) => {
    for (let j = 0; j < len; j++, ia += sa, ib += sb) out[o + j] = (a[ia] as number) < (b[ib] as number) ? 1 : 0;
  },
  lessEqual: (a, ia, sa, b, ib, sb, out, o, len) => {
    for (let j = 0; j < len; j++, ia += sa, ib += sb) out[o + j] = (a[ia] as number) <= (b[ib] as number) ? 1 : 0;
  },
  greater: (a, ia, sa, b, ib, sb, out, o, len) => {
    for (let j = 0; j < len; j++, ia += sa, ib += sb) out[o + j] = (a[ia] as number) > (b[ib] as number) ? 1 : 0;
  },
  greaterEqual: (a, ia, sa, b, ib, sb, out, o, len) => {
    for (let j = 0; j < len; j++, ia += sa, ib += sb) out[o + j] = (a[ia] as number) >= (b[ib] as number) ? 1 : 0;
  },
  logicalAnd: (a, ia, sa, b, ib, sb, out, o, len) => {
    for (let j = 0; j < len; j++, ia += sa, ib += sb) out[o + j] = a[ia] !== 0 && b[ib] !== 0 ? 1 : 0;
  },
  logicalOr: (a, ia, sa, b, ib, sb, out, o, len) => {
    for (let j = 0; j < len; j++, ia += sa, ib += sb) out[o + j] = a[ia] !== 0 || b[ib] !== 0 ? 1 : 0;
  },
};
