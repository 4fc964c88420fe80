import { BackendError } from "@tapegrad/core";

/**
 * Widest row a tensor's texture uses, as a power of two so shaders turn a flat element index
 * into texel coordinates with a mask and a shift (`i & (W-1)`, `i >> log2 W`) instead of an
 * integer division in every fetch. 4096 fits the MAX_TEXTURE_SIZE of every WebGL2 device
 * in practice (the spec's minimum is 2048; {@link textureRowWidth} adapts).
 *
 * @example
 * ```ts
 * PREFERRED_ROW_WIDTH; // 4096
 * ```
 */
export const PREFERRED_ROW_WIDTH = 4096;

/**
 * Where a tensor's elements live: a `width × height` R32F texture holding the flat row-major
 * elements row after row (the last row may be partly unused).
 *
 * @example
 * ```ts
 * const t: TextureShape = { width: 4096, height: 2 }; // room for 8192 elements
 * ```
 */
export interface TextureShape {
  readonly width: number;
  readonly height: number;
}

/**
 * The row width W (a power of two) this device can use: {@link PREFERRED_ROW_WIDTH}, or the
 * largest power of two not above MAX_TEXTURE_SIZE on devices that cannot hold it.
 *
 * @example
 * ```ts
 * textureRowWidth(8192); // 4096
 * textureRowWidth(2048); // 2048
 * ```
 */
export function textureRowWidth(maxTextureSize: number): number {
  let w = 1;
  while (w * 2 <= Math.min(maxTextureSize, PREFERRED_ROW_WIDTH)) w *= 2;
  return w;
}

/**
 * The texture shape for `size` elements: one row of `size` texels up to the row width, else
 * full rows of `rowWidth`. Depending only on the element count is what makes a reshape a
 * view: any shape with the same size uses the same texture.
 *
 * @example
 * ```ts
 * textureShapeFor(10, 4096, 8192); // { width: 10, height: 1 }
 * textureShapeFor(5000, 4096, 8192); // { width: 4096, height: 2 }
 * ```
 */
export function textureShapeFor(size: number, rowWidth: number, maxTextureSize: number): TextureShape {
  if (size === 0) return { width: 0, height: 0 };
  const width = Math.min(size, rowWidth);
  const height = Math.ceil(size / rowWidth);
  if (height > maxTextureSize) {
    throw new BackendError(
      `webgl: a tensor of ${size} elements does not fit in one texture ` +
        `(at most ${rowWidth * maxTextureSize} elements on this device)`,
    );
  }
  return { width, height };
}
