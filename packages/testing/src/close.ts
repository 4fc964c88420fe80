/**
 * Tolerances of {@link expectClose}: element i passes when
 * `|actual[i] − expected[i]| ≤ atol + rtol · max(|expected[i]|, scale[i])`.
 *
 * @example
 * ```ts
 * const tol: CloseOptions = { rtol: 1e-5, atol: 1e-7 };
 * ```
 */
export interface CloseOptions {
  /** Relative tolerance (default 1e-5, as NumPy's allclose). */
  readonly rtol?: number;
  /** Absolute tolerance (default 1e-8, as NumPy's allclose). */
  readonly atol?: number;
  /**
   * Per-element magnitudes the rounding error is relative to, when that is larger than the
   * result itself: for a sum, Σ|x| (cancellation leaves a small result with a large error).
   */
  readonly scale?: ArrayLike<number>;
  /** The shape of both arrays, to report a mismatch by multi-index. */
  readonly shape?: readonly number[];
  /** Prefix of the failure message (e.g. the op and dtype). */
  readonly label?: string;
}

/**
 * Whether two numbers agree within a tolerance: NaN equals NaN, an infinity equals only the
 * same infinity, and otherwise |a − e| ≤ tol.
 *
 * @example
 * ```ts
 * isClose(Number.NaN, Number.NaN, 0); // true
 * isClose(Infinity, 1e308, 1e300); // false
 * ```
 */
export function isClose(actual: number, expected: number, tolerance: number): boolean {
  if (Number.isNaN(expected) || Number.isNaN(actual)) return Number.isNaN(expected) && Number.isNaN(actual);
  if (!Number.isFinite(expected) || !Number.isFinite(actual)) return actual === expected;
  return Math.abs(actual - expected) <= tolerance;
}

/**
 * Asserts two arrays have the same length and agree elementwise within `rtol`/`atol` (NaN
 * and ±Infinity compared exactly). On failure it throws an Error naming the first mismatch
 * (index, both values, the difference and the tolerance) and how many elements differ.
 *
 * @example
 * ```ts
 * expectClose(await y.data(), [0.5, 0.731], { rtol: 1e-3 });
 * // Error: element [1] of 2 differs: got 0.7, expected 0.731 (|diff| 0.031 > tol 0.000731); 1 of 2 elements differ
 * ```
 */
export function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, options: CloseOptions = {}): void {
  const rtol = options.rtol ?? 1e-5;
  const atol = options.atol ?? 1e-8;
  const prefix = options.label === undefined ? "" : `${options.label}: `;
  if (actual.length !== expected.length) {
    throw new Error(`${prefix}got ${actual.length} elements, expected ${expected.length}`);
  }
  let first = -1;
  let count = 0;
  let firstTol = 0;
  for (let i = 0; i < expected.length; i++) {
    const e = expected[i] as number;
    const scale = options.scale === undefined ? 0 : Math.abs(options.scale[i] as number);
    const tol = atol + rtol * Math.max(Math.abs(e), scale);
    if (!isClose(actual[i] as number, e, tol)) {
      if (first < 0) {
        first = i;
        firstTol = tol;
      }
      count++;
    }
  }
  if (first < 0) return;
  const a = actual[first] as number;
  const e = expected[first] as number;
  const where =
    options.shape === undefined ? `[${first}]` : `[${multiIndex(first, options.shape).join(",")}] (flat ${first})`;
  const diff = Number.isFinite(a - e) ? ` (|diff| ${Math.abs(a - e)} > tol ${firstTol})` : "";
  throw new Error(
    `${prefix}element ${where} of ${expected.length} differs: got ${a}, expected ${e}${diff}; ` +
      `${count} of ${expected.length} elements differ\n  got      ${preview(actual, first)}\n  expected ${preview(expected, first)}`,
  );
}

function multiIndex(flat: number, shape: readonly number[]): number[] {
  const idx = new Array<number>(shape.length);
  let rest = flat;
  for (let d = shape.length - 1; d >= 0; d--) {
    const s = shape[d] as number;
    idx[d] = s === 0 ? 0 : rest % s;
    rest = s === 0 ? 0 : Math.floor(rest / s);
  }
  return idx;
}

/** A few elements around `at`, for the failure message. */
function preview(values: ArrayLike<number>, at: number): string {
  const from = Math.max(0, at - 3);
  const to = Math.min(values.length, at + 4);
  const items = Array.from({ length: to - from }, (_, k) => {
    const v = values[from + k] as number;
    return from + k === at ? `>${v}<` : String(v);
  });
  return `[${from > 0 ? "…, " : ""}${items.join(", ")}${to < values.length ? ", …" : ""}]`;
}
