import { DTypeError, matmul, ShapeError, tensor, transpose } from "@tapegrad/core";
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { broadcastRef, checkLeaks, intValuesArb, numTensors, size, unravel, vals } from "./helpers.js";

checkLeaks();

/** Naive batched op(a)·op(b) with broadcast batch dims. */
function matmulRef(
  va: readonly number[],
  sa: readonly number[],
  vb: readonly number[],
  sb: readonly number[],
  ta: boolean,
  tb: boolean,
): { shape: number[]; values: number[] } {
  const [ra, ca] = sa.slice(-2) as [number, number];
  const [rb, cb] = sb.slice(-2) as [number, number];
  const [m, k] = ta ? [ca, ra] : [ra, ca];
  const n = tb ? rb : cb;
  const batchA = sa.slice(0, -2);
  const batchB = sb.slice(0, -2);
  const rank = Math.max(batchA.length, batchB.length);
  const batch = Array.from({ length: rank }, (_, i) => {
    const x = batchA[batchA.length - rank + i] ?? 1;
    const y = batchB[batchB.length - rank + i] ?? 1;
    return x === 1 ? y : x;
  });
  // Broadcast whole matrices by treating each as one element of the batch grid.
  const matA = broadcastRef(
    Array.from({ length: size(batchA) }, (_, i) => i),
    batchA,
    batch,
  );
  const matB = broadcastRef(
    Array.from({ length: size(batchB) }, (_, i) => i),
    batchB,
    batch,
  );
  const out: number[] = [];
  for (let p = 0; p < size(batch); p++) {
    const oa = (matA[p] as number) * ra * ca;
    const ob = (matB[p] as number) * rb * cb;
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        let acc = 0;
        for (let l = 0; l < k; l++) {
          const av = va[oa + (ta ? l * ca + i : i * ca + l)] as number;
          const bv = vb[ob + (tb ? j * cb + l : l * cb + j)] as number;
          acc += av * bv;
        }
        out.push(acc);
      }
    }
  }
  return { shape: [...batch, m, n], values: out };
}

const dim = fc.integer({ min: 1, max: 5 });
const batchPair = fc
  .array(fc.integer({ min: 1, max: 3 }), { maxLength: 2 })
  .chain((batch) =>
    fc.tuple(
      fc.constant(batch),
      fc.integer({ min: 0, max: batch.length }),
      fc.integer({ min: 0, max: batch.length }),
      fc.array(fc.boolean(), { minLength: batch.length, maxLength: batch.length }),
    ),
  )
  .map(([batch, dropA, dropB, ones]) => ({
    a: batch.slice(dropA),
    b: batch.map((d, i) => (ones[i] ? 1 : d)).slice(dropB),
  }));

const matmulCase = fc
  .record({ m: dim, k: dim, n: dim, ta: fc.boolean(), tb: fc.boolean(), batch: batchPair })
  .chain(({ m, k, n, ta, tb, batch }) => {
    const sa = [...batch.a, ...(ta ? [k, m] : [m, k])];
    const sb = [...batch.b, ...(tb ? [n, k] : [k, n])];
    return fc.record({
      sa: fc.constant(sa),
      sb: fc.constant(sb),
      ta: fc.constant(ta),
      tb: fc.constant(tb),
      va: intValuesArb(sa),
      vb: intValuesArb(sb),
    });
  });

describe("matmul", () => {
  test("matches a naive reference over random shapes, every transpose flag and batch broadcast", () => {
    fc.assert(
      fc.property(matmulCase, ({ sa, sb, ta, tb, va, vb }) => {
        const ref = matmulRef(va, sa, vb, sb, ta, tb);
        for (const dtype of ["float32", "float64", "int32"] as const) {
          using a = tensor(va, { shape: sa, dtype });
          using b = tensor(vb, { shape: sb, dtype });
          using y = matmul(a, b, { transposeA: ta, transposeB: tb });
          expect([y.shape, y.dtype]).toEqual([ref.shape, dtype]);
          expect(vals(y)).toEqual(ref.values);
        }
      }),
      { numRuns: 80 },
    );
  });

  test("a transpose flag equals transposing the operand first", () => {
    fc.assert(
      fc.property(matmulCase, ({ sa, sb, ta, tb, va, vb }) => {
        using a = tensor(va, { shape: sa });
        using b = tensor(vb, { shape: sb });
        const perm = (r: number) => [...Array.from({ length: r - 2 }, (_, i) => i), r - 1, r - 2];
        using at = ta ? transpose(a, perm(a.rank)) : a.clone();
        using bt = tb ? transpose(b, perm(b.rank)) : b.clone();
        using flagged = matmul(a, b, { transposeA: ta, transposeB: tb });
        using plain = matmul(at, bt);
        expect(vals(flagged)).toEqual(vals(plain));
      }),
      { numRuns: 30 },
    );
  });

  test("a larger product in float64 matches the reference (blocked kernels)", () => {
    const m = 37;
    const k = 70;
    const n = 29;
    const va = Array.from({ length: m * k }, (_, i) => Math.sin(i));
    const vb = Array.from({ length: k * n }, (_, i) => Math.cos(i));
    using a = tensor(va, { shape: [m, k], dtype: "float64" });
    using b = tensor(vb, { shape: [k, n], dtype: "float64" });
    using y = matmul(a, b);
    const ref = matmulRef(va, [m, k], vb, [k, n], false, false);
    const got = vals(y);
    ref.values.forEach((v, i) => {
      expect(Math.abs((got[i] as number) - v)).toBeLessThan(1e-12);
    });
    expect(unravel(got.length - 1, y.shape)).toEqual([m - 1, n - 1]);
  });

  test("mixed dtypes promote; errors name op and shapes and allocate nothing", () => {
    using i = tensor([[1, 2]], { dtype: "int32" });
    using f = tensor([[0.5], [0.25]]);
    using y = matmul(i, f);
    expect([y.dtype, vals(y)]).toEqual(["float32", [1]]);
    using a = tensor(new Float32Array(256 * 784), { shape: [256, 784] });
    using b = tensor(new Float32Array(128 * 64), { shape: [128, 64] });
    using v = tensor([1, 2]);
    using bool = tensor([[true]]);
    using b3 = tensor(new Float32Array(2 * 3 * 4), { shape: [2, 3, 4] });
    using c3 = tensor(new Float32Array(3 * 4 * 4), { shape: [3, 4, 4] });
    const before = numTensors();
    expect(() => matmul(a, b)).toThrow(ShapeError);
    expect(() => matmul(a, b)).toThrow(/^matmul: inner dimensions differ: \[256,784\] x \[128,64\]$/);
    expect(() => matmul(a, b, { transposeA: true })).toThrow(
      /^matmul: inner dimensions differ: \[256,784\]ᵀ x \[128,64\]$/,
    );
    expect(() => matmul(v, a)).toThrow(/^matmul: operands must have rank >= 2, got \[2\] x \[256,784\]$/);
    expect(() => matmul(bool, bool)).toThrow(DTypeError);
    expect(() => matmul(bool, bool)).toThrow(/^matmul: first operand has dtype bool/);
    expect(() => matmul(b3, c3)).toThrow(/^matmul: shapes \[2\] and \[3\] do not broadcast$/);
    // The int32 operand would be cast first: a disposed float operand must not leave the cast behind.
    const gone = tensor([[1], [2]]);
    gone.dispose();
    expect(() => matmul(i, gone)).toThrow(/^matmul: input tensor #\d+ float32\[2,1\] was disposed$/);
    expect(numTensors()).toBe(before);
  });
});
