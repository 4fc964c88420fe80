import type { FusedActivation, Shape } from "@tapegrad/core";
import type { Allocator, ArrayView } from "../kernel_types.js";
import { product } from "../strided.js";
import type { WasmActivation, WasmKernels } from "../wasm/index.js";
import { matmulDims2d, planMatmul } from "./matmul.js";

// Below these sizes the plain TypeScript kernel wins: a wasm call costs about a microsecond of
// fixed overhead (copies in and out, packing), and the packed 4×8 microkernel pads thin
// products (m·n small, e.g. matrix-vector) up to whole tiles. Measured on Node 20 over cubes
// 2³…64³ and skinny shapes, every transpose case: the crossover is near 8³ for cubes, and
// m·n < 32 (a vector or two) stays faster in TS at any depth.
const MIN_MKN = 4096;
const MIN_MN = 32;

/**
 * Whether a float32 product of these sizes is worth sending to the WebAssembly kernels.
 *
 * @example
 * ```ts
 * worthWasm(256, 784, 128); // true
 * worthWasm(1, 1024, 1); // false: a dot product
 * ```
 */
export function worthWasm(m: number, k: number, n: number): boolean {
  return m * n >= MIN_MN && m * k * n >= MIN_MKN;
}

const ACTIVATION_CODE: Readonly<Record<FusedActivation, WasmActivation>> = {
  linear: 0,
  relu: 1,
  sigmoid: 2,
  tanh: 3,
};

/**
 * Batched float32 matmul on the WebAssembly SIMD kernels: the same contract and batch
 * broadcasting as the TypeScript `matmul`, one wasm call per output batch.
 *
 * @example
 * ```ts
 * const out = matmulWasm(wk, a, b, false, true, [256, 784], alloc); // a: [256, 128], b: [784, 128]
 * ```
 */
export function matmulWasm(
  wk: WasmKernels,
  a: ArrayView,
  b: ArrayView,
  transA: boolean,
  transB: boolean,
  outShape: Shape,
  alloc: Allocator,
): Float32Array {
  const { m, k, n, offA, offB } = planMatmul(a, b, transA, outShape);
  const out = alloc("float32", product(outShape), false) as Float32Array;
  const av = a.values as Float32Array;
  const bv = b.values as Float32Array;
  const outMat = m * n;
  for (let t = 0; t < offA.length; t++) {
    wk.matmulF32(av, offA[t] as number, bv, offB[t] as number, out, t * outMat, m, k, n, transA, transB);
  }
  return out;
}

/**
 * act(op(a)·op(b) + bias) for 2-D float32 operands on the WebAssembly kernels, bias and
 * activation applied in the same call while the output tile is in cache.
 *
 * @example
 * ```ts
 * const y = matmulBiasActWasm(wk, x, w, b, "relu", false, false, alloc); // x: [256, 784], w: [784, 128]
 * ```
 */
export function matmulBiasActWasm(
  wk: WasmKernels,
  a: ArrayView,
  b: ArrayView,
  bias: ArrayView | null,
  activation: FusedActivation,
  transA: boolean,
  transB: boolean,
  alloc: Allocator,
): Float32Array {
  const { m, k, n } = matmulDims2d(a, b, transA, transB);
  const out = alloc("float32", m * n, false) as Float32Array;
  wk.matmulBiasActF32(
    a.values as Float32Array,
    0,
    b.values as Float32Array,
    0,
    out,
    0,
    m,
    k,
    n,
    transA,
    transB,
    bias === null ? null : (bias.values as Float32Array),
    ACTIVATION_CODE[activation],
  );
  return out;
}
