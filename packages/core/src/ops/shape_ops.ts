import { prepareInputs } from "../engine.js";
import { ArgumentError, ShapeError } from "../errors.js";
import { formatShape, normalizeAxis, shapesEqual, sizeOf } from "../shape.js";
import type { Tensor } from "../tensor.js";
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
export function squeeze(x: Tensor, axes?: readonly number[]): Tensor {
  prepareInputs("squeeze", [x]);
  const drop =
    axes === undefined
      ? x.shape.flatMap((d, i) => (d === 1 ? [i] : []))
      : axes.map((a) => normalizeAxis("squeeze", a, x.rank));
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
