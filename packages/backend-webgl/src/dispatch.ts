import { BackendError, type DType, type Shape, type TypedArray } from "@tapegrad/core";
import type { GLContext } from "./context.js";
import { textureShapeFor } from "./layout.js";
import type { CompiledProgram, ProgramCache, ProgramSource } from "./program_cache.js";
import { WebGLData } from "./tensor_data.js";
import type { TexturePool } from "./texture_pool.js";

/**
 * Values for a program's uniforms by name: a number for a scalar, an array for an array
 * uniform. Whether each is int or float is read from the linked program.
 *
 * @example
 * ```ts
 * const u: UniformValues = { uOutStrides: [3, 1], uValue: 0.5 };
 * ```
 */
export type UniformValues = Readonly<Record<string, number | readonly number[]>>;

/**
 * A kernel's view of one operand: its storage plus the shape core validated.
 *
 * @example
 * ```ts
 * const x: Operand = { data, shape: [2, 3], dtype: "float32" };
 * ```
 */
export interface Operand {
  readonly data: WebGLData;
  readonly shape: Shape;
  readonly dtype: DType;
}

/**
 * Runs kernels: allocates output textures from the pool, uploads data, and draws a program
 * into an output texture with its inputs bound (and the header's `uOutSize` and `uOne` set).
 * Every draw sets all the GL state it relies on (program, framebuffer attachment, viewport,
 * texture units), so nothing leaks from one kernel into the next and a context shared with
 * other code stays usable.
 *
 * @example
 * ```ts
 * const out = d.alloc(x.size, "float32");
 * d.run(unarySource("exp", "float32", d.rowShift), { X: x }, {}, out);
 * ```
 */
export class Dispatcher {
  readonly ctx: GLContext;
  readonly programs: ProgramCache;
  readonly pool: TexturePool;
  /** log2 of the texture row width, which shaders bake in. */
  readonly rowShift: number;
  readonly #empty: { float: WebGLTexture | null; int: WebGLTexture | null } = { float: null, int: null };

  constructor(ctx: GLContext, programs: ProgramCache, pool: TexturePool) {
    this.ctx = ctx;
    this.programs = programs;
    this.pool = pool;
    this.rowShift = Math.log2(ctx.rowWidth);
  }

  /** Fresh (uninitialised) storage for `size` elements of `dtype`. */
  alloc(size: number, dtype: DType): WebGLData {
    const { width, height } = textureShapeFor(size, this.ctx.rowWidth, this.ctx.maxTextureSize);
    const texture = size === 0 ? null : this.pool.acquire(width, height, dtype === "int32");
    return new WebGLData(texture, size, dtype, width, height);
  }

  /** Returns storage to the pool. */
  free(data: WebGLData): void {
    const { width, height, integer } = data;
    const tex = data.release();
    if (tex !== null) this.pool.release(tex, width, height, integer);
  }

  /** Uploads values as `dtype`: int32 into an R32I texture, float32 and bool (as 0/1) into R32F. */
  upload(values: TypedArray, dtype: DType): WebGLData {
    const n = values.length;
    const out = this.alloc(n, dtype);
    if (n === 0) return out;
    const texels = out.width * out.height;
    const staged = dtype === "int32" ? new Int32Array(texels) : new Float32Array(texels);
    if (dtype === "bool") {
      for (let i = 0; i < n; i++) staged[i] = values[i] !== 0 ? 1 : 0;
    } else {
      staged.set(values);
    }
    const gl = this.ctx.gl;
    gl.bindTexture(gl.TEXTURE_2D, out.texture);
    gl.pixelStorei(gl.UNPACK_ALIGNMENT, 1);
    const [format, type] = dtype === "int32" ? [gl.RED_INTEGER, gl.INT] : [gl.RED, gl.FLOAT];
    gl.texSubImage2D(gl.TEXTURE_2D, 0, 0, 0, out.width, out.height, format, type, staged);
    gl.bindTexture(gl.TEXTURE_2D, null);
    return out;
  }

  /** Compiles (or fetches from the cache) the program for `source`. */
  program(source: ProgramSource): CompiledProgram {
    return this.programs.get(source);
  }

  /**
   * Draws `source`'s program over every texel of `out`, with each input bound to the sampler
   * of its name and `uOutSize` set to `out.size`. Does nothing for an empty output.
   */
  run(source: ProgramSource, inputs: Readonly<Record<string, WebGLData>>, uniforms: UniformValues, out: WebGLData) {
    this.ctx.assertUsable();
    if (out.size === 0) return;
    const gl = this.ctx.gl;
    const program = this.program(source);
    gl.useProgram(program.program);
    gl.bindFramebuffer(gl.FRAMEBUFFER, this.ctx.framebuffer);
    gl.framebufferTexture2D(gl.FRAMEBUFFER, gl.COLOR_ATTACHMENT0, gl.TEXTURE_2D, out.texture, 0);
    gl.viewport(0, 0, out.width, out.height);
    program.samplers.forEach((name, unit) => {
      const data = inputs[name];
      if (data === undefined) throw new BackendError(`webgl: program "${source.key}" needs input ${name}`);
      gl.activeTexture(gl.TEXTURE0 + unit);
      gl.bindTexture(gl.TEXTURE_2D, data.texture ?? this.#emptyTexture(data.integer));
      setUniform(gl, program, name, unit);
    });
    setUniform(gl, program, "uOutSize", out.size);
    setUniform(gl, program, "uOne", 1);
    for (const name in uniforms) setUniform(gl, program, name, uniforms[name] as number | readonly number[]);
    gl.drawArrays(gl.TRIANGLES, 0, 3);
    // Detach so the next kernel may sample this texture without forming a feedback loop.
    gl.framebufferTexture2D(gl.FRAMEBUFFER, gl.COLOR_ATTACHMENT0, gl.TEXTURE_2D, null, 0);
  }

  /** Deletes the placeholder textures bound for empty inputs. */
  dispose(): void {
    const gl = this.ctx.gl;
    if (this.#empty.float !== null) gl.deleteTexture(this.#empty.float);
    if (this.#empty.int !== null) gl.deleteTexture(this.#empty.int);
    this.#empty.float = null;
    this.#empty.int = null;
  }

  // Empty operands (a reduction over a zero-length axis) are never read, but GLSL still wants
  // a complete texture of the sampler's kind on the unit.
  #emptyTexture(integer: boolean): WebGLTexture {
    const kind = integer ? "int" : "float";
    let tex = this.#empty[kind];
    if (tex === null) {
      const gl = this.ctx.gl;
      tex = gl.createTexture();
      if (tex === null) throw new BackendError("webgl: could not create a texture (is the context lost?)");
      gl.bindTexture(gl.TEXTURE_2D, tex);
      gl.texStorage2D(gl.TEXTURE_2D, 1, integer ? gl.R32I : gl.R32F, 1, 1);
      gl.texParameteri(gl.TEXTURE_2D, gl.TEXTURE_MIN_FILTER, gl.NEAREST);
      gl.texParameteri(gl.TEXTURE_2D, gl.TEXTURE_MAG_FILTER, gl.NEAREST);
      this.#empty[kind] = tex;
    }
    return tex;
  }
}

function setUniform(
  gl: WebGL2RenderingContext,
  program: CompiledProgram,
  name: string,
  value: number | readonly number[],
): void {
  const info = program.uniforms.get(name);
  if (info === undefined) return;
  const values = typeof value === "number" ? [value] : value;
  if (info.type === gl.INT || info.type === gl.BOOL || info.type === gl.SAMPLER_2D || info.type === gl.INT_SAMPLER_2D) {
    if (values.length === 1) gl.uniform1i(info.location, values[0] as number);
    else gl.uniform1iv(info.location, Int32Array.from(values));
  } else if (info.type === gl.FLOAT) {
    if (values.length === 1) gl.uniform1f(info.location, values[0] as number);
    else gl.uniform1fv(info.location, Float32Array.from(values));
  } else {
    throw new BackendError(`webgl: uniform ${name} of program "${program.key}" has an unsupported type`);
  }
}
