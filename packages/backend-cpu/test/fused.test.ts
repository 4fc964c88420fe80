import type { DType, FusedActivation, UnaryOp } from "@tapegrad/core";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { backend, expectClose, randomValues, read, t } from "./helpers.js";

const fused = backend.fused;

describe("fused sigmoid", () => {
  it("matches 1 / (1 + exp(-x)) and never overflows", () => {
    const xs = [-1000, -50, -3, -0.5, 0, 0.5, 3, 50, 1000];
    const ref = xs.map((v) => 1 / (1 + Math.exp(-v)));
    for (const dtype of ["float32", "float64"] as DType[]) {
      const out = read(fused.sigmoid?.(t(xs, [xs.length], dtype)) as object);
      expectClose(out, ref, dtype === "float32" ? 1e-6 : 1e-15, 1e-300);
      expect(out.every((v) => Number.isFinite(v))).toBe(true);
    }
  });
});

describe("fused softmax", () => {
  it("matches exp(x - max) / sum along the last axis", () => {
    const x = t([1, 2, 3, 1000, 1001, 1002, -1, -1, -1], [3, 3], "float64");
    const out = read(fused.softmax?.(x) as object);
    const row = [1, 2, 3].map((v) => Math.exp(v - 3));
    const s = row.reduce((a, b) => a + b, 0);
    const r = row.map((v) => v / s);
    expectClose(out, [...r, ...r, 1 / 3, 1 / 3, 1 / 3], 1e-15);
  });

  it("matches the composed primitives on the backend", () => {
    const values = randomValues(4 * 5, 3, 8);
    const x = t(values, [4, 5], "float32");
    const max = backend.reduce("max", x, [1]);
    const shifted = backend.binary("sub", x, { dataId: max, shape: [4, 1], dtype: "float32" }, [4, 5]);
    const e = backend.unary("exp", { dataId: shifted, shape: [4, 5], dtype: "float32" });
    const sum = backend.reduce("sum", { dataId: e, shape: [4, 5], dtype: "float32" }, [1]);
    const composed = backend.binary(
      "div",
      { dataId: e, shape: [4, 5], dtype: "float32" },
      { dataId: sum, shape: [4, 1], dtype: "float32" },
      [4, 5],
    );
    expectClose(read(fused.softmax?.(x) as object), read(composed), 1e-6, 1e-7);
  });
});

describe("fused matmulBiasAct", () => {
  const compose: Record<FusedActivation, UnaryOp | "relu" | "sigmoid" | null> = {
    linear: null,
    relu: "relu",
    sigmoid: "sigmoid",
    tanh: "tanh",
  };

  it("matches matmul + bias + activation composed from primitives (property)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 9 }),
        fc.integer({ min: 0, max: 9 }),
        fc.integer({ min: 1, max: 9 }),
        fc.boolean(),
        fc.boolean(),
        fc.boolean(),
        fc.constantFrom<FusedActivation>("linear", "relu", "sigmoid", "tanh"),
        fc.constantFrom<DType>("float32", "float64"),
        fc.integer({ min: 1 }),
        (m, k, n, transA, transB, withBias, act, dtype, seed) => {
          const a = t(randomValues(m * k, seed), transA ? [k, m] : [m, k], dtype);
          const b = t(randomValues(k * n, seed + 1), transB ? [n, k] : [k, n], dtype);
          const bias = withBias ? t(randomValues(n, seed + 2), [n], dtype) : null;
          let y = backend.matmul(a, b, transA, transB, [m, n]);
          if (bias !== null) y = backend.binary("add", { dataId: y, shape: [m, n], dtype }, bias, [m, n]);
          const yi = { dataId: y, shape: [m, n], dtype };
          const op = compose[act];
          if (op === "relu") {
            y = backend.binary("maximum", yi, t([0], [], dtype), [m, n]);
          } else if (op === "sigmoid") {
            const e = backend.unary("exp", { dataId: backend.unary("neg", yi), shape: [m, n], dtype });
            const d = backend.binary("add", t([1], [], dtype), { dataId: e, shape: [m, n], dtype }, [m, n]);
            y = backend.unary("reciprocal", { dataId: d, shape: [m, n], dtype });
          } else if (op !== null) {
            y = backend.unary(op, yi);
          }
          const got = read(fused.matmulBiasAct?.(a, b, bias, act, transA, transB) as object);
          expectClose(got, read(y), dtype === "float32" ? 1e-5 : 1e-13, 1e-6);
        },
      ),
      { numRuns: 150 },
    );
  });
});
