import { BackendError } from "@tapegrad/core";

/**
 * GPU memory held by a {@link TexturePool}.
 *
 * @example
 * ```ts
 * const m: TextureMemory = pool.memory();
 * m.texturesInUse; // live tensor textures
 * ```
 */
export interface TextureMemory {
  /** Bytes of textures that back live tensors. */
  readonly bytesInUse: number;
  /** Bytes of freed textures kept for reuse. */
  readonly bytesPooled: number;
  /** Textures that back live tensors. */
  readonly texturesInUse: number;
  /** Freed textures kept for reuse. */
  readonly texturesPooled: number;
}

/** Default cap on pooled bytes: beyond it freed textures are deleted instead of kept. */
const DEFAULT_POOL_CAP_BYTES = 256 * 1024 * 1024;

/**
 * R32F and R32I textures keyed by format and exact width × height, kept after a tensor is freed so the next
 * tensor of that size reuses them. Training allocates the same sizes every step, and creating
 * a texture (driver allocation, sometimes a stall) costs far more than a draw. Pooled bytes are
 * capped so a one-off large tensor does not pin memory for good.
 *
 * @example
 * ```ts
 * const pool = new TexturePool(gl);
 * const t = pool.acquire(4096, 2, false);
 * pool.release(t, 4096, 2, false);
 * pool.acquire(4096, 2, false) === t; // true
 * ```
 */
export class TexturePool {
  readonly #gl: WebGL2RenderingContext;
  readonly #free = new Map<string, WebGLTexture[]>();
  readonly #live = new Set<WebGLTexture>();
  readonly #capBytes: number;
  #bytesInUse = 0;
  #bytesPooled = 0;
  #texturesInUse = 0;
  #texturesPooled = 0;

  constructor(gl: WebGL2RenderingContext, capBytes = DEFAULT_POOL_CAP_BYTES) {
    this.#gl = gl;
    this.#capBytes = capBytes;
  }

  /** A texture of exactly width × height, R32I if `integer` else R32F (uninitialised contents). */
  acquire(width: number, height: number, integer: boolean): WebGLTexture {
    const bytes = width * height * 4;
    const list = this.#free.get(key(width, height, integer));
    let tex = list?.pop();
    if (tex !== undefined) {
      this.#bytesPooled -= bytes;
      this.#texturesPooled--;
    } else {
      tex = this.#create(width, height, integer);
    }
    this.#bytesInUse += bytes;
    this.#texturesInUse++;
    this.#live.add(tex);
    return tex;
  }

  /** Returns a texture acquired with the same width, height and format. */
  release(tex: WebGLTexture, width: number, height: number, integer: boolean): void {
    // After deleteAll the texture is already gone; only the bookkeeping is left to skip.
    if (!this.#live.delete(tex)) return;
    const bytes = width * height * 4;
    this.#bytesInUse -= bytes;
    this.#texturesInUse--;
    if (this.#bytesPooled + bytes > this.#capBytes) {
      this.#gl.deleteTexture(tex);
      return;
    }
    const k = key(width, height, integer);
    let list = this.#free.get(k);
    if (list === undefined) {
      list = [];
      this.#free.set(k, list);
    }
    list.push(tex);
    this.#bytesPooled += bytes;
    this.#texturesPooled++;
  }

  /** Bytes and textures in use and pooled. */
  memory(): TextureMemory {
    return {
      bytesInUse: this.#bytesInUse,
      bytesPooled: this.#bytesPooled,
      texturesInUse: this.#texturesInUse,
      texturesPooled: this.#texturesPooled,
    };
  }

  /** Deletes every pooled texture; textures in use stay valid. */
  clear(): void {
    for (const list of this.#free.values()) for (const tex of list) this.#gl.deleteTexture(tex);
    this.#free.clear();
    this.#bytesPooled = 0;
    this.#texturesPooled = 0;
  }

  /** Deletes every texture, pooled and in use; storage still holding one must not be used again. */
  deleteAll(): void {
    this.clear();
    for (const tex of this.#live) this.#gl.deleteTexture(tex);
    this.#live.clear();
    this.#bytesInUse = 0;
    this.#texturesInUse = 0;
  }

  #create(width: number, height: number, integer: boolean): WebGLTexture {
    const gl = this.#gl;
    const tex = gl.createTexture();
    if (tex === null) throw new BackendError("webgl: could not create a texture (is the context lost?)");
    gl.bindTexture(gl.TEXTURE_2D, tex);
    // Immutable storage: the driver allocates once and never has to check for redefinition.
    gl.texStorage2D(gl.TEXTURE_2D, 1, integer ? gl.R32I : gl.R32F, width, height);
    // Kernels only texelFetch, but a texture must still be "complete" to be sampled at all,
    // and neither R32F (without an extension) nor R32I is filterable.
    gl.texParameteri(gl.TEXTURE_2D, gl.TEXTURE_MIN_FILTER, gl.NEAREST);
    gl.texParameteri(gl.TEXTURE_2D, gl.TEXTURE_MAG_FILTER, gl.NEAREST);
    gl.texParameteri(gl.TEXTURE_2D, gl.TEXTURE_WRAP_S, gl.CLAMP_TO_EDGE);
    gl.texParameteri(gl.TEXTURE_2D, gl.TEXTURE_WRAP_T, gl.CLAMP_TO_EDGE);
    gl.bindTexture(gl.TEXTURE_2D, null);
    const error = gl.getError();
    if (error === gl.OUT_OF_MEMORY) {
      gl.deleteTexture(tex);
      throw new BackendError(`webgl: out of GPU memory allocating a ${width}×${height} texture`);
    }
    return tex;
  }
}

function key(width: number, height: number, integer: boolean): string {
  return `${integer ? "i" : "f"}${width}x${height}`;
}
