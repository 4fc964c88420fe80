import type { DType, ReduceOp, TypedArray } from "@tapegrad/core";
import type { Allocator, ArrayView } from "../kernel_types.js";
import { planStrided, product } from "../strided.js";

/**
 * The output dtype of a reduction: sum of bool counts, so it is int32; else the input's.
 *
 * @example
 * ```ts
 * reduceOutDType("sum", "bool"); // "int32"
 * ```
 */
export function reduceOutDType(op: ReduceOp, dtype: DType): DType {
  return op === "sum" && dtype === "bool" ? "int32" : dtype;
}

/**
 * Reduces x over `axes` (sorted, unique). The input is walked once in storage order while each
 * element is folded into its output slot, so reducing leading axes (a bias gradient) and
 * trailing axes (a row sum) both read memory contiguously. Accumulation runs in doubles, so a
 * float32 sum is rounded once at the end; max and min propagate NaN like NumPy. Empty
 * reductions give 0, -Infinity (max) or +Infinity (min).
 *
 * @example
 * ```ts
 * reduce("sum", { values: new Float32Array([1, 2, 3, 4]), shape: [2, 2], dtype: "float32" }, [0], alloc);
 * // Float32Array [4, 6]
 * ```
 */
export function reduce(op: ReduceOp, x: ArrayView, axes: readonly number[], alloc: Allocator): TypedArray {
  const shape = x.shape;
  const rank = shape.length;
  const reduced = new Array<boolean>(rank).fill(false);
  for (const a of axes) reduced[a] = true;
  const outSize = product(shape.filter((_, d) => !reduced[d]));
  const acc = scratch(outSize);
  acc.fill(op === "sum" ? 0 : op === "max" ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY);

  const inStrides = new Array<number>(rank);
  const outStrides = new Array<number>(rank);
  let si = 1;
  let so = 1;
  for (let d = rank - 1; d >= 0; d--) {
    inStrides[d] = si;
    si *= shape[d] as number;
    outStrides[d] = reduced[d] ? 0 : so;
    if (!reduced[d]) so *= shape[d] as number;
  }
  const plan = planStrided(shape, [inStrides, outStrides]);
  const xs = x.values;
  const offX = plan.offsets[0] as Int32Array;
  const offO = plan.offsets[1] as Int32Array;
  const sx = plan.innerStrides[0] as number;
  const sOut = plan.innerStrides[1] as number;
  const inner = plan.inner;
  for (let r = 0; r < plan.rows; r++) {
    const ix = offX[r] as number;
    const io = offO[r] as number;
    if (op === "sum") sumRow(xs, ix, sx, acc, io, sOut, inner);
    else if (op === "max") maxRow(xs, ix, sx, acc, io, sOut, inner);
    else minRow(xs, ix, sx, acc, io, sOut, inner);
  }

  const out = alloc(reduceOutDType(op, x.dtype), outSize, false);
  out.set(acc);
  return out;
}

// The double accumulators, reused across calls (kernels run one at a time and never reenter),
// so a training step's reductions allocate nothing outside the backend's pool. Outputs larger
// than the cap get a one-off array, so one huge reduction does not pin its scratch forever.
const SCRATCH_CAP = 1 << 16; // 512 KiB of doubles
let accumulators = new Float64Array(1024);

function scratch(n: number): Float64Array {
  if (n > SCRATCH_CAP) return new Float64Array(n);
  if (accumulators.length < n)
    accumulators = new Float64Array(Math.min(SCRATCH_CAP, Math.max(n, 2 * accumulators.length)));
  return accumulators.subarray(0, n);
}

function sumRow(x: TypedArray, ix: number, sx: number, acc: Float64Array, io: number, so: number, len: number): void {
  if (so === 0) {
    let s = acc[io] as number;
    for (let j = 0; j < len; j++, ix += sx) s += x[ix] as number;
    acc[io] = s;
  } else {
    for (let j = 0; j < len; j++, ix += sx, io += so) acc[io] = (acc[io] as number) + (x[ix] as number);
  }
}

// A NaN element always wins, and once a slot holds NaN no comparison with it is true, so NaN sticks.
function maxRow(x: TypedArray, ix: number, sx: number, acc: Float64Array, io: number, so: number, len: number): void {
  if (so === 0) {
    let m = acc[io] as number;
    for (let j = 0; j < len; j++, ix += sx) {
      const v = x[ix] as number;
      if (v > m || Number.isNaN(v)) m = v;
    }
    acc[io] = m;
  } else {
    for (let j = 0; j < len; j++, ix += sx, io += so) {
      const v = x[ix] as number;
      if (v > (acc[io] as number) || Number.isNaN(v)) acc[io] = v;
    }
  }
}

function minRow(x: TypedArray, ix: number, sx: number, acc: Float64Array, io: number, so: number, len: number): void {
  if (so === 0) {
    let m = acc[io] as number;
    for (let j = 0; j < len; j++, ix += sx) {
      const v = x[ix] as number;
      if (v < m || Number.isNaN(v)) m = v;
    }
    acc[io] = m;
  } else {
    for (let j = 0; j < len; j++, ix += sx, io += so) {
      const v = x[ix] as number;
      if (v < (acc[io] as number) || Number.isNaN(v)) acc[io] = v;
    }
  }
}

/**
 * Index (int32) of the first maximum or minimum along `axis`. NaN counts as the extreme for
 * both, as in NumPy: the first NaN's index is returned, consistent with max/min propagating NaN.
 *
 * @example
 * ```ts
 * argReduce("argmax", { values: new Float32Array([1, 5, 5]), shape: [3], dtype: "float32" }, 0, alloc);
 * // Int32Array [1]
 * ```
 */
export function argReduce(op: "argmax" | "argmin", x: ArrayView, axis: number, alloc: Allocator): TypedArray {
  const shape = x.shape;
  const outer = product(shape, 0, axis);
  const len = shape[axis] as number;
  const inner = product(shape, axis + 1);
  const out = alloc("int32", outer * inner, false);
  const xs = x.values;
  const isMax = op === "argmax";
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      let p = o * len * inner + i;
      let best = xs[p] as number;
      let bestK = 0;
      for (let k = 1; k < len; k++) {
        p += inner;
        const v = xs[p] as number;
        if (Number.isNaN(best)) break;
        if (Number.isNaN(v) || (isMax ? v > best : v < best)) {
          best = v;
          bestK = k;
        }
      }
      out[o * inner + i] = bestK;
    }
  }
  return out;
}
