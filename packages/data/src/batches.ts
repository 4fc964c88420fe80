import { ArgumentError, gather, Rng, type Tensor, tensor } from "@tapegrad/core";

/**
 * Options of {@link batches}.
 *
 * @example
 * ```ts
 * const opts: BatchOptions = { shuffle: true, seed: 42, dropRemainder: false };
 * ```
 */
export interface BatchOptions {
  /** Visit the indices in a random order (default true). */
  shuffle?: boolean;
  /**
   * A number starts a fresh stream; an {@link Rng} continues one, which is how successive
   * epochs get different orders that are still reproducible from one seed. Default 0.
   */
  seed?: number | Rng;
  /** Skip the last batch when it is smaller than `batchSize` (default false). */
  dropRemainder?: boolean;
}

/**
 * One epoch of mini-batches over `n` examples: yields `Int32Array`s of indices that together
 * cover `0 … n-1` exactly once (all but the last have `batchSize` entries). Shuffling is a
 * Fisher–Yates permutation drawn from core's seeded {@link Rng}, so the order depends only on
 * the seed. The index arrays are independent copies the caller may keep.
 *
 * @example
 * ```ts
 * const rng = new Rng(42);
 * for (let epoch = 0; epoch < 3; epoch++) {
 *   for (const idx of batches(60000, 100, { seed: rng })) {
 *     const xb = gatherBatch(images, idx); // [100, 784]
 *     // ... train step ...
 *     xb.dispose();
 *   }
 * }
 * ```
 */
export function* batches(n: number, batchSize: number, options: BatchOptions = {}): Generator<Int32Array> {
  if (!Number.isInteger(n) || n < 0) throw new ArgumentError(`batches: n = ${n} must be a non-negative integer`);
  if (!Number.isInteger(batchSize) || batchSize < 1) {
    throw new ArgumentError(`batches: batchSize = ${batchSize} must be a positive integer`);
  }
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  if (options.shuffle ?? true) {
    const seed = options.seed ?? 0;
    const rng = typeof seed === "number" ? new Rng(seed) : seed;
    for (let i = n - 1; i > 0; i--) {
      const j = rng.nextInt(i + 1);
      const t = order[i] as number;
      order[i] = order[j] as number;
      order[j] = t;
    }
  }
  for (let start = 0; start < n; start += batchSize) {
    const end = Math.min(start + batchSize, n);
    if (end - start < batchSize && options.dropRemainder) return;
    yield order.slice(start, end);
  }
}

/**
 * The rows of `x` (along axis 0) at `indices`, as a new tensor — the batch a
 * {@link batches} index array selects. Works for any rank: images `[n, 784]` give
 * `[batch, 784]`, labels `[n]` give `[batch]`.
 *
 * @example
 * ```ts
 * const xb = gatherBatch(images, new Int32Array([3, 1, 4])); // [3, 784]
 * ```
 */
export function gatherBatch(x: Tensor, indices: Int32Array | readonly number[]): Tensor {
  const idx = tensor(indices instanceof Int32Array ? indices : Int32Array.from(indices), { dtype: "int32" });
  try {
    return gather(x, idx, 0);
  } finally {
    idx.dispose();
  }
}
