// Tests of the WebAssembly SIMD kernels in src/wasm, independent of the rest of the backend.
// The relaxed-simd (FMA) module is exercised only where the engine enables it; on Node 20:
//   node --experimental-wasm-relaxed-simd node_modules/vitest/vitest.mjs run \
//     --project backend-cpu test/wasm --pool=threads   (from the repo root; threads inherit V8 flags)
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createWasmKernels, type WasmActivation, type WasmKernels } from "../src/wasm/index.js";
import { decodeBase64, MATMUL_RELAXED_WASM_BASE64, MATMUL_WASM_BASE64 } from "../src/wasm/matmul_bytes.js";

/** Deterministic pseudo-random floats in [-1, 1) (xorshift), so failures reproduce. */
function randomArray(len: number, seed: number): Float32Array {
  const out = new Float32Array(len);
  let s = (seed * 2654435761) >>> 0 || 1;
  for (let i = 0; i < len; i++) {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    out[i] = s / 2 ** 31 - 1;
  }
  return out;
}

/** float64 reference; also returns Σ|a||b| per entry, the scale of float32 rounding error. */
function reference(
  a: Float32Array,
  aOff: number,
  b: Float32Array,
  bOff: number,
  m: number,
  k: number,
  n: number,
  tA: boolean,
  tB: boolean,
): { value: Float64Array; scale: Float64Array } {
  const value = new Float64Array(m * n);
  const scale = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      let abs = 0;
      for (let p = 0; p < k; p++) {
        const x = a[aOff + (tA ? p * m + i : i * k + p)]!;
        const y = b[bOff + (tB ? j * k + p : p * n + j)]!;
        s += x * y;
        abs += Math.abs(x * y);
      }
      value[i * n + j] = s;
      scale[i * n + j] = abs;
    }
  }
  return { value, scale };
}

const ACT: Record<WasmActivation, (x: number) => number> = {
  0: (x) => x,
  1: (x) => Math.max(x, 0),
  2: (x) => 1 / (1 + Math.exp(-x)),
  3: (x) => Math.tanh(x),
};

/**
 * Runs one product through the kernels and compares with float64. The error bound is
 * relative to Σ|aᵢbᵢ| (the natural float32 accumulation bound), so cancellation in the sum
 * does not produce spurious failures.
 */
function check(
  wk: WasmKernels,
  m: number,
  k: number,
  n: number,
  tA: boolean,
  tB: boolean,
  aOff: number,
  bOff: number,
  outOff: number,
  seed: number,
  bias: Float32Array | null = null,
  act: WasmActivation = 0,
): void {
  const a = randomArray(aOff + m * k + 3, seed);
  const b = randomArray(bOff + k * n + 5, seed + 1);
  const out = new Float32Array(outOff + m * n + 7).fill(-123);
  if (bias === null && act === 0) wk.matmulF32(a, aOff, b, bOff, out, outOff, m, k, n, tA, tB);
  else wk.matmulBiasActF32(a, aOff, b, bOff, out, outOff, m, k, n, tA, tB, bias, act);
  const { value, scale } = reference(a, aOff, b, bOff, m, k, n, tA, tB);
  for (let i = 0; i < m * n; i++) {
    const j = i % n;
    const z = value[i]! + (bias ? bias[j]! : 0);
    const want = ACT[act](z);
    const tol = 1e-5 * (scale[i]! + (bias ? Math.abs(bias[j]!) : 0) + 1e-3) + 1e-6 * Math.abs(want);
    const got = out[outOff + i]!;
    if (!(Math.abs(got - want) <= tol)) {
      throw new Error(
        `m=${m} k=${k} n=${n} tA=${tA} tB=${tB} act=${act} at (${Math.floor(i / n)},${j}): got ${got}, want ${want}`,
      );
    }
  }
  // nothing outside [outOff, outOff + m*n) is touched
  for (let i = 0; i < outOff; i++) expect(out[i]).toBe(-123);
  for (let i = outOff + m * n; i < out.length; i++) expect(out[i]).toBe(-123);
}

const wk = createWasmKernels();
const base = createWasmKernels({ relaxed: false });
// Small blocks force several k blocks and m blocks (and their edges) even on small shapes.
const tiny = createWasmKernels({ kcMax: 5, mcMax: 6 });

describe("createWasmKernels", () => {
  it("instantiates on Node 20 (SIMD128 is on by default)", () => {
    expect(wk).not.toBeNull();
    expect(base).not.toBeNull();
    expect(base!.relaxed).toBe(false);
  });

  it("ships valid module bytes", () => {
    const bytes = decodeBase64(MATMUL_WASM_BASE64);
    expect(Array.from(bytes.subarray(0, 4))).toEqual([0, 0x61, 0x73, 0x6d]);
    // WebAssembly is not in this package's TS libs; read it the way src/wasm does
    const wasm = (globalThis as unknown as { WebAssembly: { validate(b: Uint8Array): boolean } }).WebAssembly;
    expect(wasm.validate(bytes)).toBe(true);
    // The relaxed (FMA) module validates only where the engine has relaxed-simd (Node 20:
    // --experimental-wasm-relaxed-simd); the default instance must pick it exactly then.
    const fma = decodeBase64(MATMUL_RELAXED_WASM_BASE64);
    expect(Array.from(fma.subarray(0, 4))).toEqual([0, 0x61, 0x73, 0x6d]);
    expect(wk!.relaxed).toBe(wasm.validate(fma));
  });

  it("rejects bad block options", () => {
    expect(() => createWasmKernels({ kcMax: 0 })).toThrow(RangeError);
  });
});

describe("matmulF32", () => {
  it("matches float64 on random shapes, transposes and offsets", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 40 }),
        fc.integer({ min: 1, max: 40 }),
        fc.integer({ min: 1, max: 40 }),
        fc.boolean(),
        fc.boolean(),
        fc.integer({ min: 0, max: 9 }),
        fc.integer({ min: 0, max: 9 }),
        fc.integer({ min: 0, max: 9 }),
        fc.integer({ min: 1, max: 1e6 }),
        (m, k, n, tA, tB, aOff, bOff, outOff, seed) => {
          check(wk!, m, k, n, tA, tB, aOff, bOff, outOff, seed);
          check(tiny!, m, k, n, tA, tB, aOff, bOff, outOff, seed);
        },
      ),
      { numRuns: 300 },
    );
  });

  it("covers size 1 in every position and both transposes", () => {
    for (const [m, k, n] of [
      [1, 1, 1],
      [1, 7, 1],
      [1, 1, 9],
      [5, 1, 1],
      [1, 33, 17],
      [9, 1, 13],
    ] as const) {
      for (const tA of [false, true]) {
        for (const tB of [false, true]) check(wk!, m, k, n, tA, tB, 1, 2, 3, m + k + n);
      }
    }
  });

  it("matches on larger shapes that need several k and m blocks", () => {
    for (const tA of [false, true]) {
      for (const tB of [false, true]) {
        check(wk!, 130, 257, 67, tA, tB, 3, 1, 2, 7);
        check(wk!, 261, 600, 19, tA, tB, 0, 0, 0, 8); // m > mcMax, k split 3 ways
      }
    }
    check(base!, 67, 513, 130, true, false, 0, 0, 0, 9);
  });

  it("treats k = 0 as an empty sum and m = 0 / n = 0 as no-ops", () => {
    const out = new Float32Array(6).fill(7);
    wk!.matmulF32(new Float32Array(0), 0, new Float32Array(0), 0, out, 0, 2, 0, 3, false, false);
    expect(Array.from(out)).toEqual([0, 0, 0, 0, 0, 0]);
    out.fill(7);
    wk!.matmulF32(new Float32Array(4), 0, new Float32Array(4), 0, out, 0, 0, 4, 1, false, false);
    wk!.matmulF32(new Float32Array(4), 0, new Float32Array(4), 0, out, 0, 1, 4, 0, false, false);
    expect(Array.from(out)).toEqual([7, 7, 7, 7, 7, 7]);
  });

  it("allows the output to alias an operand", () => {
    const a = randomArray(16, 3);
    const copy = a.slice();
    const want = new Float32Array(16);
    wk!.matmulF32(copy, 0, copy, 0, want, 0, 4, 4, 4, false, true);
    wk!.matmulF32(a, 0, a, 0, a, 0, 4, 4, 4, false, true);
    expect(Array.from(a)).toEqual(Array.from(want));
  });

  it("throws RangeError on out-of-range operands instead of reading garbage", () => {
    const small = new Float32Array(5);
    expect(() => wk!.matmulF32(small, 0, small, 0, small, 0, 2, 3, 1, false, false)).toThrow(RangeError);
    expect(() => wk!.matmulF32(small, 1.5, small, 0, small, 0, 1, 1, 1, false, false)).toThrow(RangeError);
  });

  it("reuses and grows its memory across calls of changing size", () => {
    const k = createWasmKernels()!;
    const before = k.memoryBytes;
    for (let r = 0; r < 20; r++) check(k, 8, 8, 8, r % 2 === 1, r % 3 === 1, 0, 0, 0, r);
    expect(k.memoryBytes).toBe(before); // small problems: no growth
    // a 1100 x 1100 operand (4.6 MiB) exceeds the initial 4 MiB: must grow, then stay correct
    check(k, 1100, 1100, 9, false, true, 0, 0, 0, 1);
    const grown = k.memoryBytes;
    expect(grown).toBeGreaterThan(before);
    check(k, 9, 10, 11, true, false, 0, 0, 0, 2);
    check(k, 9, 1100, 1100, true, false, 0, 0, 0, 3);
    expect(k.memoryBytes).toBe(grown);
  });
});

describe("matmulBiasActF32", () => {
  it("fuses bias and each activation", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 24 }),
        fc.integer({ min: 1, max: 24 }),
        fc.integer({ min: 1, max: 24 }),
        fc.boolean(),
        fc.boolean(),
        fc.boolean(),
        fc.constantFrom<WasmActivation>(0, 1, 2, 3),
        fc.integer({ min: 1, max: 1e6 }),
        (m, k, n, tA, tB, withBias, act, seed) => {
          const bias = withBias ? randomArray(n, seed + 7) : null;
          check(wk!, m, k, n, tA, tB, 1, 0, 2, seed, bias, act);
          check(tiny!, m, k, n, tA, tB, 1, 0, 2, seed, bias, act);
        },
      ),
      { numRuns: 200 },
    );
  });

  it("applies bias and activation on k = 0", () => {
    const out = new Float32Array(4);
    wk!.matmulBiasActF32(
      new Float32Array(0),
      0,
      new Float32Array(0),
      0,
      out,
      0,
      2,
      0,
      2,
      false,
      false,
      new Float32Array([-1, 2]),
      1,
    );
    expect(Array.from(out)).toEqual([0, 2, 0, 2]);
  });
});

describe("biasActF32", () => {
  it("matches Math on a wide range, including saturation, ±0, ±Infinity and NaN", () => {
    const xs = [
      0,
      -0,
      1e-8,
      -1e-8,
      1e-3,
      -0.3,
      0.6249,
      0.6251,
      -0.7,
      1,
      2.5,
      -5,
      9,
      20,
      -20,
      50,
      -87,
      88,
      90,
      -90,
      200,
      -200,
      1e30,
      -1e30,
      Infinity,
      -Infinity,
      NaN,
    ];
    const x = Float32Array.from(xs);
    const out = new Float32Array(xs.length);
    for (const act of [0, 1, 2, 3] as WasmActivation[]) {
      // cols = length so the vector loop and the scalar tail both run
      wk!.biasActF32(x, 0, out, 0, 1, x.length, null, act);
      for (let i = 0; i < xs.length; i++) {
        const want = ACT[act](x[i]!);
        const got = out[i]!;
        if (Number.isNaN(want)) expect(got).toBeNaN();
        else if (got !== want) expect(Math.abs(got - want)).toBeLessThanOrEqual(2e-7 * Math.abs(want) + 1e-37);
      }
    }
  });

  it("adds a per-column bias, works in place and with offsets", () => {
    const rows = 7;
    const cols = 13;
    const x = randomArray(rows * cols + 2, 5);
    const bias = randomArray(cols, 6);
    const copy = x.slice();
    wk!.biasActF32(x, 2, x, 2, rows, cols, bias, 3);
    for (let i = 0; i < rows * cols; i++) {
      const want = Math.tanh(copy[2 + i]! + bias[i % cols]!);
      expect(Math.abs(x[2 + i]! - want)).toBeLessThanOrEqual(3e-7);
    }
    expect(x[0]).toBe(copy[0]);
    expect(x[1]).toBe(copy[1]);
  });
});
