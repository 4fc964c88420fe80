/**
 * WebAssembly SIMD128 kernels for the CPU backend: a packed GEMM whose four transpose
 * combinations all run the same 4x8 register-blocked microkernel, with an optional fused
 * bias + activation epilogue, plus the epilogue on its own as an elementwise kernel.
 *
 * Plain JS loops top out near 1.4 GFLOP/s; this reaches tens of GFLOP/s, and, unlike
 * TensorFlow.js's XNNPACK path, just as fast for Xᵀ·G and G·Wᵀ (the backward matmuls),
 * because transposes are absorbed while packing panels rather than by strided inner loops.
 *
 * The module is self-contained: it owns one growable `WebAssembly.Memory`; every call copies
 * its operands in (O(mk + kn)), computes, and copies the result out (O(mn)). Operands may
 * therefore alias the output.
 *
 * @module
 */
import { decodeBase64, MATMUL_RELAXED_WASM_BASE64, MATMUL_WASM_BASE64 } from "./matmul_bytes.js";

/**
 * Activation fused after the matmul (and bias): 0 linear, 1 relu, 2 sigmoid, 3 tanh.
 * Sigmoid and tanh use a vectorized Cephes-style exp (about 1e-7 relative error).
 *
 * @example
 * const relu: WasmActivation = 1;
 */
export type WasmActivation = 0 | 1 | 2 | 3;

/**
 * Tuning and feature options for {@link createWasmKernels}; the defaults are measured
 * choices, the options exist for benchmarks and tests.
 *
 * @example
 * const kernels = createWasmKernels({ relaxed: false }); // force the baseline SIMD module
 */
export interface WasmKernelOptions {
  /**
   * Use the relaxed-simd (fused multiply-add) module when the engine validates it.
   * Default true. Results then differ from the baseline in the last bits.
   */
  readonly relaxed?: boolean;
  /** Largest k block (depth of a packed panel). Default 256: a 256 x 8 B panel is 8 KiB (L1). */
  readonly kcMax?: number;
  /** Rows of A packed per block. Default 128: a 128 x 256 A block is 128 KiB (fits a 1 MiB L2 with room). */
  readonly mcMax?: number;
}

/**
 * Kernels backed by one WebAssembly instance. Not reentrant (single-threaded JS cannot
 * reenter it anyway); create one per worker.
 *
 * @example
 * const wk = createWasmKernels();
 * if (wk) {
 *   const a = new Float32Array([1, 2, 3, 4]); // 2x2
 *   const out = new Float32Array(4);
 *   wk.matmulF32(a, 0, a, 0, out, 0, 2, 2, 2, false, true); // out = A·Aᵀ = [5, 11, 11, 25]
 * }
 */
export interface WasmKernels {
  /** True when the relaxed-simd (FMA) module was instantiated. */
  readonly relaxed: boolean;
  /** Current size of the module's linear memory in bytes (grows on demand, never shrinks). */
  readonly memoryBytes: number;
  /**
   * out[outOff .. outOff + m·n) = op(A)·op(B), row-major m x n.
   * A is read from a[aOff ..]: m x k row-major, or k x m when transA (so op(A) = Aᵀ).
   * B is read from b[bOff ..]: k x n row-major, or n x k when transB.
   *
   * @example
   * // dW = Xᵀ·G for X: batch x in, G: batch x out
   * wk.matmulF32(x, 0, g, 0, dW, 0, inDim, batch, outDim, true, false);
   */
  matmulF32(
    a: Float32Array,
    aOff: number,
    b: Float32Array,
    bOff: number,
    out: Float32Array,
    outOff: number,
    m: number,
    k: number,
    n: number,
    transA: boolean,
    transB: boolean,
  ): void;
  /**
   * As {@link WasmKernels.matmulF32}, then out[i][j] = act(out[i][j] + bias[j]) in the same
   * call (bias has n entries from index 0; pass a subarray for an offset, null for none).
   *
   * @example
   * // dense layer forward: Y = relu(X·W + b), X: batch x in, W: in x out
   * wk.matmulBiasActF32(x, 0, w, 0, y, 0, batch, inDim, outDim, false, false, b, 1);
   */
  matmulBiasActF32(
    a: Float32Array,
    aOff: number,
    b: Float32Array,
    bOff: number,
    out: Float32Array,
    outOff: number,
    m: number,
    k: number,
    n: number,
    transA: boolean,
    transB: boolean,
    bias: Float32Array | null,
    act: WasmActivation,
  ): void;
  /**
   * Elementwise out = act(x + bias) over a rows x cols row-major block (bias per column,
   * null for none). x and out may be the same array (in place).
   *
   * @example
   * wk.biasActF32(z, 0, z, 0, batch, units, b, 3); // z = tanh(z + b) in place
   */
  biasActF32(
    x: Float32Array,
    xOff: number,
    out: Float32Array,
    outOff: number,
    rows: number,
    cols: number,
    bias: Float32Array | null,
    act: WasmActivation,
  ): void;
}

// --- Minimal WebAssembly typing ------------------------------------------------------------
// The package's lib (ES2023, no DOM, no node types) does not declare `WebAssembly`, while the
// test config does (through @types/node). Reading it off globalThis through local interfaces
// works under both without an ambient declaration that could clash.
interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(deltaPages: number): number;
}
interface WasmExports {
  matmul(
    a: number,
    b: number,
    c: number,
    m: number,
    k: number,
    n: number,
    transA: number,
    transB: number,
    packA: number,
    packB: number,
    scratch: number,
    bias: number,
    hasBias: number,
    act: number,
    kcMax: number,
    mcMax: number,
  ): void;
  bias_act(c: number, m: number, n: number, bias: number, hasBias: number, act: number): void;
}
interface WasmNamespace {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { readonly exports: unknown };
  Memory: new (descriptor: { initial: number; maximum?: number }) => WasmMemory;
}

const PAGE = 65536;
const MAX_PAGES = 65536; // 4 GiB: the whole 32-bit address space
const INITIAL_PAGES = 64; // 4 MiB covers every layer of the MNIST autoencoders at batch 256
const SCRATCH_BYTES = 128; // one 4x8 edge tile
const MR = 4;
const NR = 8;

const align64 = (x: number): number => (x + 63) & ~63;

function checkDims(name: string, ...dims: number[]): void {
  for (const d of dims) {
    if (!Number.isInteger(d) || d < 0) throw new RangeError(`${name}: bad size or offset ${d}`);
  }
}

function checkSpan(name: string, arr: Float32Array, off: number, len: number): void {
  if (off + len > arr.length) {
    throw new RangeError(`${name}: needs ${len} floats from offset ${off}, array has ${arr.length}`);
  }
}

class Kernels implements WasmKernels {
  readonly relaxed: boolean;
  private readonly memory: WasmMemory;
  private readonly exports: WasmExports;
  private readonly kcMax: number;
  private readonly mcMax: number;
  /** View over memory.buffer; replaced only when the memory grows (old buffer detaches). */
  private f32: Float32Array;

  constructor(memory: WasmMemory, exports: WasmExports, relaxed: boolean, kcMax: number, mcMax: number) {
    this.memory = memory;
    this.exports = exports;
    this.relaxed = relaxed;
    this.kcMax = kcMax;
    this.mcMax = mcMax;
    this.f32 = new Float32Array(memory.buffer);
  }

  get memoryBytes(): number {
    return this.memory.buffer.byteLength;
  }

  /** Grows the memory to at least `bytes` and returns the (possibly new) view. */
  private ensure(bytes: number): Float32Array {
    const have = this.memory.buffer.byteLength;
    if (bytes > have) {
      const pages = Math.ceil((bytes - have) / PAGE);
      if (have / PAGE + pages > MAX_PAGES) {
        throw new RangeError(`wasm kernels: problem needs ${bytes} bytes, more than 4 GiB`);
      }
      // Grow by at least half again, so a sequence of slightly larger problems does not
      // regrow (and re-create views) on every call.
      const want = Math.min(MAX_PAGES - have / PAGE, Math.max(pages, Math.ceil(have / PAGE / 2)));
      this.memory.grow(want);
    }
    if (this.f32.buffer !== this.memory.buffer) this.f32 = new Float32Array(this.memory.buffer);
    return this.f32;
  }

  matmulF32(
    a: Float32Array,
    aOff: number,
    b: Float32Array,
    bOff: number,
    out: Float32Array,
    outOff: number,
    m: number,
    k: number,
    n: number,
    transA: boolean,
    transB: boolean,
  ): void {
    this.matmulBiasActF32(a, aOff, b, bOff, out, outOff, m, k, n, transA, transB, null, 0);
  }

  matmulBiasActF32(
    a: Float32Array,
    aOff: number,
    b: Float32Array,
    bOff: number,
    out: Float32Array,
    outOff: number,
    m: number,
    k: number,
    n: number,
    transA: boolean,
    transB: boolean,
    bias: Float32Array | null,
    act: WasmActivation,
  ): void {
    checkDims("matmulF32", m, k, n, aOff, bOff, outOff);
    checkSpan("matmulF32 A", a, aOff, m * k);
    checkSpan("matmulF32 B", b, bOff, k * n);
    checkSpan("matmulF32 out", out, outOff, m * n);
    if (bias !== null) checkSpan("matmulF32 bias", bias, 0, n);
    if (m === 0 || n === 0) return;

    // Layout (byte offsets, 64-byte aligned): scratch | bias | A | B | C | packA | packB.
    const kcb = k === 0 ? 0 : Math.ceil(k / Math.ceil(k / this.kcMax)); // as the wasm splits k
    const mcb = Math.min(m, this.mcMax);
    const biasP = SCRATCH_BYTES;
    const aP = align64(biasP + (bias === null ? 0 : n * 4));
    const bP = align64(aP + m * k * 4);
    const cP = align64(bP + k * n * 4);
    const packAP = align64(cP + m * n * 4);
    const packBP = align64(packAP + Math.ceil(mcb / MR) * MR * kcb * 4);
    const end = packBP + Math.ceil(n / NR) * NR * kcb * 4;
    const mem = this.ensure(end);

    // One bulk copy per operand: typed-array set is a memcpy, O(mk + kn) against O(mkn) work.
    if (bias !== null) mem.set(bias.subarray(0, n), biasP >> 2);
    if (k === 0) {
      mem.fill(0, cP >> 2, (cP >> 2) + m * n); // empty sum
      if (bias !== null || act !== 0) this.exports.bias_act(cP, m, n, biasP, bias === null ? 0 : 1, act);
    } else {
      mem.set(a.subarray(aOff, aOff + m * k), aP >> 2);
      mem.set(b.subarray(bOff, bOff + k * n), bP >> 2);
      this.exports.matmul(
        aP,
        bP,
        cP,
        m,
        k,
        n,
        transA ? 1 : 0,
        transB ? 1 : 0,
        packAP,
        packBP,
        0,
        biasP,
        bias === null ? 0 : 1,
        act,
        this.kcMax,
        this.mcMax,
      );
    }
    out.set(mem.subarray(cP >> 2, (cP >> 2) + m * n), outOff);
  }

  biasActF32(
    x: Float32Array,
    xOff: number,
    out: Float32Array,
    outOff: number,
    rows: number,
    cols: number,
    bias: Float32Array | null,
    act: WasmActivation,
  ): void {
    checkDims("biasActF32", rows, cols, xOff, outOff);
    checkSpan("biasActF32 x", x, xOff, rows * cols);
    checkSpan("biasActF32 out", out, outOff, rows * cols);
    if (bias !== null) checkSpan("biasActF32 bias", bias, 0, cols);
    const len = rows * cols;
    if (len === 0) return;
    const biasP = SCRATCH_BYTES;
    const xP = align64(biasP + (bias === null ? 0 : cols * 4));
    const mem = this.ensure(xP + len * 4);
    if (bias !== null) mem.set(bias.subarray(0, cols), biasP >> 2);
    mem.set(x.subarray(xOff, xOff + len), xP >> 2);
    this.exports.bias_act(xP, rows, cols, biasP, bias === null ? 0 : 1, act);
    out.set(mem.subarray(xP >> 2, (xP >> 2) + len), outOff);
  }
}

function instantiate(wasm: WasmNamespace, bytes: Uint8Array, memory: WasmMemory): WasmExports {
  const instance = new wasm.Instance(new wasm.Module(bytes), { env: { memory } });
  return instance.exports as WasmExports;
}

/**
 * Instantiates the SIMD kernels synchronously (the module is ~2.6 KB, so synchronous
 * compilation is allowed even on browser main threads). Returns null where WebAssembly or
 * its SIMD128 proposal is unavailable, so callers fall back to plain TypeScript kernels.
 *
 * @example
 * const wk = createWasmKernels();
 * const matmul = wk
 *   ? wk.matmulF32.bind(wk)
 *   : matmul2d; // plain-TS fallback with the same argument order
 */
export function createWasmKernels(options: WasmKernelOptions = {}): WasmKernels | null {
  const wasm = (globalThis as { WebAssembly?: WasmNamespace }).WebAssembly;
  if (wasm === undefined || typeof wasm.validate !== "function") return null;
  const kcMax = options.kcMax ?? 256;
  const mcMax = options.mcMax ?? 128;
  if (!Number.isInteger(kcMax) || kcMax < 1 || !Number.isInteger(mcMax) || mcMax < 1) {
    throw new RangeError("createWasmKernels: kcMax and mcMax must be positive integers");
  }
  try {
    const base = decodeBase64(MATMUL_WASM_BASE64);
    if (!wasm.validate(base)) return null; // no SIMD128
    let bytes = base;
    let relaxed = false;
    if (options.relaxed ?? true) {
      const fma = decodeBase64(MATMUL_RELAXED_WASM_BASE64);
      if (wasm.validate(fma)) {
        bytes = fma;
        relaxed = true;
      }
    }
    const memory = new wasm.Memory({ initial: INITIAL_PAGES, maximum: MAX_PAGES });
    return new Kernels(memory, instantiate(wasm, bytes, memory), relaxed, kcMax, mcMax);
  } catch {
    // e.g. a CSP that forbids wasm compilation: behave as "unsupported".
    return null;
  }
}
