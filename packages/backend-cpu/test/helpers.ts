import type { DataId, DType, Shape, TensorInfo, TypedArray } from "@tapegrad/core";
import fc from "fast-check";
import { cpu } from "../src/index.js";

/** One backend per test file; pooled, like production. */
export const backend = cpu();

/** Uploads plain numbers as a tensor of `shape` and `dtype`. */
export function t(values: readonly number[] | TypedArray, shape: Shape, dtype: DType = "float32"): TensorInfo {
  return { dataId: backend.write(toTyped(values, dtype), dtype), shape, dtype };
}

/** Reads a kernel result back as plain numbers. */
export function read(id: DataId): number[] {
  return Array.from(backend.readSync(id));
}

/** Stores `values` as `dtype` stores them (rounding, truncation, 0/1). */
export function toTyped(values: readonly number[] | TypedArray, dtype: DType): TypedArray {
  const src = Array.from(values);
  switch (dtype) {
    case "float32":
      return Float32Array.from(src);
    case "float64":
      return Float64Array.from(src);
    case "int32":
      return Int32Array.from(src);
    case "bool":
      return Uint8Array.from(src, (v) => (v !== 0 ? 1 : 0));
  }
}

export function sizeOfShape(shape: Shape): number {
  return shape.reduce((a, b) => a * b, 1);
}

/** Multi-index of flat position `i` in `shape` (row-major). */
export function unravel(i: number, shape: Shape): number[] {
  const idx = new Array<number>(shape.length);
  for (let d = shape.length - 1; d >= 0; d--) {
    const s = shape[d] as number;
    idx[d] = i % s;
    i = Math.floor(i / s);
  }
  return idx;
}

/** Flat position of a multi-index in `shape`. */
export function ravel(idx: readonly number[], shape: Shape): number {
  let f = 0;
  for (let d = 0; d < shape.length; d++) f = f * (shape[d] as number) + (idx[d] as number);
  return f;
}

/** Element of `values` (shape `shape`) seen at `outIdx` after broadcasting to a larger rank. */
export function broadcastAt(values: ArrayLike<number>, shape: Shape, outIdx: readonly number[]): number {
  const lead = outIdx.length - shape.length;
  const idx = shape.map((s, d) => (s === 1 ? 0 : (outIdx[d + lead] as number)));
  return values[ravel(idx, shape)] as number;
}

/** Deterministic pseudo-random values in [-scale, scale), rounded to float32-exact numbers. */
export function randomValues(n: number, seed: number, scale = 2): number[] {
  let s = seed >>> 0 || 1;
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    out.push(Math.fround((((s >>> 0) / 2 ** 32) * 2 - 1) * scale));
  }
  return out;
}

/** Asserts elementwise closeness with NaN equal to NaN. */
export function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, rtol = 1e-6, atol = 1e-6): void {
  if (actual.length !== expected.length) {
    throw new Error(`length ${actual.length} !== ${expected.length}`);
  }
  for (let i = 0; i < actual.length; i++) {
    const a = actual[i] as number;
    const e = expected[i] as number;
    if (Number.isNaN(e) && Number.isNaN(a)) continue;
    if (a === e) continue;
    if (!(Math.abs(a - e) <= atol + rtol * Math.abs(e))) {
      throw new Error(`element ${i}: got ${a}, expected ${e}`);
    }
  }
}

/** A shape of rank 0..maxRank with dimensions 0..maxDim. */
export function shapeArb(maxRank = 4, maxDim = 4, minDim = 0): fc.Arbitrary<number[]> {
  return fc.array(fc.integer({ min: minDim, max: maxDim }), { minLength: 0, maxLength: maxRank });
}

/** A pair of shapes that broadcast together, with their broadcast shape. */
export function broadcastPairArb(): fc.Arbitrary<{ a: number[]; b: number[]; out: number[] }> {
  return shapeArb(4, 4).chain((out) =>
    fc
      .tuple(
        fc.array(fc.boolean(), { minLength: out.length, maxLength: out.length }),
        fc.array(fc.boolean(), { minLength: out.length, maxLength: out.length }),
        fc.integer({ min: 0, max: out.length }),
        fc.integer({ min: 0, max: out.length }),
      )
      .map(([onesA, onesB, dropA, dropB]) => {
        // Where both sides get a 1 the output dimension must be 1 too.
        const outFixed = out.map((d, i) => (onesA[i] && onesB[i] ? 1 : d));
        const a = outFixed.map((d, i) => (onesA[i] ? 1 : d)).slice(dropA);
        const b = outFixed.map((d, i) => (onesB[i] ? 1 : d)).slice(dropB);
        return { a, b, out: broadcastShape(a, b) };
      }),
  );
}

/** NumPy broadcast of two compatible shapes. */
export function broadcastShape(a: Shape, b: Shape): number[] {
  const rank = Math.max(a.length, b.length);
  const out: number[] = [];
  for (let i = 0; i < rank; i++) {
    const da = a[a.length - rank + i] ?? 1;
    const db = b[b.length - rank + i] ?? 1;
    out.push(da === 1 ? db : da);
  }
  return out;
}
