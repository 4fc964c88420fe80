import { parseIdx } from "@tapegrad/data";

/**
 * MNIST images as the page uses them: `count` images of 784 pixels in [0, 1], row-major.
 *
 * @example
 * ```ts
 * const train: Images = await fetchImages("train", 2000);
 * train.pixels.length; // 2000 * 784
 * ```
 */
export interface Images {
  readonly count: number;
  readonly pixels: Float32Array;
}

/**
 * Fetches the first `count` images of a split from the dev server's `/mnist/` route (the
 * official IDX files, cut to `count` items by the server) and scales bytes to [0, 1].
 *
 * @example
 * ```ts
 * const test = await fetchImages("test", 8);
 * ```
 */
export async function fetchImages(split: "train" | "test", count: number): Promise<Images> {
  const file = split === "train" ? "train-images-idx3-ubyte" : "t10k-images-idx3-ubyte";
  const response = await fetch(`/mnist/${file}?count=${count}`);
  if (!response.ok) throw new Error(`could not load MNIST ${split} images: HTTP ${response.status}`);
  const idx = parseIdx(new Uint8Array(await response.arrayBuffer()));
  const bytes = idx.data as Uint8Array;
  const pixels = new Float32Array(bytes.length);
  for (let i = 0; i < bytes.length; i++) pixels[i] = (bytes[i] as number) / 255;
  return { count: idx.shape[0] as number, pixels };
}
