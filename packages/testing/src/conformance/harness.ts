import { type Backend, type DType, MemoryScope, type Tensor } from "@tapegrad/core";
import fc from "fast-check";
import { expectClose } from "../close.js";
import { type TensorDescription, toTensor } from "../description.js";
import { array, map, type RefArray, storeAs } from "./reference.js";
import type { Tolerance, ToleranceKind } from "./tolerance.js";

/**
 * What a conformance case runs against: the backend under test and the run settings.
 *
 * @example
 * ```ts
 * const run = async (ctx: ConformanceContext) => {
 *   ctx.tolerance("arithmetic", "float32"); // from the backend's floatPrecision
 * };
 * ```
 */
export interface ConformanceContext {
  readonly backend: Backend;
  /** fast-check runs per property. */
  readonly numRuns: number;
  /** Whether the backend declares `dtype`. */
  has(dtype: DType): boolean;
  /** The tolerance for a result of `dtype` and `kind` on this backend. */
  tolerance(kind: ToleranceKind, dtype: DType): Tolerance;
  /** Ends the case as skipped, with a reason (a capability the backend lacks). */
  skip(note: string): never;
}

/**
 * One `it` of the conformance suite: the catalogue op it covers, and the dtypes the backend
 * must declare for it to run (it is reported as skipped otherwise).
 *
 * @example
 * ```ts
 * const c: ConformanceCase = {
 *   group: "unary", op: "exp", title: "exp float32", dtypes: ["float32"],
 *   run: async (ctx) => { ... },
 * };
 * ```
 */
export interface ConformanceCase {
  readonly group: string;
  readonly op: string;
  readonly title: string;
  readonly dtypes: readonly DType[];
  /** Runs the case on the current backend; throws (through `expect`) on a mismatch. */
  run(ctx: ConformanceContext): Promise<void>;
}

/** One case per dtype: `title` defaults to `${op} ${dtype}`. */
export function perDtype(
  group: string,
  op: string,
  dtypes: readonly DType[],
  run: (ctx: ConformanceContext, dtype: DType) => Promise<void>,
  title = (dtype: DType) => `${op} ${dtype}`,
): ConformanceCase[] {
  return dtypes.map((dtype) => ({ group, op, title: title(dtype), dtypes: [dtype], run: (ctx) => run(ctx, dtype) }));
}

/**
 * Runs an async property: each run gets a fresh MemoryScope (tensors made in `scope.run`
 * are freed after the run, even when it fails), so a failing, shrinking property leaks
 * nothing.
 */
export async function property<T>(
  ctx: ConformanceContext,
  arb: fc.Arbitrary<T>,
  body: (value: T, scope: MemoryScope) => Promise<void>,
): Promise<void> {
  await fc.assert(
    fc.asyncProperty(arb, async (value) => {
      const scope = new MemoryScope();
      try {
        await body(value, scope);
      } finally {
        scope.dispose();
      }
    }),
    { numRuns: ctx.numRuns },
  );
}

/** The reference array of a description. */
export function ref(d: TensorDescription): RefArray {
  return array(d.shape, d.values);
}

/** A live tensor from a description, made inside `scope`. */
export function live(scope: MemoryScope, d: TensorDescription, dtype: DType = d.dtype): Tensor {
  return scope.run(() => toTensor(d, dtype));
}

/** The largest |value| over descriptions (at least 1): the scale of absolute tolerances. */
export function magnitude(...ds: readonly (TensorDescription | RefArray)[]): number {
  let m = 1;
  for (const d of ds) for (const v of d.values) if (Number.isFinite(v)) m = Math.max(m, Math.abs(v));
  return m;
}

/** Options of {@link expectTensor}. */
export interface ExpectOptions {
  readonly kind: ToleranceKind;
  /** Largest input magnitude; atol is multiplied by it (see tolerance.ts). */
  readonly magnitude?: number;
  /** Per-element scale of the error (for accumulations: the reference over |terms|). */
  readonly scale?: RefArray;
  readonly label: string;
}

/**
 * Checks a result's shape, dtype and values against the reference, with the tolerance the
 * backend's precision allows. The reference is first stored as `dtype` stores values.
 */
export async function expectTensor(
  ctx: ConformanceContext,
  actual: Tensor,
  expected: RefArray,
  dtype: DType,
  options: ExpectOptions,
): Promise<void> {
  const label = `${options.label} (shape [${expected.shape}], ${dtype})`;
  if (actual.shape.join() !== expected.shape.join() || actual.shape.length !== expected.shape.length) {
    throw new Error(`${label}: got shape [${actual.shape}], expected [${expected.shape}]`);
  }
  if (actual.dtype !== dtype) throw new Error(`${label}: got dtype ${actual.dtype}, expected ${dtype}`);
  const data = await actual.data();
  const want = dtype === "int32" || dtype === "bool" ? map(expected, (v) => storeAs(v, dtype)).values : expected.values;
  const tol = ctx.tolerance(options.kind, dtype);
  expectClose(data, want, {
    rtol: tol.rtol,
    atol: tol.atol * (options.magnitude ?? 1),
    ...(options.scale === undefined ? {} : { scale: options.scale.values }),
    shape: expected.shape,
    label,
  });
}

/**
 * `n` pseudo-random values of `dtype` in [lo, hi] from a seed (mulberry32), for inputs too
 * large to generate element by element with fast-check.
 */
export function seededValues(n: number, dtype: DType, lo: number, hi: number, seed: number): number[] {
  let s = seed | 0;
  const out = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    s = (s + 0x6d2b79f5) | 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    const u = ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    out[i] = dtype === "int32" ? Math.floor(lo + (hi - lo + 1) * u) : storeAs(lo + (hi - lo) * u, dtype);
  }
  return out;
}
