import { fromTypedArray } from "./creation.js";
import { allocTypedArray, assertDType, type DType, FLOAT_DTYPES } from "./dtype.js";
import { ArgumentError } from "./errors.js";
import { assertShape, type Shape, sizeOf } from "./shape.js";
import type { Tensor } from "./tensor.js";

/**
 * A seeded pseudo-random generator: xoshiro128** (Blackman & Vigna) with its 128-bit state
 * expanded from the seed by splitmix32. Numbers are drawn on the host in integer arithmetic
 * and uploaded, so the same seed gives bit-identical tensors on every backend and platform.
 * Uniform floats take 53 random bits; normals use the Box–Muller transform.
 *
 * @example
 * ```ts
 * const rng = new Rng(42);
 * const w = randomNormal([784, 128], { std: 0.05, seed: rng });
 * const b = randomUniform([128], { seed: rng }); // continues the same stream
 * ```
 */
export class Rng {
  #s0: number;
  #s1: number;
  #s2: number;
  #s3: number;
  #spareNormal: number | null = null;

  constructor(seed: number) {
    if (!Number.isFinite(seed)) throw new ArgumentError(`Rng: seed ${seed} must be a finite number`);
    let x = Math.floor(seed) >>> 0;
    const next = () => {
      x = (x + 0x9e3779b9) | 0;
      let z = x;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.#s0 = next();
    this.#s1 = next();
    this.#s2 = next();
    this.#s3 = next();
    if ((this.#s0 | this.#s1 | this.#s2 | this.#s3) === 0) this.#s0 = 1;
  }

  /** The next 32 random bits as an unsigned integer. */
  nextUint32(): number {
    const result = Math.imul(rotl(Math.imul(this.#s1, 5), 7), 9) >>> 0;
    const t = this.#s1 << 9;
    this.#s2 ^= this.#s0;
    this.#s3 ^= this.#s1;
    this.#s1 ^= this.#s2;
    this.#s0 ^= this.#s3;
    this.#s2 ^= t;
    this.#s3 = rotl(this.#s3, 11);
    return result;
  }

  /** A uniform float in [0, 1) with 53 random bits. */
  nextFloat(): number {
    const hi = this.nextUint32() >>> 5;
    const lo = this.nextUint32() >>> 6;
    return (hi * 67108864 + lo) / 9007199254740992;
  }

  /** A standard normal sample (Box–Muller; the second value of each pair is kept for the next call). */
  nextNormal(): number {
    if (this.#spareNormal !== null) {
      const v = this.#spareNormal;
      this.#spareNormal = null;
      return v;
    }
    let u = 0;
    while (u === 0) u = this.nextFloat();
    const v = this.nextFloat();
    const r = Math.sqrt(-2 * Math.log(u));
    this.#spareNormal = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  }

  /** A uniform integer in [0, n). */
  nextInt(n: number): number {
    return Math.floor(this.nextFloat() * n);
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

let defaultRng = new Rng(0);

/**
 * Reseeds the generator that random ops use when given no `seed`.
 *
 * @example
 * ```ts
 * setSeed(123);
 * const a = randomNormal([3]);
 * setSeed(123);
 * const b = randomNormal([3]); // same values as a
 * ```
 */
export function setSeed(seed: number): void {
  defaultRng = new Rng(seed);
}

/**
 * Options shared by the random creation ops. `seed` is a number (a fresh stream) or an
 * {@link Rng} (continues that stream); without it the global stream of {@link setSeed} is used.
 *
 * @example
 * ```ts
 * const opts: RandomOptions = { seed: 7, dtype: "float64" };
 * ```
 */
export interface RandomOptions {
  seed?: number | Rng;
  dtype?: DType;
}

function resolveRng(seed: number | Rng | undefined): Rng {
  if (seed === undefined) return defaultRng;
  return typeof seed === "number" ? new Rng(seed) : seed;
}

function sample(op: string, shape: Shape, options: RandomOptions, draw: (rng: Rng) => number): Tensor {
  assertShape(op, shape);
  const dtype = options.dtype ?? "float32";
  assertDType(op, dtype, FLOAT_DTYPES, "dtype");
  const rng = resolveRng(options.seed);
  const data = allocTypedArray(dtype, sizeOf(shape));
  for (let i = 0; i < data.length; i++) data[i] = draw(rng);
  return fromTypedArray(data, shape, dtype);
}

/**
 * Uniform samples in [min, max).
 *
 * @example
 * ```ts
 * randomUniform([2, 3], { min: -1, max: 1, seed: 0 });
 * ```
 */
export function randomUniform(shape: Shape, options: RandomOptions & { min?: number; max?: number } = {}): Tensor {
  const lo = options.min ?? 0;
  const hi = options.max ?? 1;
  if (!(hi > lo)) throw new ArgumentError(`randomUniform: max ${hi} must exceed min ${lo}`);
  // Rounding to float32 (or lo + (hi - lo)·u in float64) can land on hi itself; redraw then,
  // so max stays excluded as documented.
  const round = options.dtype === "float64" ? (v: number) => v : Math.fround;
  return sample("randomUniform", shape, options, (r) => {
    for (let attempt = 0; attempt < 64; attempt++) {
      const v = round(lo + (hi - lo) * r.nextFloat());
      if (v < hi) return v;
    }
    // Only a range narrower than the dtype's spacing fails 64 times in a row.
    return round(lo);
  });
}

/**
 * Normal samples with `mean` and standard deviation `std`.
 *
 * @example
 * ```ts
 * randomNormal([784, 128], { std: 0.01, seed: 1 });
 * ```
 */
export function randomNormal(shape: Shape, options: RandomOptions & { mean?: number; std?: number } = {}): Tensor {
  const mean = options.mean ?? 0;
  const std = options.std ?? 1;
  if (!(std >= 0)) throw new ArgumentError(`randomNormal: std ${std} must be non-negative`);
  return sample("randomNormal", shape, options, (r) => mean + std * r.nextNormal());
}

/**
 * Normal samples redrawn until they fall within two standard deviations of the mean (as
 * TensorFlow's truncated_normal).
 *
 * @example
 * ```ts
 * truncatedNormal([64, 32], { std: 0.1, seed: 3 });
 * ```
 */
export function truncatedNormal(shape: Shape, options: RandomOptions & { mean?: number; std?: number } = {}): Tensor {
  const mean = options.mean ?? 0;
  const std = options.std ?? 1;
  if (!(std >= 0)) throw new ArgumentError(`truncatedNormal: std ${std} must be non-negative`);
  return sample("truncatedNormal", shape, options, (r) => {
    let z = r.nextNormal();
    while (Math.abs(z) > 2) z = r.nextNormal();
    return mean + std * z;
  });
}
