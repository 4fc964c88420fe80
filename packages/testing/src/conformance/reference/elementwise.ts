import { map, type RefArray, zipWith } from "./array.js";

/** Round half to even, keeping the sign of zero, as NumPy's `round`. */
function roundHalfEven(v: number): number {
  if (!Number.isFinite(v)) return v;
  const f = Math.floor(v);
  const d = v - f;
  const r = d < 0.5 ? f : d > 0.5 ? f + 1 : f % 2 === 0 ? f : f + 1;
  return r === 0 && (v < 0 || Object.is(v, -0)) ? -0 : r;
}

/**
 * Elementwise unary ops of the Backend contract, computed in float64.
 *
 * @example
 * ```ts
 * UNARY.round(2.5); // 2
 * ```
 */
export const UNARY: Readonly<Record<string, (v: number) => number>> = {
  neg: (v) => -v,
  exp: Math.exp,
  log: Math.log,
  log1p: Math.log1p,
  sqrt: Math.sqrt,
  abs: Math.abs,
  sign: (v) => (Number.isNaN(v) ? Number.NaN : v > 0 ? 1 : v < 0 ? -1 : 0),
  sin: Math.sin,
  cos: Math.cos,
  tanh: Math.tanh,
  reciprocal: (v) => 1 / v,
  floor: Math.floor,
  ceil: Math.ceil,
  round: roundHalfEven,
  logicalNot: (v) => (v === 0 ? 1 : 0),
};

/**
 * Elementwise binary ops of the Backend contract, computed in float64; comparisons and logical
 * ops give 0/1.
 *
 * @example
 * ```ts
 * BINARY.maximum(1, Number.NaN); // NaN
 * ```
 */
export const BINARY: Readonly<Record<string, (a: number, b: number) => number>> = {
  add: (a, b) => a + b,
  sub: (a, b) => a - b,
  mul: (a, b) => a * b,
  div: (a, b) => a / b,
  pow: (a, b) => a ** b,
  maximum: (a, b) => (Number.isNaN(a) || Number.isNaN(b) ? Number.NaN : Math.max(a, b)),
  minimum: (a, b) => (Number.isNaN(a) || Number.isNaN(b) ? Number.NaN : Math.min(a, b)),
  equal: (a, b) => (a === b ? 1 : 0),
  notEqual: (a, b) => (a !== b ? 1 : 0),
  less: (a, b) => (a < b ? 1 : 0),
  lessEqual: (a, b) => (a <= b ? 1 : 0),
  greater: (a, b) => (a > b ? 1 : 0),
  greaterEqual: (a, b) => (a >= b ? 1 : 0),
  logicalAnd: (a, b) => (a !== 0 && b !== 0 ? 1 : 0),
  logicalOr: (a, b) => (a !== 0 || b !== 0 ? 1 : 0),
};

/**
 * An elementwise unary op by name (see {@link UNARY}).
 *
 * @example
 * ```ts
 * unary("exp", array([], [0])).values; // [1]
 * ```
 */
export function unary(op: string, x: RefArray): RefArray {
  const f = UNARY[op];
  if (f === undefined) throw new Error(`reference: unknown unary op ${op}`);
  return map(x, f);
}

/**
 * An elementwise binary op by name with NumPy broadcasting (see {@link BINARY}).
 *
 * @example
 * ```ts
 * binary("add", array([2, 1], [1, 2]), array([2], [10, 20])).values; // [11, 21, 12, 22]
 * ```
 */
export function binary(op: string, a: RefArray, b: RefArray): RefArray {
  const f = BINARY[op];
  if (f === undefined) throw new Error(`reference: unknown binary op ${op}`);
  return zipWith([a, b], f);
}

/**
 * cond ? a : b with broadcasting of all three.
 *
 * @example
 * ```ts
 * where(array([2], [1, 0]), array([], [5]), array([2], [1, 2])).values; // [5, 2]
 * ```
 */
export function where(cond: RefArray, a: RefArray, b: RefArray): RefArray {
  return zipWith([cond, a, b], (c, x, y) => (c !== 0 ? x : y));
}
