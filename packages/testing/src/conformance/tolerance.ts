import type { DType } from "@tapegrad/core";

/**
 * How an op's result may deviate from the float64 reference:
 * - `exact`: integer, bool, movement, selection and comparison results; must match bit for bit.
 * - `arithmetic`: one or two correctly rounded float operations per element (add, mul, div,
 *   maximum, where, cast to float, relu, clip…).
 * - `transcendental`: exp, log, sin, tanh, pow, sqrt and the composites built on them
 *   (sigmoid, softmax, logSumExp, softplus, elu…).
 * - `accumulation`: sums of many terms (sum, mean, variance, matmul, dense); the tolerance is
 *   relative to Σ|terms|, not to the (possibly cancelled) result.
 *
 * @example
 * ```ts
 * const kind: ToleranceKind = "transcendental";
 * ```
 */
export type ToleranceKind = "exact" | "arithmetic" | "transcendental" | "accumulation";

/**
 * A relative and an absolute tolerance.
 *
 * @example
 * ```ts
 * const tol: Tolerance = { rtol: 1e-5, atol: 1e-6 };
 * ```
 */
export interface Tolerance {
  readonly rtol: number;
  readonly atol: number;
}

// The tolerance table. Columns are the precision a result is actually computed and stored
// in: float64 tensors on a backend declaring floatPrecision 64; float32 tensors on such a
// backend (each kernel computes in float64 and rounds once to float32, so only rounding and
// the rounding of composed steps show); and any float tensor on a floatPrecision-32 backend
// (WebGL), whose GPU math may be looser than correctly rounded — SwiftShader's exp, sin and
// tanh are good to about 1e-3 relative, hence the transcendental column. atol applies to
// results of magnitude ~1; the harness scales it by the largest input magnitude (at least
// 1), since absolute errors of x − logSumExp(x) or x·w grow with x.
//
//   kind            float64 / fp64 backend   float32 / fp64 backend   fp32 backend (WebGL)
//   exact           0                        0                        0
//   arithmetic      rtol 1e-12  atol 1e-12   rtol 1e-6  atol 1e-6     rtol 1e-5  atol 1e-6
//   transcendental  rtol 1e-12  atol 1e-12   rtol 1e-5  atol 1e-6     rtol 2e-3  atol 1e-3
//   accumulation    rtol 1e-12  atol 1e-12   rtol 1e-5  atol 1e-6     rtol 1e-4  atol 1e-5
const TABLE: Record<"f64" | "f32" | "gpu", Record<Exclude<ToleranceKind, "exact">, Tolerance>> = {
  f64: {
    arithmetic: { rtol: 1e-12, atol: 1e-12 },
    transcendental: { rtol: 1e-12, atol: 1e-12 },
    accumulation: { rtol: 1e-12, atol: 1e-12 },
  },
  f32: {
    arithmetic: { rtol: 1e-6, atol: 1e-6 },
    transcendental: { rtol: 1e-5, atol: 1e-6 },
    accumulation: { rtol: 1e-5, atol: 1e-6 },
  },
  gpu: {
    arithmetic: { rtol: 1e-5, atol: 1e-6 },
    transcendental: { rtol: 2e-3, atol: 1e-3 },
    accumulation: { rtol: 1e-4, atol: 1e-5 },
  },
};

/**
 * The tolerance for a result of `dtype` and `kind` on a backend computing floats in
 * `floatPrecision` bits (see the table in this file). Integer and bool results are exact.
 *
 * @example
 * ```ts
 * toleranceFor("transcendental", "float32", 32); // { rtol: 2e-3, atol: 1e-3 }
 * ```
 */
export function toleranceFor(kind: ToleranceKind, dtype: DType, floatPrecision: 32 | 64): Tolerance {
  if (kind === "exact" || dtype === "int32" || dtype === "bool") return { rtol: 0, atol: 0 };
  const column = floatPrecision === 32 ? "gpu" : dtype === "float64" ? "f64" : "f32";
  return TABLE[column][kind];
}
