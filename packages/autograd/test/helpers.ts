import { cpu } from "@tapegrad/backend-cpu";
import { type DType, memory, setBackend, type Tensor, tensor } from "@tapegrad/core";
import fc from "fast-check";

setBackend(cpu());

/** A tensor as plain data, so fast-check can generate, shrink and print it. */
export interface Spec {
  readonly shape: readonly number[];
  readonly values: readonly number[];
  readonly dtype?: DType;
}

/** Makes float64 (or the spec's dtype) tensors from specs. */
export function make(specs: readonly Spec[]): Tensor[] {
  return specs.map((s) => f64(s.values, s.shape, s.dtype));
}

export function f64(values: readonly number[], shape: readonly number[], dtype: DType = "float64"): Tensor {
  const typed =
    dtype === "int32"
      ? Int32Array.from(values)
      : dtype === "bool"
        ? Uint8Array.from(values, (v) => (v !== 0 ? 1 : 0))
        : Float64Array.from(values);
  return tensor(typed, { shape, dtype });
}

export const sizeOf = (shape: readonly number[]): number => shape.reduce((n, d) => n * d, 1);

/** Shapes of rank 0..maxRank with dims 1..maxDim (size-1 dims included). */
export function shapeArb(minRank = 0, maxRank = 3, maxDim = 4): fc.Arbitrary<number[]> {
  return fc.array(fc.integer({ min: 1, max: maxDim }), { minLength: minRank, maxLength: maxRank });
}

/** Uniform-ish values in [lo, hi] from an integer grid (avoids fast-check's float edge cases). */
export function real(lo = -2, hi = 2): fc.Arbitrary<number> {
  return fc.integer({ min: 0, max: 1000 }).map((k) => lo + ((hi - lo) * k) / 1000);
}

/** Values with |v| in [lo, hi]: away from the kink at 0 of abs, relu and friends. */
export function nonzero(lo = 0.1, hi = 2): fc.Arbitrary<number> {
  return fc.tuple(fc.boolean(), real(lo, hi)).map(([negative, v]) => (negative ? -v : v));
}

/** Values of `shape` drawn from `dom`. */
export function specArb(shape: readonly number[], dom: fc.Arbitrary<number> = real()): fc.Arbitrary<Spec> {
  const n = sizeOf(shape);
  return fc.array(dom, { minLength: n, maxLength: n }).map((values) => ({ shape: [...shape], values }));
}

/** Pairwise-distinct values (0.05 apart at least), so max/min have no ties. The grid has 201
 * points, more than the 64 elements of the largest generated tensor. */
export function distinctSpecArb(shape: readonly number[]): fc.Arbitrary<Spec> {
  const n = sizeOf(shape);
  return fc
    .uniqueArray(fc.integer({ min: -100, max: 100 }), { minLength: n, maxLength: n })
    .map((ks) => ({ shape: [...shape], values: ks.map((k) => k / 20 + 0.013) }));
}

/** A shape that broadcasts to `out`: some leading axes dropped, some axes set to 1. */
export function broadcastableTo(out: readonly number[]): fc.Arbitrary<number[]> {
  return fc
    .tuple(
      fc.integer({ min: 0, max: out.length }),
      fc.array(fc.boolean(), { minLength: out.length, maxLength: out.length }),
    )
    .map(([drop, ones]) => out.slice(drop).map((d, i) => (ones[i + drop] ? 1 : d)));
}

/** Two shapes that broadcast together (to a shape of rank ≤ 3). */
export const broadcastPairArb: fc.Arbitrary<[number[], number[]]> = shapeArb().chain((out) =>
  fc.tuple(broadcastableTo(out), broadcastableTo(out)),
);

/** A list of distinct axes of a rank-`rank` tensor (possibly empty). */
export function axesArb(rank: number, minLength = 0): fc.Arbitrary<number[]> {
  return fc
    .subarray(
      Array.from({ length: rank }, (_, i) => i),
      { minLength: Math.min(minLength, rank) },
    )
    .map((a) => [...a]);
}

/** Live tensor handles right now. */
export const live = (): number => memory().numTensors;

/** Small, fixed-seed property runs: the suite must stay fast on a shared 2-core machine. */
export const RUNS = { numRuns: 10, seed: 20261129 } as const;
