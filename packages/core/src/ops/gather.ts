import { assertDType, NUMERIC_DTYPES } from "../dtype.js";
import { prepareInputs, runOp } from "../engine.js";
import { ArgumentError, DTypeError, ShapeError } from "../errors.js";
import { assertShape, formatShape, normalizeAxis, type Shape } from "../shape.js";
import type { Tensor } from "../tensor.js";

function checkIndices(op: string, indices: Tensor, limit: number): void {
  if (indices.dtype !== "int32") throw new DTypeError(`${op}: indices have dtype ${indices.dtype}, expected int32`);
  // Checked before the kernel so a bad index is an error, never a read past the storage.
  if (indices.backend.capabilities.syncRead) {
    const values = indices.dataSync();
    for (const v of values) {
      if (v < 0 || v >= limit) throw new ArgumentError(`${op}: index ${v} is out of range [0, ${limit})`);
    }
  }
}

/**
 * Takes slices along `axis` at integer `indices` (any shape): the output shape is
 * `x.shape[:axis] ++ indices.shape ++ x.shape[axis+1:]`.
 *
 * @example
 * ```ts
 * gather(tensor([[1, 2], [3, 4], [5, 6]]), tensor([2, 0], { dtype: "int32" })); // [[5, 6], [1, 2]]
 * ```
 */
export function gather(x: Tensor, indices: Tensor, axis = 0): Tensor {
  prepareInputs("gather", [x, indices]);
  const a = normalizeAxis("gather", axis, x.rank);
  checkIndices("gather", indices, x.shape[a] as number);
  const shape = [...x.shape.slice(0, a), ...indices.shape, ...x.shape.slice(a + 1)];
  return runOp("gather", [x, indices], { axis: a }, (b) => b.gather(x, indices, a), shape, x.dtype);
}

/**
 * The adjoint of {@link gather}: zeros of `shape` into which each slice of `updates` is added
 * at its index along `axis` (repeated indices accumulate).
 *
 * @example
 * ```ts
 * scatterAdd(tensor([1, 2, 3]), tensor([0, 0, 2], { dtype: "int32" }), 0, [3]); // [3, 0, 3]
 * ```
 */
export function scatterAdd(updates: Tensor, indices: Tensor, axis: number, shape: Shape): Tensor {
  prepareInputs("scatterAdd", [updates, indices]);
  assertDType("scatterAdd", updates.dtype, NUMERIC_DTYPES, "updates");
  assertShape("scatterAdd", shape);
  const a = normalizeAxis("scatterAdd", axis, shape.length);
  checkIndices("scatterAdd", indices, shape[a] as number);
  const expected = [...shape.slice(0, a), ...indices.shape, ...shape.slice(a + 1)];
  if (formatShape(expected) !== formatShape(updates.shape)) {
    throw new ShapeError(
      `scatterAdd: updates ${updates.describe()} do not match ${formatShape(expected)} for indices ${indices.describe()} into ${formatShape(shape)}`,
    );
  }
  return runOp(
    "scatterAdd",
    [updates, indices],
    { axis: a, shape: [...shape] },
    (b) => b.scatterAdd(updates, indices, a, shape),
    shape,
    updates.dtype,
  );
}
