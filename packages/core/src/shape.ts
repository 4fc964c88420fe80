import { ArgumentError, ShapeError } from "./errors.js";

/**
 * A tensor's dimensions, outermost first. `[]` is a scalar.
 *
 * @example
 * ```ts
 * const s: Shape = [256, 784];
 * ```
 */
export type Shape = readonly number[];

/**
 * Number of elements of a shape (1 for a scalar).
 *
 * @example
 * ```ts
 * sizeOf([2, 3]); // 6
 * ```
 */
export function sizeOf(shape: Shape): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/**
 * Row-major strides of a shape, in elements.
 *
 * @example
 * ```ts
 * stridesOf([2, 3, 4]); // [12, 4, 1]
 * ```
 */
export function stridesOf(shape: Shape): number[] {
  const strides = new Array<number>(shape.length);
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    strides[i] = s;
    s *= shape[i] as number;
  }
  return strides;
}

/**
 * Whether two shapes are equal.
 *
 * @example
 * ```ts
 * shapesEqual([2, 3], [2, 3]); // true
 * ```
 */
export function shapesEqual(a: Shape, b: Shape): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * Formats a shape as `[2,3]` for error messages.
 *
 * @example
 * ```ts
 * formatShape([256, 784]); // "[256,784]"
 * ```
 */
export function formatShape(shape: Shape): string {
  return `[${shape.join(",")}]`;
}

/**
 * The NumPy broadcast of two shapes: align trailing dimensions; each pair must be equal or
 * contain a 1.
 *
 * @example
 * ```ts
 * broadcastShapes("add", [3, 1], [4]); // [3, 4]
 * ```
 */
export function broadcastShapes(op: string, a: Shape, b: Shape): number[] {
  const rank = Math.max(a.length, b.length);
  const out = new Array<number>(rank);
  for (let i = 0; i < rank; i++) {
    const da = a[a.length - rank + i] ?? 1;
    const db = b[b.length - rank + i] ?? 1;
    if (da !== db && da !== 1 && db !== 1) {
      throw new ShapeError(`${op}: shapes ${formatShape(a)} and ${formatShape(b)} do not broadcast`);
    }
    out[i] = da === 1 ? db : da;
  }
  return out;
}

/**
 * Checks that `shape` is a valid shape (non-negative integers).
 *
 * @example
 * ```ts
 * assertShape("zeros", [2, -1]); // throws ArgumentError
 * ```
 */
export function assertShape(op: string, shape: Shape): void {
  for (const d of shape) {
    if (!Number.isInteger(d) || d < 0) {
      throw new ArgumentError(`${op}: shape ${formatShape(shape)} must hold non-negative integers`);
    }
  }
}

/**
 * Resolves one possibly negative axis against a rank; throws if out of range.
 *
 * @example
 * ```ts
 * normalizeAxis("sum", -1, 3); // 2
 * ```
 */
export function normalizeAxis(op: string, axis: number, rank: number): number {
  if (!Number.isInteger(axis) || axis < -rank || axis >= rank) {
    throw new ArgumentError(`${op}: axis ${axis} is out of range for rank ${rank}`);
  }
  return axis < 0 ? axis + rank : axis;
}

/**
 * Resolves an axis argument (undefined = all axes, a number, or a list) into sorted, unique,
 * non-negative axes; throws on out-of-range or repeated axes.
 *
 * @example
 * ```ts
 * normalizeAxes("sum", [-1, 0], 3); // [0, 2]
 * ```
 */
export function normalizeAxes(op: string, axis: number | readonly number[] | undefined, rank: number): number[] {
  if (axis === undefined) return Array.from({ length: rank }, (_, i) => i);
  const list = typeof axis === "number" ? [axis] : axis;
  const out = list.map((a) => normalizeAxis(op, a, rank));
  if (new Set(out).size !== out.length) {
    throw new ArgumentError(`${op}: axes [${list.join(",")}] repeat an axis`);
  }
  return out.sort((x, y) => x - y);
}
