import { BackendError } from "@tapegrad/core";
import { textureRowWidth } from "./layout.js";

/**
 * Where the backend gets its WebGL2 context: an existing context, a canvas to create one on,
 * or (neither given) an offscreen canvas of its own.
 *
 * @example
 * ```ts
 * const options: WebGLOptions = { canvas: document.querySelector("canvas")! };
 * ```
 */
export interface WebGLOptions {
  /** A canvas (on screen or offscreen) to create the WebGL2 context on. */
  readonly canvas?: HTMLCanvasElement | OffscreenCanvas;
  /** An existing WebGL2 context to use; the backend changes its bindings freely. */
  readonly gl?: WebGL2RenderingContext;
}

// Compute needs none of the default drawing-buffer features; asking for them only costs memory.
const CONTEXT_ATTRIBUTES: WebGLContextAttributes = {
  alpha: false,
  antialias: false,
  depth: false,
  stencil: false,
  premultipliedAlpha: false,
  preserveDrawingBuffer: false,
  powerPreference: "high-performance",
};

/**
 * A WebGL2 context checked for what the backend needs (float render targets), with the
 * device limits kernels plan around and a watch for context loss: once the browser takes
 * the context away every texture is gone, so {@link GLContext.assertUsable} turns each later
 * use into a BackendError rather than a kernel that silently reads zeros.
 *
 * @example
 * ```ts
 * const ctx = GLContext.create({});
 * ctx.assertUsable();
 * ctx.gl.drawArrays(ctx.gl.TRIANGLES, 0, 3);
 * ```
 */
export class GLContext {
  readonly gl: WebGL2RenderingContext;
  /** MAX_TEXTURE_SIZE of the device. */
  readonly maxTextureSize: number;
  /** Texture units a fragment program may sample (MAX_TEXTURE_IMAGE_UNITS). */
  readonly maxTextureUnits: number;
  /** Row width W of every tensor texture (a power of two, see `layout.ts`). */
  readonly rowWidth: number;
  /** Whether readPixels may read one RED float per R32F texel (else RGBA, four per texel). */
  readonly readsRed: boolean;
  /** Whether readPixels may read one RED_INTEGER int per R32I texel (else RGBA_INTEGER). */
  readonly readsRedInteger: boolean;
  /** The one framebuffer every kernel renders through; its colour attachment changes per draw. */
  readonly framebuffer: WebGLFramebuffer;
  /** Whether KHR_parallel_shader_compile lets compiles finish in the background. */
  readonly parallelCompile: boolean;
  readonly #ownsContext: boolean;
  #lost = false;
  #disposed = false;
  readonly #onLost = (): void => {
    this.#lost = true;
  };

  private constructor(gl: WebGL2RenderingContext, ownsContext: boolean) {
    this.gl = gl;
    this.#ownsContext = ownsContext;
    // Checked first: without float render targets nothing below is worth doing, and the
    // alternative some libraries take (half floats) would silently change every result.
    if (gl.getExtension("EXT_color_buffer_float") === null) {
      throw new BackendError(
        "webgl: this device lacks EXT_color_buffer_float, so it cannot render to 32-bit float textures; " +
          "tapegrad never falls back to 16-bit floats — use the CPU backend (setBackend(cpu())) instead",
      );
    }
    this.parallelCompile = gl.getExtension("KHR_parallel_shader_compile") !== null;
    this.maxTextureSize = gl.getParameter(gl.MAX_TEXTURE_SIZE) as number;
    this.maxTextureUnits = gl.getParameter(gl.MAX_TEXTURE_IMAGE_UNITS) as number;
    this.rowWidth = textureRowWidth(this.maxTextureSize);
    const fb = gl.createFramebuffer();
    if (fb === null) throw new BackendError("webgl: could not create a framebuffer (is the context lost?)");
    this.framebuffer = fb;
    this.readsRed = this.#probeRenderTarget(false);
    this.readsRedInteger = this.#probeRenderTarget(true);
    const canvas = gl.canvas as (HTMLCanvasElement | OffscreenCanvas) | undefined;
    canvas?.addEventListener?.("webglcontextlost", this.#onLost as EventListener);
  }

  /**
   * Creates (or adopts) a context as {@link WebGLOptions} say and checks it; throws a
   * BackendError saying what is missing.
   */
  static create(options: WebGLOptions): GLContext {
    if (options.gl !== undefined) return new GLContext(options.gl, false);
    const canvas = options.canvas ?? defaultCanvas();
    const gl = canvas.getContext("webgl2", CONTEXT_ATTRIBUTES) as WebGL2RenderingContext | null;
    if (gl === null) {
      throw new BackendError(
        "webgl: WebGL2 is not available here (getContext('webgl2') returned null); use the CPU backend instead",
      );
    }
    return new GLContext(gl, options.canvas === undefined);
  }

  /** Whether the context was lost (or disposed); a lost context never comes back for this backend. */
  get isLost(): boolean {
    if (!this.#lost && this.gl.isContextLost()) this.#lost = true;
    return this.#lost || this.#disposed;
  }

  /** Throws a BackendError if the context was lost or disposed. */
  assertUsable(): void {
    if (this.#disposed) throw new BackendError("webgl: the backend was disposed");
    if (this.isLost) {
      throw new BackendError(
        "webgl: the WebGL context was lost (the browser reclaimed the GPU), so every tensor on this backend is gone; " +
          "create a new backend with webgl() and recompute",
      );
    }
  }

  /** Releases the framebuffer and, if this context created the GL context, the context itself. */
  dispose(): void {
    if (this.#disposed) return;
    const gl = this.gl;
    const canvas = gl.canvas as (HTMLCanvasElement | OffscreenCanvas) | undefined;
    canvas?.removeEventListener?.("webglcontextlost", this.#onLost as EventListener);
    if (!this.isLost) {
      gl.deleteFramebuffer(this.framebuffer);
      // Browsers cap live contexts (about 16); giving ours back now spares the next backend.
      if (this.#ownsContext) gl.getExtension("WEBGL_lose_context")?.loseContext();
    }
    this.#disposed = true;
  }

  // Renders nothing: attaches a 1×1 R32F (or R32I) texture to check the framebuffer is
  // complete (some drivers advertise the extension and still refuse R32F) and asks which
  // read format it allows.
  #probeRenderTarget(integer: boolean): boolean {
    const gl = this.gl;
    const tex = gl.createTexture();
    gl.bindTexture(gl.TEXTURE_2D, tex);
    gl.texStorage2D(gl.TEXTURE_2D, 1, integer ? gl.R32I : gl.R32F, 1, 1);
    gl.bindFramebuffer(gl.FRAMEBUFFER, this.framebuffer);
    gl.framebufferTexture2D(gl.FRAMEBUFFER, gl.COLOR_ATTACHMENT0, gl.TEXTURE_2D, tex, 0);
    const status = gl.checkFramebufferStatus(gl.FRAMEBUFFER);
    const red =
      status === gl.FRAMEBUFFER_COMPLETE &&
      gl.getParameter(gl.IMPLEMENTATION_COLOR_READ_FORMAT) === (integer ? gl.RED_INTEGER : gl.RED) &&
      gl.getParameter(gl.IMPLEMENTATION_COLOR_READ_TYPE) === (integer ? gl.INT : gl.FLOAT);
    gl.framebufferTexture2D(gl.FRAMEBUFFER, gl.COLOR_ATTACHMENT0, gl.TEXTURE_2D, null, 0);
    gl.bindTexture(gl.TEXTURE_2D, null);
    gl.deleteTexture(tex);
    if (status !== gl.FRAMEBUFFER_COMPLETE) {
      throw new BackendError(
        `webgl: an ${integer ? "R32I" : "R32F"} texture is not a complete render target here ` +
          `(status 0x${status.toString(16)}); ` +
          "tapegrad never falls back to 16-bit floats — use the CPU backend instead",
      );
    }
    return red;
  }
}

function defaultCanvas(): HTMLCanvasElement | OffscreenCanvas {
  if (typeof OffscreenCanvas !== "undefined") return new OffscreenCanvas(1, 1);
  if (typeof document !== "undefined") return document.createElement("canvas");
  throw new BackendError(
    "webgl: no canvas available (neither OffscreenCanvas nor document exist here); pass { canvas } or { gl }, " +
      "or use the CPU backend",
  );
}
