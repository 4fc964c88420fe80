import type { DType } from "@tapegrad/core";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { matmul2d } from "../src/kernels/matmul.js";
import { backend, broadcastAt, expectClose, randomValues, read, sizeOfShape, t, toTyped, unravel } from "./helpers.js";

/** Naive triple loop on op(A)·op(B) in doubles. */
function naive(
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  m: number,
  k: number,
  n: number,
  transA: boolean,
  transB: boolean,
): number[] {
  const out: number[] = [];
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let p = 0; p < k; p++) {
        const av = transA ? a[p * m + i] : a[i * k + p];
        const bv = transB ? b[j * k + p] : b[p * n + j];
        s += (av as number) * (bv as number);
      }
      out.push(s);
    }
  }
  return out;
}

const dims = fc.oneof(fc.integer({ min: 0, max: 9 }), fc.constantFrom(1, 4, 5, 13));

describe("matmul", () => {
  for (const [transA, transB] of [
    [false, false],
    [true, false],
    [false, true],
    [true, true],
  ] as const) {
    it(`matches a naive triple loop with transposeA=${transA}, transposeB=${transB} (property)`, () => {
      fc.assert(
        fc.property(
          dims,
          dims,
          dims,
          fc.constantFrom<DType>("float32", "float64"),
          fc.integer({ min: 1 }),
          (m, k, n, dtype, seed) => {
            const av = Array.from(toTyped(randomValues(m * k, seed), dtype));
            const bv = Array.from(toTyped(randomValues(k * n, seed + 7), dtype));
            const a = t(av, transA ? [k, m] : [m, k], dtype);
            const b = t(bv, transB ? [n, k] : [k, n], dtype);
            const out = read(backend.matmul(a, b, transA, transB, [m, n]));
            expectClose(out, naive(av, bv, m, k, n, transA, transB), dtype === "float32" ? 1e-5 : 1e-13, 1e-5);
          },
        ),
        { numRuns: 80 },
      );
    });

    it(`crosses every blocking boundary with transposeA=${transA}, transposeB=${transB}`, () => {
      const [m, k, n] = [7, 300, 270];
      const av = randomValues(m * k, 11);
      const bv = randomValues(k * n, 12);
      const a = t(av, transA ? [k, m] : [m, k], "float64");
      const b = t(bv, transB ? [n, k] : [k, n], "float64");
      expectClose(read(backend.matmul(a, b, transA, transB, [m, n])), naive(av, bv, m, k, n, transA, transB), 1e-12);
    });
  }

  it("broadcasts batch dimensions", () => {
    fc.assert(
      fc.property(
        fc.constantFrom<[number[], number[]]>(
          [[2, 3], [1]],
          [[1], [4]],
          [[3], []],
          [[], [2]],
          [
            [2, 1],
            [1, 3],
          ],
        ),
        fc.boolean(),
        fc.boolean(),
        fc.integer({ min: 1 }),
        ([batchA, batchB], transA, transB, seed) => {
          const [m, k, n] = [3, 4, 2];
          const aShape = [...batchA, ...(transA ? [k, m] : [m, k])];
          const bShape = [...batchB, ...(transB ? [n, k] : [k, n])];
          const rank = Math.max(batchA.length, batchB.length);
          const batch: number[] = [];
          for (let i = 0; i < rank; i++) {
            const da = batchA[batchA.length - rank + i] ?? 1;
            const db = batchB[batchB.length - rank + i] ?? 1;
            batch.push(da === 1 ? db : da);
          }
          const av = randomValues(sizeOfShape(aShape), seed);
          const bv = randomValues(sizeOfShape(bShape), seed + 1);
          const out = read(
            backend.matmul(t(av, aShape, "float64"), t(bv, bShape, "float64"), transA, transB, [...batch, m, n]),
          );
          const aBatchShape = batchA.length ? batchA : [1];
          const bBatchShape = batchB.length ? batchB : [1];
          const expected: number[] = [];
          for (let bi = 0; bi < sizeOfShape(batch); bi++) {
            const idx = unravel(bi, batch);
            const aIdx = broadcastAt(
              Array.from({ length: sizeOfShape(aBatchShape) }, (_, i) => i),
              aBatchShape,
              idx,
            );
            const bIdx = broadcastAt(
              Array.from({ length: sizeOfShape(bBatchShape) }, (_, i) => i),
              bBatchShape,
              idx,
            );
            expected.push(
              ...naive(
                av.slice(aIdx * m * k, (aIdx + 1) * m * k),
                bv.slice(bIdx * k * n, (bIdx + 1) * k * n),
                m,
                k,
                n,
                transA,
                transB,
              ),
            );
          }
          expectClose(out, expected, 1e-12);
        },
      ),
      { numRuns: 40 },
    );
  });

  it("multiplies int32 with C wrap-around", () => {
    const a = t([1, 2, 3, 4], [2, 2], "int32");
    expect(read(backend.matmul(a, a, false, false, [2, 2]))).toEqual([7, 10, 15, 22]);
    expect(read(backend.matmul(a, a, true, true, [2, 2]))).toEqual([7, 15, 10, 22]);
    const big = t([65536, 65536], [1, 2], "int32");
    expect(read(backend.matmul(big, big, false, true, [1, 1]))).toEqual([0]);
  });

  it("computes float64 in float64", () => {
    const a = t([1e-8, 1], [1, 2], "float64");
    const b = t([1, 1], [2, 1], "float64");
    expect(read(backend.matmul(a, b, false, false, [1, 1]))[0]).toBe(1e-8 + 1);
  });

  it("overwrites the output region of matmul2d", () => {
    const out = new Float32Array([9, 9, 9, 9, 9, 9]);
    matmul2d(new Float32Array([1, 2]), 0, new Float32Array([3, 4]), 0, out, 1, 2, 1, 2, false, false);
    expect(Array.from(out)).toEqual([9, 3, 4, 6, 8, 9]);
    matmul2d(new Float32Array(0), 0, new Float32Array(0), 0, out, 0, 2, 0, 3, false, true);
    expect(Array.from(out)).toEqual([0, 0, 0, 0, 0, 0]);
  });
});
