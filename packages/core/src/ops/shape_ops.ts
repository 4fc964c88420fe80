import { prepareInputs } from "../engine.js";
import { ArgumentError, kindOf, ShapeError } from "../errors.js";
import { formatShape, normalizeAxis, shapesEqual, sizeOf } from "../shape.js";
import type { Tensor } from "../tensor.js";
import { broadcastTo } from "./broadcast_to.js";
import { concat } from "./concat.js";
import { reshape } from "./reshape.js";
import { slice } from "./slice.js";

/**
 * Inserts a size-1 axis at `axis`.
 *
 * @example
 * ```ts
 * expandDims(zeros([3]), 0).shape; // [1, 3]
 * ```
 */
export function expandDims(x: Tensor, axis = 0): Tensor {
  prepareInputs("expandDims", [x]);
  const a = normalizeAxis("expandDims", axis, x.rank + 1);
  return reshape(x, [...x.shape.slice(0, a), 1, ...x.shape.slice(a)]);
}

/**
 * Removes size-1 axes (all of them, or those listed).
 *
 * @example
 * ```ts
 * squeeze(zeros([1, 3, 1])).shape; // [3]
 * ```
 */
export function squeeze(x: Tensor, axes?: number | readonly number[]): Tensor {
  prepareInputs("squeeze", [x]);
  const drop =
    axes === undefined
      ? x.shape.flatMap((d, i) => (d === 1 ? [i] : []))
      : (typeof axes === "number" ? [axes] : axes).map((a) => normalizeAxis("squeeze", a, x.rank));
  for (const a of drop) {
    if (x.shape[a] !== 1)
      throw new ArgumentError(`squeeze: axis ${a} of ${x.describe()} has size ${x.shape[a]}, expected 1`);
  }
  return reshape(
    x,
    x.shape.filter((_, i) => !drop.includes(i)),
  );
}

/**
 * Flattens all axes after the first: [batch, ...] → [batch, rest] (a scalar becomes [1]).
 *
 * @example
 * ```ts
 * flatten(zeros([10, 28, 28])).shape; // [10, 784]
 * ```
 */
export function flatten(x: Tensor): Tensor {
  prepareInputs("flatten", [x]);
  if (x.rank === 0) return reshape(x, [1]);
  // Computed rather than -1, which cannot be inferred for an empty batch.
  return reshape(x, [x.shape[0] as number, sizeOf(x.shape.slice(1))]);
}

/**
 * Stacks same-shape tensors along a new axis.
 *
 * @example
 * ```ts
 * stack([zeros([3]), ones([3])]).shape; // [2, 3]
 * ```
 */
export function stack(xs: readonly Tensor[], axis = 0): Tensor {
  const first = xs[0];
  if (first === undefined) throw new ArgumentError("stack: got no tensors, expected at least one");
  prepareInputs("stack", xs);
  const a = normalizeAxis("stack", axis, first.rank + 1);
  if (xs.some((t) => !shapesEqual(t.shape, first.shape))) {
    throw new ShapeError(`stack: shapes ${xs.map((t) => formatShape(t.shape)).join(", ")} differ, expected one shape`);
  }
  const expanded = xs.map((t) => expandDims(t, a));
  try {
    return concat(expanded, a);
  } finally {
    for (const e of expanded) e.dispose();
  }
}

/**
 * Splits along `axis` into equal parts (a number) or parts of the given sizes.
 *
 * @example
 * ```ts
 * split(arange(6), 3).map((t) => t.shape); // [[2], [2], [2]]
 * ```
 */
export function split(x: Tensor, sections: number | readonly number[], axis = 0): Tensor[] {
  prepareInputs("split", [x]);
  const a = normalizeAxis("split", axis, x.rank);
  const dim = x.shape[a] as number;
  let sizes: readonly number[];
  if (typeof sections === "number") {
    if (!Number.isInteger(sections) || sections <= 0 || dim % sections !== 0) {
      throw new ArgumentError(`split: axis ${a} of ${x.describe()} cannot be split into ${sections} equal parts`);
    }
    sizes = Array.from({ length: sections }, () => dim / sections);
  } else {
    if (!Array.isArray(sections)) {
      throw new ArgumentError(`split: sections is ${kindOf(sections)}, expected a number of parts or a list of sizes`);
    }
    sizes = sections;
    if (sizes.some((v) => !Number.isInteger(v) || v < 0)) {
      throw new ArgumentError(`split: sizes [${sizes.join(",")}] must be non-negative integers`);
    }
    if (sizes.reduce((s, v) => s + v, 0) !== dim) {
      throw new ArgumentError(`split: sizes [${sizes.join(",")}] do not add up to ${dim} on axis ${a}`);
    }
  }
  let offset = 0;
  return sizes.map((size) => {
    const begin = x.shape.map((_, i) => (i === a ? offset : 0));
    const extent = x.shape.map((d, i) => (i === a ? size : d));
    offset += size;
    return slice(x, begin, extent);
  });
}

/**
 * Repeats the whole tensor `reps[i]` times along axis i, as NumPy's `tile`: a shorter `reps`
 * is padded with leading 1s, a longer one gives `x` leading axes of size 1.
 *
 * @example
 * ```ts
 * tile(tensor([1, 2]), [2]); // [1, 2, 1, 2]
 * tile(tensor([[1, 2]]), [2, 1]); // [[1, 2], [1, 2]]
 * ```
 */
export function tile(x: Tensor, reps: readonly number[]): Tensor {
  prepareInputs("tile", [x]);
  if (reps.some((r) => !Number.isInteger(r) || r < 0)) {
    throw new ArgumentError(`tile: reps [${reps.join(",")}] must be non-negative integers`);
  }
  const rank = Math.max(x.rank, reps.length);
  const dims = [...Array.from({ length: rank - x.rank }, () => 1), ...x.shape];
  const times = [...Array.from({ length: rank - reps.length }, () => 1), ...reps];
  // [d0, d1] → [1, d0, 1, d1] → broadcast to [r0, d0, r1, d1] → [r0·d0, r1·d1].
  using spread = reshape(
    x,
    dims.flatMap((d) => [1, d]),
  );
  using repeated = broadcastTo(
    spread,
    dims.flatMap((d, i) => [times[i] as number, d]),
  );
  return reshape(
    repeated,
    dims.map((d, i) => d * (times[i] as number)),
  );
}

/**
 * Splits along `axis` into its slices, dropping that axis: the inverse of {@link stack}.
 *
 * @example
 * ```ts
 * unstack(tensor([[1, 2], [3, 4]])).map((t) => t.toArray()); // [[1, 2], [3, 4]]
 * ```
 */
export function unstack(x: Tensor, axis = 0): Tensor[] {
  prepareInputs("unstack", [x]);
  const a = normalizeAxis("unstack", axis, x.rank);
  const rest = x.shape.filter((_, i) => i !== a);
  return Array.from({ length: x.shape[a] as number }, (_, k) => {
    using part = slice(
      x,
      x.shape.map((_, i) => (i === a ? k : 0)),
      x.shape.map((d, i) => (i === a ? 1 : d)),
    );
    return reshape(part, rest);
  });
}
