/**
 * Base class of every error tapegrad throws on purpose. Catch it to tell tapegrad's own
 * diagnostics from other failures.
 *
 * @example
 * ```ts
 * try {
 *   matmul(zeros([2, 3]), zeros([4, 5]));
 * } catch (e) {
 *   if (e instanceof TapegradError) console.log(e.message);
 * }
 * ```
 */
export class TapegradError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/**
 * Shapes that do not fit an op: mismatched inner dimensions, non-broadcastable operands,
 * reshape sizes that differ.
 *
 * @example
 * ```ts
 * add(zeros([2]), zeros([3])); // throws ShapeError: add: shapes [2] and [3] do not broadcast
 * ```
 */
export class ShapeError extends TapegradError {}

/**
 * A dtype an op does not accept (log of an int32 tensor, a bool matmul).
 *
 * @example
 * ```ts
 * log(tensor([1, 2], { dtype: "int32" })); // throws DTypeError
 * ```
 */
export class DTypeError extends TapegradError {}

/**
 * An argument with a wrong value: an axis out of range, a negative size, a bad option.
 *
 * @example
 * ```ts
 * sum(zeros([2, 2]), 5); // throws ArgumentError: sum: axis 5 is out of range for rank 2
 * ```
 */
export class ArgumentError extends TapegradError {}

/**
 * Use of a tensor after `dispose()` (directly, or by a `tidy` that ended).
 *
 * @example
 * ```ts
 * const t = ones([2]);
 * t.dispose();
 * t.dataSync(); // throws DisposedError
 * ```
 */
export class DisposedError extends TapegradError {}

/**
 * No backend set, a backend that cannot do what was asked (sync reads, a dtype), or a
 * backend failure such as a lost WebGL context.
 *
 * @example
 * ```ts
 * zeros([2]); // before setBackend(...): throws BackendError naming setBackend
 * ```
 */
export class BackendError extends TapegradError {}

/**
 * @internal What a wrong argument was, for messages: "null", "an array", "number".
 *
 * @example
 * ```ts
 * throw new ArgumentError(`tidy: got ${kindOf(fn)}, expected a function to run`);
 * ```
 */
export function kindOf(v: unknown): string {
  if (v === null) return "null";
  return Array.isArray(v) ? "an array" : typeof v;
}
