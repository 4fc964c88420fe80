// The backend's WebAssembly path against its plain TypeScript path: float32 matmul (2-D and
// batched with broadcast batches) and the fused matmulBiasAct, on sizes on both sides of the
// cutoff and with empty dimensions, must agree up to float32 rounding of long sums.
import type { DataId, DType, FusedActivation, Shape, TensorInfo } from "@tapegrad/core";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { cpu } from "../src/index.js";
import { worthWasm } from "../src/kernels/matmul_wasm.js";
import { createWasmKernels } from "../src/wasm/index.js";
import { expectClose, randomValues } from "./helpers.js";

const fast = cpu();
const plain = cpu({ wasm: false });
const hasWasm = createWasmKernels() !== null;

function upload(b: ReturnType<typeof cpu>, values: readonly number[], shape: Shape, dtype: DType): TensorInfo {
  const typed = dtype === "float32" ? Float32Array.from(values) : Float64Array.from(values);
  return { dataId: b.write(typed, dtype), shape, dtype };
}

function readFree(b: ReturnType<typeof cpu>, id: DataId): number[] {
  const out = Array.from(b.readSync(id));
  b.disposeData(id);
  return out;
}

/** Runs `call` on both backends with the same operands and returns both results. */
function both(
  operands: readonly { values: number[]; shape: Shape }[],
  dtype: DType,
  call: (b: ReturnType<typeof cpu>, xs: TensorInfo[]) => DataId,
): [number[], number[]] {
  return [fast, plain].map((b) => {
    const xs = operands.map((o) => upload(b, o.values, o.shape, dtype));
    try {
      return readFree(b, call(b, xs));
    } finally {
      for (const x of xs) b.disposeData(x.dataId);
    }
  }) as [number[], number[]];
}

// Sizes around the cutoff (8³, m·n = 32) and the kernel's 4×8 tile and 256-deep k blocks.
const dim = fc.oneof(fc.integer({ min: 0, max: 12 }), fc.constantFrom(1, 3, 4, 5, 8, 9, 17, 33, 64, 257));

describe("cpu backend with WebAssembly kernels", () => {
  it("instantiates the kernels where the engine has SIMD (Node 20 does)", () => {
    expect(hasWasm).toBe(true);
  });

  it("sends only products above the cutoff to wasm", () => {
    expect(worthWasm(256, 784, 128)).toBe(true);
    expect(worthWasm(16, 16, 16)).toBe(true);
    expect(worthWasm(4, 4, 4)).toBe(false);
    expect(worthWasm(1, 4096, 1)).toBe(false); // a dot product pads to a whole 4×8 tile
  });

  it("float32 matmul matches the TypeScript kernel for every transpose flag (property)", () => {
    fc.assert(
      fc.property(dim, dim, dim, fc.boolean(), fc.boolean(), fc.integer({ min: 1 }), (m, k, n, ta, tb, seed) => {
        const a = { values: randomValues(m * k, seed), shape: ta ? [k, m] : [m, k] };
        const b = { values: randomValues(k * n, seed + 1), shape: tb ? [n, k] : [k, n] };
        const [got, want] = both([a, b], "float32", (be, [x, w]) =>
          be.matmul(x as TensorInfo, w as TensorInfo, ta, tb, [m, n]),
        );
        // Both round each product to float32 at the end; wasm also sums in float32.
        expectClose(got, want, 1e-5, 1e-5 * Math.max(1, Math.sqrt(k)));
      }),
      { numRuns: 150 },
    );
  });

  it("batched float32 matmul broadcasts batches like the TypeScript kernel", () => {
    const cases: [Shape, Shape, boolean, boolean, Shape][] = [
      [[3, 20, 30], [3, 30, 40], false, false, [3, 20, 40]],
      [[2, 3, 30, 20], [30, 40], true, false, [2, 3, 20, 40]],
      [[20, 30], [4, 40, 30], false, true, [4, 20, 40]],
      [[2, 1, 20, 30], [1, 3, 40, 30], false, true, [2, 3, 20, 40]],
      [[0, 20, 30], [30, 40], false, false, [0, 20, 40]],
      [[2, 20, 0], [2, 0, 40], false, false, [2, 20, 40]],
    ];
    cases.forEach(([sa, sb, ta, tb, out], i) => {
      const size = (s: Shape) => s.reduce((p, d) => p * d, 1);
      const a = { values: randomValues(size(sa), 11 + i), shape: sa };
      const b = { values: randomValues(size(sb), 29 + i), shape: sb };
      const [got, want] = both([a, b], "float32", (be, [x, w]) =>
        be.matmul(x as TensorInfo, w as TensorInfo, ta, tb, out),
      );
      expect(got.length).toBe(size(out));
      expectClose(got, want, 1e-5, 1e-4);
    });
  });

  it("fused matmulBiasAct matches the TypeScript kernel for every activation and flag (property)", () => {
    const act = fc.constantFrom<FusedActivation>("linear", "relu", "sigmoid", "tanh");
    fc.assert(
      fc.property(
        dim,
        dim,
        dim,
        fc.boolean(),
        fc.boolean(),
        fc.boolean(),
        act,
        fc.integer({ min: 1 }),
        (m, k, n, ta, tb, hasBias, activation, seed) => {
          const ops = [
            { values: randomValues(m * k, seed), shape: ta ? [k, m] : [m, k] },
            { values: randomValues(k * n, seed + 1), shape: tb ? [n, k] : [k, n] },
            ...(hasBias ? [{ values: randomValues(n, seed + 2, 4), shape: [n] }] : []),
          ];
          const [got, want] = both(
            ops,
            "float32",
            (be, [x, w, bias]) =>
              be.fused.matmulBiasAct?.(x as TensorInfo, w as TensorInfo, bias ?? null, activation, ta, tb) as DataId,
          );
          expectClose(got, want, 1e-5, 1e-5 * Math.max(1, Math.sqrt(k)));
        },
      ),
      { numRuns: 150 },
    );
  });

  it("fused activations keep the TypeScript kernel's edge values (saturation, NaN)", () => {
    // x·I (4×8 times the 8×8 identity) puts the chosen values through the epilogue unchanged.
    const edge = [-1000, -100, -88, -20, -0.5, 0, 0.5, 20, 88, 100, 1000, Number.NaN, 1e-30, -1e-30, 3, -3];
    const x = { values: [...edge, ...edge], shape: [4, 8] };
    const eye = { values: Array.from({ length: 64 }, (_, i) => (i % 9 === 0 ? 1 : 0)), shape: [8, 8] };
    for (const activation of ["linear", "relu", "sigmoid", "tanh"] as const) {
      const [got, want] = both(
        [x, eye],
        "float32",
        (be, [a, w]) =>
          be.fused.matmulBiasAct?.(a as TensorInfo, w as TensorInfo, null, activation, false, false) as DataId,
      );
      // NaN·0 in the product makes a row with NaN all NaN on both paths.
      expectClose(got, want, 1e-6, 1e-30);
    }
  });

  it("leaves float64 on the TypeScript kernels (full double precision)", () => {
    const k = 40;
    const a = { values: randomValues(16 * k, 3), shape: [16, k] };
    const b = { values: randomValues(k * 16, 4), shape: [k, 16] };
    const [got, want] = both([a, b], "float64", (be, [x, w]) =>
      be.matmul(x as TensorInfo, w as TensorInfo, false, false, [16, 16]),
    );
    expect(got).toEqual(want);
  });

  it("counts the wasm scratch memory as pooled and drops it on dispose()", () => {
    const b = cpu();
    const x = upload(b, randomValues(64 * 64, 5), [64, 64], "float32");
    b.disposeData(b.matmul(x, x, false, false, [64, 64]));
    b.disposeData(x.dataId);
    const { bytesInUse, bytesPooled } = b.memory();
    expect(bytesInUse).toBe(0);
    expect(bytesPooled).toBeGreaterThanOrEqual(4 * 1024 * 1024);
    b.dispose();
    expect(b.memory()).toEqual({ bytesInUse: 0, bytesPooled: 0 });
  });
});
