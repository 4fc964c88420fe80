import { BackendError } from "@tapegrad/core";

/**
 * A fragment program to compile: its cache key (op, dtypes, ranks — everything the source
 * depends on) and a function that writes the GLSL, called only on a cache miss.
 *
 * @example
 * ```ts
 * const src: ProgramSource = { key: "unary:exp:float32", fragment: () => "#version 300 es ..." };
 * ```
 */
export interface ProgramSource {
  readonly key: string;
  readonly fragment: () => string;
}

/**
 * One active uniform of a linked program: where it is, its GL type (gl.INT, gl.FLOAT,
 * gl.SAMPLER_2D, ...) and its array length.
 *
 * @example
 * ```ts
 * const u: UniformInfo = { location, type: gl.INT, size: 3 };
 * ```
 */
export interface UniformInfo {
  readonly location: WebGLUniformLocation;
  readonly type: number;
  readonly size: number;
}

/**
 * A linked program and its active uniforms by name (array names without the `[0]`). Uniforms
 * the compiler optimised away are absent, and setting them is skipped.
 *
 * @example
 * ```ts
 * const p: CompiledProgram = cache.get(source);
 * p.uniforms.get("uShape")?.size; // the rank
 * ```
 */
export interface CompiledProgram {
  readonly key: string;
  readonly program: WebGLProgram;
  readonly uniforms: ReadonlyMap<string, UniformInfo>;
  /** Active sampler uniform names; the dispatcher binds the input of that name to unit k for the k-th. */
  readonly samplers: readonly string[];
}

/**
 * Every kernel draws one full-viewport triangle; the vertices come from gl_VertexID, so no
 * vertex buffer or attribute is needed.
 */
const VERTEX_SHADER = `#version 300 es
void main() {
  vec2 p = vec2(float((gl_VertexID & 1) << 2) - 1.0, float((gl_VertexID & 2) << 1) - 1.0);
  gl_Position = vec4(p, 0.0, 1.0);
}
`;

interface Pending {
  readonly key: string;
  readonly program: WebGLProgram;
  readonly shader: WebGLShader;
  readonly source: string;
}

/**
 * Compiles fragment programs once per key and keeps them. Kernels pass shapes and strides as
 * uniforms, so a key names only the op, dtypes and ranks: a training loop touches a few dozen
 * programs, and a new batch size compiles nothing. {@link ProgramCache.compileAll} starts many
 * compiles before checking any, so drivers with KHR_parallel_shader_compile finish them in the
 * background while the page stays responsive.
 *
 * @example
 * ```ts
 * const cache = new ProgramCache(gl, true);
 * const program = cache.get({ key: "fill", fragment: () => fillSource() });
 * ```
 */
export class ProgramCache {
  readonly #gl: WebGL2RenderingContext;
  readonly #parallel: boolean;
  readonly #programs = new Map<string, CompiledProgram>();
  #vertex: WebGLShader | null = null;

  constructor(gl: WebGL2RenderingContext, parallelCompile: boolean) {
    this.#gl = gl;
    this.#parallel = parallelCompile;
  }

  /** Number of programs compiled and cached. */
  get size(): number {
    return this.#programs.size;
  }

  /** Whether a program with this key is cached. */
  has(key: string): boolean {
    return this.#programs.has(key);
  }

  /** The program for `source`, compiling it (synchronously) on first use. */
  get(source: ProgramSource): CompiledProgram {
    const cached = this.#programs.get(source.key);
    if (cached !== undefined) return cached;
    return this.#finish(this.#start(source));
  }

  /**
   * Compiles every source not yet cached: starts all compiles, waits (yielding to the event
   * loop) until the driver reports them done where it can, then links and checks each.
   * Returns how many programs were compiled.
   */
  async compileAll(sources: readonly ProgramSource[]): Promise<number> {
    const pending: Pending[] = [];
    const seen = new Set<string>();
    for (const s of sources) {
      if (this.#programs.has(s.key) || seen.has(s.key)) continue;
      seen.add(s.key);
      pending.push(this.#start(s));
    }
    if (this.#parallel) {
      const COMPLETION_STATUS_KHR = 0x91b1;
      for (const p of pending) {
        while (this.#gl.getProgramParameter(p.program, COMPLETION_STATUS_KHR) === false) {
          if (this.#gl.isContextLost()) throw new BackendError("webgl: the WebGL context was lost while compiling");
          await new Promise((resolve) => setTimeout(resolve, 2));
        }
      }
    }
    for (const p of pending) this.#finish(p);
    return pending.length;
  }

  /** Deletes every program. */
  dispose(): void {
    const gl = this.#gl;
    for (const p of this.#programs.values()) gl.deleteProgram(p.program);
    this.#programs.clear();
    if (this.#vertex !== null) gl.deleteShader(this.#vertex);
    this.#vertex = null;
  }

  #start(source: ProgramSource): Pending {
    const gl = this.#gl;
    this.#vertex ??= this.#shader(gl.VERTEX_SHADER, VERTEX_SHADER);
    const text = source.fragment();
    const shader = this.#shader(gl.FRAGMENT_SHADER, text);
    const program = gl.createProgram();
    if (program === null) throw new BackendError("webgl: could not create a program (is the context lost?)");
    gl.attachShader(program, this.#vertex);
    gl.attachShader(program, shader);
    gl.linkProgram(program);
    return { key: source.key, program, shader, source: text };
  }

  #finish(p: Pending): CompiledProgram {
    const gl = this.#gl;
    // Status is checked only now, after the link was requested, so the driver is never forced
    // to finish one compile before the next one starts.
    if (!gl.getProgramParameter(p.program, gl.LINK_STATUS)) {
      const log = gl.getShaderInfoLog(p.shader) || gl.getProgramInfoLog(p.program) || "(no log)";
      gl.deleteProgram(p.program);
      gl.deleteShader(p.shader);
      if (gl.isContextLost()) throw new BackendError("webgl: the WebGL context was lost while compiling");
      throw new BackendError(`webgl: program "${p.key}" failed to compile: ${log}\n${numbered(p.source)}`);
    }
    gl.detachShader(p.program, p.shader);
    gl.deleteShader(p.shader);
    const uniforms = new Map<string, UniformInfo>();
    const samplers: string[] = [];
    const count = gl.getProgramParameter(p.program, gl.ACTIVE_UNIFORMS) as number;
    for (let i = 0; i < count; i++) {
      const active = gl.getActiveUniform(p.program, i);
      if (active === null) continue;
      const name = active.name.replace(/\[0\]$/, "");
      const location = gl.getUniformLocation(p.program, active.name);
      if (location === null) continue;
      uniforms.set(name, { location, type: active.type, size: active.size });
      if (active.type === gl.SAMPLER_2D || active.type === gl.INT_SAMPLER_2D) samplers.push(name);
    }
    const compiled: CompiledProgram = { key: p.key, program: p.program, uniforms, samplers };
    this.#programs.set(p.key, compiled);
    return compiled;
  }

  #shader(type: number, source: string): WebGLShader {
    const gl = this.#gl;
    const shader = gl.createShader(type);
    if (shader === null) throw new BackendError("webgl: could not create a shader (is the context lost?)");
    gl.shaderSource(shader, source);
    gl.compileShader(shader);
    return shader;
  }
}

function numbered(source: string): string {
  return source
    .split("\n")
    .map((line, i) => `${String(i + 1).padStart(4)}  ${line}`)
    .join("\n");
}
