import { ArgumentError, gather, type Rng, ShapeError, slice, type Tensor, tensor } from "@tapegrad/core";
import { describeValue } from "../describe_value.js";

/**
 * @internal A uniformly random permutation of 0..n−1 by Fisher–Yates: starting from the
 * identity, for i from n−1 down to 1 swap i with `rng.nextInt(i + 1)`. Documented exactly so a
 * hand-written loop can reproduce `fit`'s batches from the same seed.
 */
export function permutation(n: number, rng: Rng): Int32Array {
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = rng.nextInt(i + 1);
    const t = order[i] as number;
    order[i] = order[j] as number;
    order[j] = t;
  }
  return order;
}

/**
 * @internal Rows `start..start+size` of `x` along axis 0, in `order` when given (a gather) or
 * in place (a slice; `x` itself when the batch is all of it). The caller owns the result
 * unless it is `x`.
 */
export function takeRows(x: Tensor, start: number, size: number, order: Int32Array | null): Tensor {
  if (order !== null) return gather(x, tensor(order.subarray(start, start + size), { dtype: "int32" }), 0);
  if (start === 0 && size === x.shape[0]) return x;
  return slice(x, [start], [size]);
}

/** @internal Checks that `x` and `y` are tensors with the same number of samples (axis 0). */
export function checkData(op: string, x: unknown, y: unknown, what = ""): number {
  const label = what === "" ? "" : `${what} `;
  if (!isTensor(x)) throw new ArgumentError(`${op}: ${label}x must be a Tensor, got ${describeValue(x)}`);
  if (y !== undefined && !isTensor(y))
    throw new ArgumentError(`${op}: ${label}y must be a Tensor, got ${describeValue(y)}`);
  if (x.rank < 1) throw new ShapeError(`${op}: ${label}x ${x.describe()} needs a leading sample axis`);
  const n = x.shape[0] as number;
  if (n === 0) throw new ShapeError(`${op}: ${label}x ${x.describe()} has no samples`);
  if (y !== undefined && (y.rank < 1 || y.shape[0] !== n)) {
    throw new ShapeError(`${op}: ${label}x ${x.describe()} and y ${y.describe()} have different numbers of samples`);
  }
  return n;
}

function isTensor(v: unknown): v is Tensor {
  return typeof v === "object" && v !== null && typeof (v as Tensor).describe === "function" && "shape" in v;
}

/** @internal Validates a batch size option. */
export function checkBatchSize(op: string, batchSize: unknown): number {
  if (typeof batchSize !== "number" || !Number.isInteger(batchSize) || batchSize < 1) {
    throw new ArgumentError(`${op}: batchSize must be a positive integer, got ${describeValue(batchSize)}`);
  }
  return batchSize;
}
