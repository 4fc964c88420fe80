import type { DType, FusedActivation, Tensor } from "@tapegrad/core";
import * as core from "@tapegrad/core";
import fc from "fast-check";
import { axisArb, broadcastShapesArb, shapeArb, type ValueOptions, valuesArb } from "../../arbitraries.js";
import type { TensorDescription } from "../../description.js";
import { type ConformanceCase, expectTensor, live, magnitude, perDtype, property, ref } from "../harness.js";
import * as R from "../reference.js";
import type { ToleranceKind } from "../tolerance.js";
import { FLOATS, NUMERIC } from "./dtypes.js";

const SHAPES = { maxRank: 4, maxDim: 3, allowEmpty: true } as const;

function descArb(shape: readonly number[], dtype: DType, values: ValueOptions = {}): fc.Arbitrary<TensorDescription> {
  return valuesArb(shape, dtype, values).map((v) => ({ shape, dtype, values: v }));
}

interface ElementwiseSpec {
  readonly op: string;
  readonly dtypes: readonly DType[];
  readonly kind: ToleranceKind;
  readonly values?: ValueOptions;
  /** Extra parameter drawn per run (alpha, clip bounds). */
  readonly param?: (dtype: DType) => fc.Arbitrary<readonly number[]>;
  readonly run: (x: Tensor, p: readonly number[]) => Tensor;
  readonly ref: (x: R.RefArray, p: readonly number[]) => R.RefArray;
}

const ELEMENTWISE: readonly ElementwiseSpec[] = [
  {
    op: "sigmoid",
    dtypes: FLOATS,
    kind: "transcendental",
    values: { min: -20, max: 20 },
    run: (x) => core.sigmoid(x),
    ref: (x) => R.sigmoid(x),
  },
  {
    op: "softplus",
    dtypes: FLOATS,
    kind: "transcendental",
    values: { min: -20, max: 20 },
    run: (x) => core.softplus(x),
    ref: (x) => R.softplus(x),
  },
  {
    op: "relu",
    dtypes: NUMERIC,
    kind: "exact",
    run: (x) => core.relu(x),
    ref: (x) => R.relu(x),
  },
  {
    op: "leakyRelu",
    dtypes: FLOATS,
    kind: "arithmetic",
    param: () => fc.tuple(fc.constantFrom(0.2, 0.01, 0.5)),
    run: (x, [alpha]) => core.leakyRelu(x, alpha),
    ref: (x, [alpha]) => R.leakyRelu(x, alpha as number),
  },
  {
    op: "elu",
    dtypes: FLOATS,
    kind: "transcendental",
    param: () => fc.tuple(fc.constantFrom(1, 0.5)),
    run: (x, [alpha]) => core.elu(x, alpha),
    ref: (x, [alpha]) => R.elu(x, alpha as number),
  },
  ...(
    [
      ["logSigmoid", "transcendental", core.logSigmoid, R.logSigmoid],
      ["selu", "transcendental", core.selu, R.selu],
      ["gelu", "transcendental", core.gelu, R.gelu],
      ["silu", "transcendental", core.silu, R.silu],
      ["softsign", "arithmetic", core.softsign, R.softsign],
      ["hardSigmoid", "arithmetic", core.hardSigmoid, R.hardSigmoid],
    ] as const
  ).map(
    ([op, kind, run, reference]): ElementwiseSpec => ({
      op,
      dtypes: FLOATS,
      kind,
      values: { min: -8, max: 8 },
      run: (x) => run(x),
      ref: (x) => reference(x),
    }),
  ),
  {
    op: "relu6",
    dtypes: NUMERIC,
    kind: "exact",
    run: (x) => core.relu6(x),
    ref: (x) => R.relu6(x),
  },
  {
    op: "square",
    dtypes: NUMERIC,
    kind: "arithmetic",
    run: (x) => core.square(x),
    ref: (x) => R.binary("mul", x, x),
  },
  {
    op: "clip",
    dtypes: NUMERIC,
    kind: "exact",
    param: (dtype) =>
      fc
        .tuple(fc.integer({ min: -8, max: 8 }), fc.integer({ min: 0, max: 8 }))
        .map(([lo, w]) => (dtype === "int32" ? [lo, lo + w] : [lo / 2, (lo + w) / 2])),
    run: (x, [lo, hi]) => core.clip(x, lo as number, hi as number),
    ref: (x, [lo, hi]) => R.clip(x, lo as number, hi as number),
  },
];

const elementwiseCases = ELEMENTWISE.flatMap((spec) =>
  perDtype("composites", spec.op, spec.dtypes, async (ctx, dtype) => {
    const arb = fc.tuple(
      shapeArb(SHAPES).chain((s) => descArb(s, dtype, spec.values)),
      spec.param?.(dtype) ?? fc.constant([]),
    );
    await property(ctx, arb, async ([d, p], scope) => {
      const y = scope.run(() => spec.run(live(scope, d), p));
      await expectTensor(ctx, y, spec.ref(ref(d), p), dtype, {
        kind: spec.kind,
        magnitude: magnitude(d),
        label: `${spec.op}(${p.join(", ")})`,
      });
    });
  }),
);

/** A float tensor of rank ≥ 1 without empty dims, and an axis of it. */
function axisCaseArb(dtype: DType): fc.Arbitrary<[TensorDescription, number]> {
  return shapeArb({ minRank: 1, maxRank: 4, maxDim: 4 }).chain((s) =>
    fc.tuple(descArb(s, dtype, { min: -10, max: 10 }), axisArb(s.length)),
  );
}

const softmaxCases = perDtype("composites", "softmax", FLOATS, async (ctx, dtype) => {
  await property(ctx, axisCaseArb(dtype), async ([d, axis], scope) => {
    const y = scope.run(() => core.softmax(live(scope, d), axis));
    await expectTensor(ctx, y, R.softmax(ref(d), axis), dtype, {
      kind: "transcendental",
      label: `softmax(axis ${axis})`,
    });
  });
});

const logSoftmaxCases = perDtype("composites", "logSoftmax", FLOATS, async (ctx, dtype) => {
  await property(ctx, axisCaseArb(dtype), async ([d, axis], scope) => {
    const y = scope.run(() => core.logSoftmax(live(scope, d), axis));
    await expectTensor(ctx, y, R.logSoftmax(ref(d), axis), dtype, {
      kind: "transcendental",
      magnitude: magnitude(d),
      label: `logSoftmax(axis ${axis})`,
    });
  });
});

const logSumExpCases = perDtype("composites", "logSumExp", FLOATS, async (ctx, dtype) => {
  const arb = shapeArb({ minRank: 1, maxRank: 4, maxDim: 4 }).chain((s) =>
    fc.tuple(
      descArb(s, dtype, { min: -10, max: 10 }),
      fc.oneof(
        axisArb(s.length) as fc.Arbitrary<number | number[]>,
        fc.shuffledSubarray(
          s.map((_, i) => i),
          { minLength: 1 },
        ),
      ),
      fc.boolean(),
    ),
  );
  await property(ctx, arb, async ([d, axes, keepDims], scope) => {
    const y = scope.run(() => core.logSumExp(live(scope, d), axes, keepDims));
    await expectTensor(ctx, y, R.logSumExp(ref(d), axes, keepDims), dtype, {
      kind: "transcendental",
      magnitude: magnitude(d),
      label: `logSumExp(axes ${JSON.stringify(axes)}, keepDims ${keepDims})`,
    });
  });
});

const bceCases = perDtype("composites", "sigmoidCrossEntropyWithLogits", FLOATS, async (ctx, dtype) => {
  const arb = broadcastShapesArb(2, SHAPES).chain(([sx, sz]) =>
    fc.tuple(descArb(sx as number[], dtype, { min: -20, max: 20 }), descArb(sz as number[], dtype, { min: 0, max: 1 })),
  );
  await property(ctx, arb, async ([dx, dz], scope) => {
    const y = scope.run(() => core.sigmoidCrossEntropyWithLogits(live(scope, dx), live(scope, dz)));
    await expectTensor(ctx, y, R.sigmoidCrossEntropyWithLogits(ref(dx), ref(dz)), dtype, {
      kind: "transcendental",
      magnitude: magnitude(dx),
      label: "sigmoidCrossEntropyWithLogits",
    });
  });
});

const ACTIVATIONS: readonly FusedActivation[] = ["linear", "relu", "sigmoid", "tanh"];

/** dense operands: x [batch, in], w [in, out], bias [out] or null. */
export function denseArb(dtype: DType): fc.Arbitrary<[TensorDescription, TensorDescription, TensorDescription | null]> {
  const dim = fc.oneof(
    { arbitrary: fc.integer({ min: 1, max: 6 }), weight: 6 },
    { arbitrary: fc.constant(0), weight: 1 },
  );
  return fc
    .tuple(dim, dim, dim, fc.boolean())
    .chain(([batch, inputs, outputs, withBias]) =>
      fc.tuple(
        descArb([batch, inputs], dtype, { min: -3, max: 3 }),
        descArb([inputs, outputs], dtype, { min: -3, max: 3 }),
        withBias ? descArb([outputs], dtype, { min: -3, max: 3 }) : fc.constant(null),
      ),
    );
}

const denseCases = ACTIVATIONS.flatMap((activation) =>
  perDtype(
    "composites",
    "dense",
    FLOATS,
    async (ctx, dtype) => {
      await property(ctx, denseArb(dtype), async ([dx, dw, db], scope) => {
        const y = scope.run(() => core.dense(live(scope, dx), live(scope, dw), db && live(scope, db), activation));
        const x = ref(dx);
        const w = ref(dw);
        const b = db && ref(db);
        const scale = R.dense(R.unary("abs", x), R.unary("abs", w), b && R.unary("abs", b), "linear");
        await expectTensor(ctx, y, R.dense(x, w, b, activation), dtype, {
          kind: activation === "sigmoid" || activation === "tanh" ? "transcendental" : "accumulation",
          scale,
          label: `dense(${activation}${db ? "" : ", no bias"})`,
        });
      });
    },
    (dtype) => `dense ${dtype} ${activation}`,
  ),
);

/**
 * Composite conformance cases: the activations (sigmoid, softplus, relu, leakyRelu, elu,
 * logSigmoid, selu, gelu, silu, softsign, relu6, hardSigmoid), square and clip, softmax / logSoftmax / logSumExp over random axes, sigmoid cross-entropy
 * with broadcast labels, and dense with every activation, with and without bias.
 *
 * @example
 * ```ts
 * COMPOSITE_CASES.filter((c) => c.op === "dense").length; // 4 activations × 2 float dtypes
 * ```
 */
export const COMPOSITE_CASES: readonly ConformanceCase[] = [
  ...elementwiseCases,
  ...softmaxCases,
  ...logSoftmaxCases,
  ...logSumExpCases,
  ...bceCases,
  ...denseCases,
];
