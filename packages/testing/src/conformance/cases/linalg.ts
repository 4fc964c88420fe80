import type { DType } from "@tapegrad/core";
import * as core from "@tapegrad/core";
import fc from "fast-check";
import { broadcastShapesArb, valuesArb } from "../../arbitraries.js";
import type { TensorDescription } from "../../description.js";
import {
  type ConformanceCase,
  expectTensor,
  live,
  magnitude,
  perDtype,
  property,
  ref,
  seededValues,
} from "../harness.js";
import * as R from "../reference.js";
import { NUMERIC } from "./dtypes.js";

interface MatmulInputs {
  readonly a: TensorDescription;
  readonly b: TensorDescription;
}

/** Operands of op(a)·op(b) with broadcast batch dims; stored shapes follow the flags. */
function matmulArb(
  dtype: DType,
  transposeA: boolean,
  transposeB: boolean,
  dims: fc.Arbitrary<number>,
  batchRank: number,
): fc.Arbitrary<MatmulInputs> {
  const values = dtype === "int32" ? { min: -5, max: 5 } : { min: -3, max: 3 };
  return fc
    .tuple(broadcastShapesArb(2, { maxRank: batchRank, maxDim: 3 }), dims, dims, dims)
    .chain(([[ba, bb], m, k, n]) => {
      const sa = [...(ba as number[]), ...(transposeA ? [k, m] : [m, k])];
      const sb = [...(bb as number[]), ...(transposeB ? [n, k] : [k, n])];
      return fc.record({
        a: valuesArb(sa, dtype, values).map((v) => ({ shape: sa, dtype, values: v })),
        b: valuesArb(sb, dtype, values).map((v) => ({ shape: sb, dtype, values: v })),
      });
    });
}

const small = fc.oneof(
  { arbitrary: fc.integer({ min: 1, max: 5 }), weight: 5 },
  { arbitrary: fc.constant(0), weight: 1 },
);

const FLAGS = [
  [false, false],
  [false, true],
  [true, false],
  [true, true],
] as const;

async function checkMatmul(
  ctx: Parameters<ConformanceCase["run"]>[0],
  dtype: DType,
  transposeA: boolean,
  transposeB: boolean,
  arb: fc.Arbitrary<MatmulInputs>,
): Promise<void> {
  await property(ctx, arb, async ({ a, b }, scope) => {
    const y = scope.run(() => core.matmul(live(scope, a), live(scope, b), { transposeA, transposeB }));
    await expectTensor(ctx, y, R.matmul(ref(a), ref(b), transposeA, transposeB), dtype, {
      kind: "accumulation",
      scale: R.matmul(ref(a), ref(b), transposeA, transposeB, true),
      magnitude: magnitude(a, b),
      label: `matmul(transposeA ${transposeA}, transposeB ${transposeB})`,
    });
  });
}

const flagCases = FLAGS.flatMap(([ta, tb]) =>
  perDtype(
    "matmul",
    "matmul",
    NUMERIC,
    (ctx, dtype) => checkMatmul(ctx, dtype, ta, tb, matmulArb(dtype, ta, tb, small, 2)),
    (dtype) => `matmul ${dtype} transposeA=${ta} transposeB=${tb}, batch broadcasting`,
  ),
);

// Sizes past a blocked kernel's tiles (the CPU blocks k by 128 and n by 256, and tiles rows
// by 4), with ragged edges.
const blockedCases = perDtype(
  "matmul",
  "matmul",
  NUMERIC,
  async (ctx, dtype) => {
    const sizes = fc.tuple(
      fc.integer({ min: 1, max: 9 }),
      fc.integer({ min: 1, max: 200 }),
      fc.integer({ min: 1, max: 300 }),
    );
    for (const [ta, tb] of FLAGS) {
      // Values come from a seed, not from fast-check arrays: tens of thousands of elements
      // would make generation and shrinking slow for no gain.
      const arb = fc.tuple(sizes, fc.integer()).map(([[m, k, n], seed]) => {
        const sa = ta ? [k, m] : [m, k];
        const sb = tb ? [n, k] : [k, n];
        const [lo, hi] = dtype === "int32" ? [-5, 5] : [-3, 3];
        return {
          a: { shape: sa, dtype, values: seededValues(m * k, dtype, lo, hi, seed) },
          b: { shape: sb, dtype, values: seededValues(k * n, dtype, lo, hi, seed + 1) },
        };
      });
      await checkMatmul({ ...ctx, numRuns: Math.max(1, Math.ceil(ctx.numRuns / 6)) }, dtype, ta, tb, arb);
    }
  },
  (dtype) => `matmul ${dtype} large ragged sizes, every transpose flag`,
);

/**
 * Matmul conformance cases: every transpose flag per dtype with broadcast batch dimensions
 * (including empty and size-1 ones), and sizes past blocked kernels' tiles.
 *
 * @example
 * ```ts
 * LINALG_CASES.length; // 4 flag combinations + 1 large case, per numeric dtype
 * ```
 */
export const LINALG_CASES: readonly ConformanceCase[] = [...flagCases, ...blockedCases];
