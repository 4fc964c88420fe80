import { BackendError, type DType } from "@tapegrad/core";

/**
 * The WebGL backend's storage for one tensor: a texture holding its elements in row-major
 * order (see `layout.ts`) — R32I for int32, so every int32 is exact and wraps like C; R32F
 * for float32 and for bool (as 0/1). A tensor with no elements has no texture. Once disposed the texture may belong
 * to another tensor, so every later access throws instead of reading someone else's numbers.
 *
 * @example
 * ```ts
 * const data = new WebGLData(texture, 6, "float32", 6, 1);
 * data.texture; // the R32F texture
 * ```
 */
export class WebGLData {
  #texture: WebGLTexture | null;
  #disposed = false;
  /** Number of elements. */
  readonly size: number;
  /** The dtype the stored floats represent. */
  readonly dtype: DType;
  /** Texture width in texels (0 when size is 0). */
  readonly width: number;
  /** Texture height in texels (0 when size is 0). */
  readonly height: number;

  constructor(texture: WebGLTexture | null, size: number, dtype: DType, width: number, height: number) {
    this.#texture = texture;
    this.size = size;
    this.dtype = dtype;
    this.width = width;
    this.height = height;
  }

  /** The texture, or null for an empty tensor; throws a BackendError after disposal. */
  get texture(): WebGLTexture | null {
    if (this.#disposed) throw new BackendError("webgl: storage used after it was disposed");
    return this.#texture;
  }

  /** Whether {@link WebGLData.release} has run. */
  get disposed(): boolean {
    return this.#disposed;
  }

  /** Whether the texture is R32I (int32) rather than R32F. */
  get integer(): boolean {
    return this.dtype === "int32";
  }

  /** Bytes of GPU memory the texture occupies (4 per texel). */
  get bytes(): number {
    return this.width * this.height * 4;
  }

  /** Gives up the texture (to the pool) and marks this storage disposed. */
  release(): WebGLTexture | null {
    const t = this.texture;
    this.#texture = null;
    this.#disposed = true;
    return t;
  }
}
