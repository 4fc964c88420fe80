import type { DType, Tensor } from "@tapegrad/core";
import * as core from "@tapegrad/core";
import fc from "fast-check";
import { axesArb, axisArb, shapeArb, type ValueOptions, valuesArb } from "../../arbitraries.js";
import { expectClose } from "../../close.js";
import type { TensorDescription } from "../../description.js";
import { type ConformanceCase, expectTensor, live, perDtype, property, ref } from "../harness.js";
import * as R from "../reference.js";
import { ALL, FLOATS, NUMERIC } from "./dtypes.js";

type Axes = number[] | number | undefined;

/** A tensor and the axes to reduce: a list (possibly empty), a single axis, or all (undefined). */
function reductionArb(
  dtype: DType,
  allowEmpty: boolean,
  values: ValueOptions = {},
): fc.Arbitrary<{ d: TensorDescription; axes: Axes; keepDims: boolean }> {
  return shapeArb({ maxRank: 4, maxDim: 4, allowEmpty }).chain((shape) =>
    fc.record({
      d: valuesArb(shape, dtype, values).map((v) => ({ shape, dtype, values: v })),
      axes: fc.oneof(
        axesArb(shape.length) as fc.Arbitrary<Axes>,
        shape.length > 0 ? (axisArb(shape.length) as fc.Arbitrary<Axes>) : fc.constant(undefined),
        fc.constant(undefined),
      ),
      keepDims: fc.boolean(),
    }),
  );
}

const sumCases = perDtype("reduction", "sum", ALL, async (ctx, dtype) => {
  const out = dtype === "bool" ? "int32" : dtype;
  await property(ctx, reductionArb(dtype, true), async ({ d, axes, keepDims }, scope) => {
    const y = scope.run(() => core.sum(live(scope, d), axes, keepDims));
    const x = ref(d);
    await expectTensor(ctx, y, R.sum(x, axes, keepDims), out, {
      kind: "accumulation",
      scale: R.sum(R.unary("abs", x), axes, keepDims),
      label: `sum(axes ${JSON.stringify(axes)}, keepDims ${keepDims})`,
    });
  });
});

const EXTREMA = {
  max: { run: core.max, ref: R.max },
  min: { run: core.min, ref: R.min },
} as const;
const ARG = { argmax: core.argmax, argmin: core.argmin } as const;

const extremumCases = (["max", "min"] as const).flatMap((op) =>
  perDtype("reduction", op, NUMERIC, async (ctx, dtype) => {
    // Reducing an empty axis is an error (see the errors group); small values make ties.
    await property(ctx, reductionArb(dtype, false, { min: -5, max: 5 }), async ({ d, axes, keepDims }, scope) => {
      const y = scope.run(() => EXTREMA[op].run(live(scope, d), axes, keepDims));
      await expectTensor(ctx, y, EXTREMA[op].ref(ref(d), axes, keepDims), dtype, {
        kind: "exact",
        label: `${op}(axes ${JSON.stringify(axes)}, keepDims ${keepDims})`,
      });
    });
  }),
);

const argCases = (["argmax", "argmin"] as const).flatMap((op) =>
  perDtype("reduction", op, NUMERIC, async (ctx, dtype) => {
    const arb = shapeArb({ minRank: 1, maxRank: 4, maxDim: 4 }).chain((shape) =>
      fc.tuple(
        valuesArb(shape, dtype, { min: -3, max: 3 }).map((v) => ({ shape, dtype, values: v })),
        axisArb(shape.length),
      ),
    );
    await property(ctx, arb, async ([d, axis], scope) => {
      const y = scope.run(() => ARG[op](live(scope, d), axis));
      await expectTensor(ctx, y, R.argReduce(op, ref(d), axis), "int32", {
        kind: "exact",
        label: `${op}(axis ${axis})`,
      });
    });
  }),
);

const meanCases = perDtype("reduction", "mean", NUMERIC, async (ctx, dtype) => {
  const out = dtype === "float64" ? "float64" : "float32";
  await property(ctx, reductionArb(dtype, true), async ({ d, axes, keepDims }, scope) => {
    const y = scope.run(() => core.mean(live(scope, d), axes, keepDims));
    const x = ref(d);
    await expectTensor(ctx, y, R.mean(x, axes, keepDims), out, {
      kind: "accumulation",
      scale: R.mean(R.unary("abs", x), axes, keepDims),
      label: `mean(axes ${JSON.stringify(axes)}, keepDims ${keepDims})`,
    });
  });
});

const varianceCases = perDtype("reduction", "variance", FLOATS, async (ctx, dtype) => {
  await property(ctx, reductionArb(dtype, false), async ({ d, axes, keepDims }, scope) => {
    const y = scope.run(() => core.variance(live(scope, d), axes, keepDims));
    const x = ref(d);
    await expectTensor(ctx, y, R.variance(x, axes, keepDims), dtype, {
      kind: "accumulation",
      scale: R.mean(R.binary("mul", x, x), axes, keepDims),
      label: `variance(axes ${JSON.stringify(axes)}, keepDims ${keepDims})`,
    });
  });
});

const normCases = perDtype("reduction", "norm", FLOATS, async (ctx, dtype) => {
  await property(ctx, reductionArb(dtype, true), async ({ d, axes, keepDims }, scope) => {
    const y = scope.run(() => core.norm(live(scope, d), axes, keepDims));
    await expectTensor(ctx, y, R.norm(ref(d), axes, keepDims), dtype, {
      kind: "accumulation",
      label: `norm(axes ${JSON.stringify(axes)}, keepDims ${keepDims})`,
    });
  });
});

// std is compared squared against the variance: near a zero variance the square root turns
// a tiny, legitimate rounding error of the variance into a large one of the std.
const stdCases = perDtype("reduction", "std", FLOATS, async (ctx, dtype) => {
  await property(ctx, reductionArb(dtype, false), async ({ d, axes, keepDims }, scope) => {
    const y: Tensor = scope.run(() => core.std(live(scope, d), axes, keepDims));
    const x = ref(d);
    const expected = R.variance(x, axes, keepDims);
    const label = `std(axes ${JSON.stringify(axes)}, keepDims ${keepDims})`;
    if (y.shape.join() !== expected.shape.join() || y.shape.length !== expected.shape.length || y.dtype !== dtype) {
      throw new Error(`${label}: got ${y.describe()}, expected ${dtype}[${expected.shape}]`);
    }
    const got = Array.from(await y.data(), (v) => v * v);
    const tol = ctx.tolerance("accumulation", dtype);
    expectClose(got, expected.values, {
      ...tol,
      scale: R.mean(R.binary("mul", x, x), axes, keepDims).values,
      label: `${label} squared`,
    });
  });
});

/**
 * Reduction conformance cases: sum (every dtype, empty axes included), max, min, argmax,
 * argmin, and the composites mean, variance, std and norm, over random axes with and without
 * keepDims.
 *
 * @example
 * ```ts
 * REDUCTION_CASES.filter((c) => c.op === "sum").length; // one per dtype
 * ```
 */
export const REDUCTION_CASES: readonly ConformanceCase[] = [
  ...sumCases,
  ...extremumCases,
  ...argCases,
  ...meanCases,
  ...varianceCases,
  ...stdCases,
  ...normCases,
];
