import type { DType } from "@tapegrad/core";
import fc from "fast-check";
import { storeAs } from "./conformance/reference.js";
import type { TensorDescription } from "./description.js";

// Arbitraries generate plain descriptions, never live tensors: fast-check creates, shrinks and
// discards values freely, and a tensor made inside an arbitrary would leak.

/**
 * Bounds of {@link shapeArb}.
 *
 * @example
 * ```ts
 * const opts: ShapeOptions = { minRank: 1, maxRank: 3, maxDim: 5, allowEmpty: true };
 * ```
 */
export interface ShapeOptions {
  /** Smallest rank (default 0: scalars included). */
  readonly minRank?: number;
  /** Largest rank (default 4). */
  readonly maxRank?: number;
  /** Largest dimension (default 4). */
  readonly maxDim?: number;
  /** Whether dimensions of size 0 may appear (default false). */
  readonly allowEmpty?: boolean;
}

/**
 * Shapes within bounds. Size-1 dimensions (and, with `allowEmpty`, size-0 ones) are drawn
 * more often than a uniform draw would, since broadcasting and kernels break there.
 *
 * @example
 * ```ts
 * fc.assert(fc.property(shapeArb({ maxRank: 3 }), (shape) => shape.length <= 3));
 * ```
 */
export function shapeArb(options: ShapeOptions = {}): fc.Arbitrary<number[]> {
  const minRank = options.minRank ?? 0;
  const maxRank = Math.max(minRank, options.maxRank ?? 4);
  const maxDim = options.maxDim ?? 4;
  const dims: fc.WeightedArbitrary<number>[] = [
    { arbitrary: fc.constant(1), weight: 2 },
    { arbitrary: fc.integer({ min: Math.min(1, maxDim), max: maxDim }), weight: 5 },
  ];
  if (options.allowEmpty) dims.push({ arbitrary: fc.constant(0), weight: 1 });
  return fc.array(fc.oneof(...dims), { minLength: minRank, maxLength: maxRank });
}

/**
 * `count` shapes that broadcast together (NumPy rules): each derives from one result shape
 * by dropping leading dimensions and turning dimensions into 1. The broadcast of all of them
 * is within the `options` bounds.
 *
 * @example
 * ```ts
 * fc.assert(fc.property(broadcastShapesArb(3), ([c, a, b]) => {
 *   where(zeros(c, "bool"), zeros(a), zeros(b)); // never throws
 * }));
 * ```
 */
export function broadcastShapesArb(count: number, options: ShapeOptions = {}): fc.Arbitrary<number[][]> {
  return shapeArb(options).chain((out) =>
    fc.tuple(...Array.from({ length: count }, () => derivedShapeArb(out))).map((shapes) => [...shapes]),
  );
}

/**
 * Pairs of broadcast-compatible shapes, including missing leading dimensions and 1s (see
 * {@link broadcastShapesArb}).
 *
 * @example
 * ```ts
 * fc.assert(fc.property(broadcastPairArb(), ([a, b]) => {
 *   broadcastShapes("add", a, b); // never throws
 * }));
 * ```
 */
export function broadcastPairArb(options: ShapeOptions = {}): fc.Arbitrary<[number[], number[]]> {
  return shapeArb(options).chain((out) => fc.tuple(derivedShapeArb(out), derivedShapeArb(out)));
}

/** A shape that broadcasts to `out`: some leading dimensions dropped, some set to 1. */
function derivedShapeArb(out: readonly number[]): fc.Arbitrary<number[]> {
  const rank = out.length;
  return fc
    .tuple(fc.nat({ max: rank }), fc.array(fc.boolean(), { minLength: rank, maxLength: rank }))
    .map(([drop, ones]) => out.slice(drop).map((d, i) => (ones[i + drop] ? 1 : d)));
}

/**
 * Ranges of {@link valuesArb}.
 *
 * @example
 * ```ts
 * const positive: ValueOptions = { min: 0.1, max: 10 };
 * const awayFromKink: ValueOptions = { min: -3, max: 3, awayFrom: [0] };
 * ```
 */
export interface ValueOptions {
  /** Smallest value (default -10). */
  readonly min?: number;
  /** Largest value (default 10). */
  readonly max?: number;
  /**
   * Points to keep away from (kinks such as 0 for relu or abs, poles such as 0 for 1/x):
   * a value closer than `margin` is pushed out to the margin.
   */
  readonly awayFrom?: readonly number[];
  /** Distance kept from `awayFrom` (default 1e-3 · (max − min); at least 1 for int32). */
  readonly margin?: number;
}

// Values below float32's smallest normal are flushed to zero: GPUs flush denormals, so a
// conformance case built on one would test the GPU's flushing, not the op.
const MIN_NORMAL_F32 = 1.1754943508222875e-38;
const UNIFORM_STEPS = 2 ** 30;

/**
 * Exactly `sizeOf(shape)` values of `dtype` within a range, as `dtype` stores them (float32
 * rounded, int32 integers, bool 0/1). Floats are finite and never subnormal: mostly uniform
 * over the range, with integers and the edges fast-check likes (the bounds, zero, tiny
 * values) mixed in.
 *
 * @example
 * ```ts
 * fc.assert(fc.property(valuesArb([2, 3], "float32", { min: 0.1, max: 1 }), (v) => v.length === 6));
 * ```
 */
export function valuesArb(shape: readonly number[], dtype: DType, options: ValueOptions = {}): fc.Arbitrary<number[]> {
  const n = shape.reduce((a, b) => a * b, 1);
  return fc.array(scalarArb(dtype, options), { minLength: n, maxLength: n });
}

/** One value of `dtype` (see {@link valuesArb}). */
function scalarArb(dtype: DType, options: ValueOptions): fc.Arbitrary<number> {
  if (dtype === "bool") return fc.boolean().map((b) => (b ? 1 : 0));
  const lo = options.min ?? -10;
  const hi = options.max ?? 10;
  const kinks = options.awayFrom ?? [];
  if (dtype === "int32") {
    const margin = Math.max(1, options.margin ?? 1);
    return fc
      .integer({ min: Math.ceil(lo), max: Math.floor(hi) })
      .map((v) => Math.round(pushAway(v, kinks, margin, lo, hi)));
  }
  const margin = options.margin ?? 1e-3 * (hi - lo);
  // fc.double alone draws uniformly over representable doubles, so nine in ten values would
  // be tiny (|v| < 0.01 in [-10, 10]); most draws are uniform over the range instead, with
  // integers (ties, exact values) and fc.double's edge cases mixed in.
  const uniform = fc
    .noBias(fc.integer({ min: 0, max: UNIFORM_STEPS }))
    .map((i) => lo + (hi - lo) * (i / UNIFORM_STEPS));
  const parts: fc.WeightedArbitrary<number>[] = [
    { arbitrary: uniform, weight: 6 },
    { arbitrary: fc.double({ min: lo, max: hi, noNaN: true, noDefaultInfinity: true }), weight: 2 },
  ];
  if (Math.ceil(lo) <= Math.floor(hi)) {
    parts.push({ arbitrary: fc.integer({ min: Math.ceil(lo), max: Math.floor(hi) }), weight: 2 });
  }
  return fc.oneof(...parts).map((v) => {
    const pushed = pushAway(Math.abs(v) < MIN_NORMAL_F32 ? 0 : v, kinks, margin, lo, hi);
    return storeAs(pushed, dtype);
  });
}

/** Moves `v` to distance `margin` from each kink it is closer to, staying inside [lo, hi]. */
function pushAway(v: number, kinks: readonly number[], margin: number, lo: number, hi: number): number {
  let out = v;
  for (const k of kinks) {
    if (Math.abs(out - k) >= margin) continue;
    const up = k + margin;
    const down = k - margin;
    out = (out >= k && up <= hi) || down < lo ? up : down;
  }
  return out;
}

/**
 * Options of {@link tensorArb}.
 *
 * @example
 * ```ts
 * const opts: TensorArbOptions = { shape: { maxRank: 2 }, dtype: ["float32", "float64"], min: 0 };
 * ```
 */
export interface TensorArbOptions extends ValueOptions {
  /** Shape bounds, or an arbitrary (or fixed shape) to draw the shape from. */
  readonly shape?: ShapeOptions | fc.Arbitrary<readonly number[]> | readonly number[];
  /** The dtype, or dtypes to choose from (default float32). */
  readonly dtype?: DType | readonly DType[];
}

/**
 * Descriptions `{shape, dtype, values}` of tensors — not live tensors (see
 * {@link TensorDescription}); turn one into a tensor with `toTensor` inside the test.
 *
 * @example
 * ```ts
 * fc.assert(
 *   fc.property(tensorArb({ shape: { maxRank: 2 }, min: -1, max: 1 }), (d) => {
 *     using x = toTensor(d);
 *     using y = tanh(x);
 *     return y.dataSync().every((v) => Math.abs(v) <= 1);
 *   }),
 * );
 * ```
 */
export function tensorArb(options: TensorArbOptions = {}): fc.Arbitrary<TensorDescription> {
  const shapes = toShapeArb(options.shape);
  const dtype = options.dtype ?? "float32";
  const dtypes = typeof dtype === "string" ? fc.constant(dtype) : fc.constantFrom(...dtype);
  return fc
    .tuple(shapes, dtypes)
    .chain(([shape, dt]) => valuesArb(shape, dt, options).map((values) => ({ shape: [...shape], dtype: dt, values })));
}

function toShapeArb(shape: TensorArbOptions["shape"]): fc.Arbitrary<readonly number[]> {
  if (shape === undefined) return shapeArb();
  if (Array.isArray(shape)) return fc.constant(shape as readonly number[]);
  if (shape instanceof fc.Arbitrary) return shape;
  return shapeArb(shape as ShapeOptions);
}

/**
 * One axis of a rank-`rank` tensor, sometimes written negatively (−1 = last). Rank ≥ 1.
 *
 * @example
 * ```ts
 * fc.assert(fc.property(axisArb(3), (a) => a >= -3 && a < 3));
 * ```
 */
export function axisArb(rank: number): fc.Arbitrary<number> {
  return fc.integer({ min: -rank, max: rank - 1 });
}

/**
 * A set of distinct axes of a rank-`rank` tensor, in any order, each sometimes written
 * negatively; possibly empty unless `minLength` says otherwise.
 *
 * @example
 * ```ts
 * fc.assert(fc.property(axesArb(3, { minLength: 1 }), (axes) => axes.length >= 1));
 * ```
 */
export function axesArb(
  rank: number,
  options: { minLength?: number; maxLength?: number } = {},
): fc.Arbitrary<number[]> {
  const all = Array.from({ length: rank }, (_, i) => i);
  return fc
    .tuple(
      fc.shuffledSubarray(all, { minLength: options.minLength ?? 0, maxLength: options.maxLength ?? rank }),
      fc.array(fc.boolean(), { minLength: rank, maxLength: rank }),
    )
    .map(([axes, negative]) => axes.map((a) => (negative[a] ? a - rank : a)));
}

/**
 * A permutation of 0…rank−1 (for transpose).
 *
 * @example
 * ```ts
 * fc.assert(fc.property(permutationArb(4), (p) => [...p].sort().join() === "0,1,2,3"));
 * ```
 */
export function permutationArb(rank: number): fc.Arbitrary<number[]> {
  const all = Array.from({ length: rank }, (_, i) => i);
  return fc.shuffledSubarray(all, { minLength: rank, maxLength: rank });
}
