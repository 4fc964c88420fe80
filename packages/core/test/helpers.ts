import { cpu } from "@tapegrad/backend-cpu";
import { type Backend, type DType, memory, type Shape, setBackend, type Tensor, tensor } from "@tapegrad/core";
import { checkLeaksEachTest } from "@tapegrad/testing";
import fc from "fast-check";
import { expect } from "vitest";

/** One CPU backend per test file (vitest isolates files, so each file sets its own). */
export const backend = cpu();
setBackend(backend);

/** Fails any test that leaves tensors alive or memory() off its baseline (see @tapegrad/testing). */
export const checkLeaks = checkLeaksEachTest;

/** The values of a tensor as plain numbers, row-major. */
export function vals(t: Tensor): number[] {
  return Array.from(t.dataSync());
}

/** Runs `fn` on a tensor made from `values` and frees both; returns the result's values and shape. */
export function run1(
  values: Parameters<typeof tensor>[0],
  dtype: DType,
  fn: (x: Tensor) => Tensor,
): { values: number[]; shape: number[]; dtype: DType } {
  using x = tensor(values, { dtype });
  using y = fn(x);
  return { values: vals(y), shape: [...y.shape], dtype: y.dtype };
}

/** Whether a and b agree within atol + rtol·|b| (NaN equals NaN, infinities must match). */
export function close(a: number, b: number, rtol = 1e-6, atol = 1e-6): boolean {
  if (Number.isNaN(b)) return Number.isNaN(a);
  if (!Number.isFinite(b)) return a === b;
  return Math.abs(a - b) <= atol + rtol * Math.abs(b);
}

/** Elementwise `close`, with a message naming the first mismatch. */
export function expectClose(
  actual: ArrayLike<number>,
  expected: ArrayLike<number>,
  { rtol = 1e-6, atol = 1e-6 }: { rtol?: number; atol?: number } = {},
): void {
  expect(actual.length, "length").toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i] as number;
    const e = expected[i] as number;
    if (!close(a, e, rtol, atol)) expect.fail(`element ${i}: got ${a}, expected ${e} (rtol ${rtol}, atol ${atol})`);
  }
}

/** Row-major strides. */
export function strides(shape: Shape): number[] {
  const out = new Array<number>(shape.length);
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    out[i] = s;
    s *= shape[i] as number;
  }
  return out;
}

export function size(shape: Shape): number {
  return shape.reduce((a, b) => a * b, 1);
}

/** Multi-index of flat position `i`. */
export function unravel(i: number, shape: Shape): number[] {
  const idx = new Array<number>(shape.length);
  for (let d = shape.length - 1; d >= 0; d--) {
    const n = shape[d] as number;
    idx[d] = i % n;
    i = Math.floor(i / n);
  }
  return idx;
}

/** Flat position of a multi-index; size-1 dims of `shape` broadcast (index taken as 0). */
export function ravelBroadcast(idx: readonly number[], shape: Shape): number {
  const s = strides(shape);
  const offset = idx.length - shape.length;
  let flat = 0;
  for (let d = 0; d < shape.length; d++) {
    const n = shape[d] as number;
    flat += (n === 1 ? 0 : (idx[d + offset] as number)) * (s[d] as number);
  }
  return flat;
}

/** Plain-JS broadcast of a flat array from `from` to `to`. */
export function broadcastRef(values: readonly number[], from: Shape, to: Shape): number[] {
  return Array.from({ length: size(to) }, (_, i) => values[ravelBroadcast(unravel(i, to), from)] as number);
}

/** Shapes of rank 0..maxRank with dims 1..maxDim (size-1 dims are common on purpose). */
export function shapeArb(maxRank = 4, maxDim = 4, minRank = 0): fc.Arbitrary<number[]> {
  return fc.array(fc.integer({ min: 1, max: maxDim }), { minLength: minRank, maxLength: maxRank });
}

/** A shape and values for it: small integers, so float32 sums are exact. */
export function intValuesArb(shape: Shape, lo = -9, hi = 9): fc.Arbitrary<number[]> {
  const n = size(shape);
  return fc.array(fc.integer({ min: lo, max: hi }), { minLength: n, maxLength: n });
}

/** Doubles in [lo, hi] with no NaN. */
export function doublesArb(shape: Shape, lo = -5, hi = 5): fc.Arbitrary<number[]> {
  const n = size(shape);
  return fc.array(fc.double({ min: lo, max: hi, noNaN: true, noDefaultInfinity: true }), {
    minLength: n,
    maxLength: n,
  });
}

/** Two shapes that broadcast together, and their broadcast. */
export const broadcastPairArb: fc.Arbitrary<{ a: number[]; b: number[]; out: number[] }> = shapeArb(4, 4).chain((out) =>
  fc
    .tuple(
      fc.integer({ min: 0, max: out.length }),
      fc.integer({ min: 0, max: out.length }),
      fc.array(fc.boolean(), { minLength: out.length, maxLength: out.length }),
      fc.array(fc.boolean(), { minLength: out.length, maxLength: out.length }),
    )
    .map(([dropA, dropB, onesA, onesB]) => {
      const a = out.map((d, i) => (onesA[i] ? 1 : d)).slice(dropA);
      const b = out.map((d, i) => (onesB[i] ? 1 : d)).slice(dropB);
      // The broadcast of what was generated (dims that became 1 on both sides shrink).
      const rank = Math.max(a.length, b.length);
      const o = Array.from({ length: rank }, (_, i) => {
        const da = a[a.length - rank + i] ?? 1;
        const db = b[b.length - rank + i] ?? 1;
        return da === 1 ? db : da;
      });
      return { a, b, out: o };
    }),
);

/**
 * Runs `fn` on a copy of the CPU backend without fused kernels, so composites run composed;
 * tensors must be created inside `fn`.
 */
export function withoutFused<T>(fn: () => T): T {
  const plain = new Proxy(backend, {
    get(target, prop) {
      if (prop === "fused") return undefined;
      const v = Reflect.get(target, prop, target);
      return typeof v === "function" ? v.bind(target) : v;
    },
  }) as Backend;
  setBackend(plain);
  try {
    return fn();
  } finally {
    setBackend(backend);
  }
}

/** Live tensor count, for asserting that a throwing call allocated nothing. */
export function numTensors(): number {
  return memory().numTensors;
}
