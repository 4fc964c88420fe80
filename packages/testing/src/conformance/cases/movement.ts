import type { DType } from "@tapegrad/core";
import * as core from "@tapegrad/core";
import fc from "fast-check";
import {
  axisArb,
  broadcastPairArb,
  permutationArb,
  type ShapeOptions,
  shapeArb,
  valuesArb,
} from "../../arbitraries.js";
import type { TensorDescription } from "../../description.js";
import { type ConformanceCase, expectTensor, live, perDtype, property, ref } from "../harness.js";
import * as R from "../reference.js";
import { ALL, NUMERIC } from "./dtypes.js";

const SHAPES = { maxRank: 4, maxDim: 4, allowEmpty: true } as const;

function descArb(shape: readonly number[], dtype: DType): fc.Arbitrary<TensorDescription> {
  return valuesArb(shape, dtype).map((values) => ({ shape, dtype, values }));
}

/** Half the draws have rank ≥ 2, where strides and permutations get interesting. */
function tensorOf(dtype: DType, options: ShapeOptions = SHAPES): fc.Arbitrary<TensorDescription> {
  const minRank = Math.min(2, options.maxRank ?? 4);
  return fc.oneof(shapeArb(options), shapeArb({ ...options, minRank })).chain((s) => descArb(s, dtype));
}

/** A value every dtype stores exactly: the pad constant. */
function padValue(dtype: DType): number {
  return dtype === "bool" ? 1 : dtype === "int32" ? 7 : 0.5;
}

/** Shapes of the same size: reversed, flattened, with 1s inserted, or with one dim inferred (-1). */
function reshapeTargets(shape: readonly number[]): number[][] {
  const n = R.size(shape);
  const targets = [[...shape].reverse(), [n], [1, ...shape, 1]];
  if (n > 0) {
    targets.push([-1]);
    if (shape.length > 0) targets.push(shape.map((d, i) => (i === 0 ? -1 : d)));
  }
  return targets;
}

const reshapeCases = perDtype("movement", "reshape", ALL, async (ctx, dtype) => {
  const arb = tensorOf(dtype).chain((d) => fc.tuple(fc.constant(d), fc.constantFrom(...reshapeTargets(d.shape))));
  await property(ctx, arb, async ([d, target], scope) => {
    const y = scope.run(() => core.reshape(live(scope, d), target));
    const known = R.size(target.filter((v) => v !== -1));
    const shape = target.map((v) => (v === -1 ? R.size(d.shape) / known : v));
    await expectTensor(ctx, y, R.array(shape, d.values), dtype, { kind: "exact", label: `reshape to [${target}]` });
  });
});

const transposeCases = perDtype("movement", "transpose", ALL, async (ctx, dtype) => {
  const arb = tensorOf(dtype).chain((d) =>
    fc.tuple(fc.constant(d), fc.option(permutationArb(d.shape.length), { nil: undefined })),
  );
  await property(ctx, arb, async ([d, perm], scope) => {
    const y = scope.run(() => core.transpose(live(scope, d), perm));
    const p = perm ?? d.shape.map((_, i) => d.shape.length - 1 - i);
    await expectTensor(ctx, y, R.transpose(ref(d), p), dtype, { kind: "exact", label: `transpose [${p}]` });
  });
});

const broadcastToCases = perDtype("movement", "broadcastTo", ALL, async (ctx, dtype) => {
  const arb = broadcastPairArb(SHAPES).chain(([a, b]) =>
    fc.tuple(descArb(a, dtype), fc.constant(R.broadcastShape(a, b))),
  );
  await property(ctx, arb, async ([d, shape], scope) => {
    const y = scope.run(() => core.broadcastTo(live(scope, d), shape));
    await expectTensor(ctx, y, R.broadcastTo(ref(d), shape), dtype, { kind: "exact", label: `broadcastTo [${shape}]` });
  });
});

const sliceCases = perDtype("movement", "slice", ALL, async (ctx, dtype) => {
  const arb = tensorOf(dtype).chain((d) => {
    const boxes = d.shape.map((dim) =>
      fc
        .noBias(fc.integer({ min: 0, max: dim }))
        .chain((b) => fc.tuple(fc.constant(b), fc.oneof(fc.integer({ min: 0, max: dim - b }), fc.constant(-1)))),
    );
    const given = fc.oneof(
      { arbitrary: fc.constant(d.shape.length), weight: 3 },
      { arbitrary: fc.nat({ max: d.shape.length }), weight: 1 },
    );
    return fc.tuple(fc.constant(d), fc.tuple(...boxes), given);
  });
  await property(ctx, arb, async ([d, box, given], scope) => {
    // Only the first `given` axes are specified; the rest are taken whole.
    const begin = box.slice(0, given).map(([b]) => b);
    const size = box.slice(0, given).map(([, s]) => s);
    const y = scope.run(() => core.slice(live(scope, d), begin, size));
    const fullBegin = d.shape.map((_, i) => begin[i] ?? 0);
    const fullSize = d.shape.map((dim, i) => {
      const s = size[i] ?? -1;
      return s === -1 ? dim - (fullBegin[i] as number) : s;
    });
    await expectTensor(ctx, y, R.slice(ref(d), fullBegin, fullSize), dtype, {
      kind: "exact",
      label: `slice begin [${begin}] size [${size}]`,
    });
  });
});

const padCases = perDtype("movement", "pad", ALL, async (ctx, dtype) => {
  const arb = tensorOf(dtype, { maxRank: 3, maxDim: 3, allowEmpty: true }).chain((d) =>
    fc.tuple(
      fc.constant(d),
      fc.tuple(...d.shape.map(() => fc.tuple(fc.nat({ max: 2 }), fc.nat({ max: 2 })))),
      fc.boolean(),
    ),
  );
  await property(ctx, arb, async ([d, paddings, withValue], scope) => {
    const value = withValue ? padValue(dtype) : 0;
    const y = scope.run(() =>
      withValue ? core.pad(live(scope, d), paddings, value) : core.pad(live(scope, d), paddings),
    );
    await expectTensor(ctx, y, R.pad(ref(d), paddings, value), dtype, {
      kind: "exact",
      label: `pad ${JSON.stringify(paddings)} with ${value}`,
    });
  });
});

const concatCases = perDtype("movement", "concat", ALL, async (ctx, dtype) => {
  const arb = shapeArb({ minRank: 1, maxRank: 4, maxDim: 3, allowEmpty: true }).chain((shape) =>
    fc
      .tuple(axisArb(shape.length), fc.array(fc.nat({ max: 3 }), { minLength: 1, maxLength: 4 }))
      .chain(([axis, sizes]) => {
        const a = axis < 0 ? axis + shape.length : axis;
        const parts = sizes.map((s) =>
          descArb(
            shape.map((d, i) => (i === a ? s : d)),
            dtype,
          ),
        );
        return fc.tuple(fc.constant(axis), fc.tuple(...parts));
      }),
  );
  await property(ctx, arb, async ([axis, parts], scope) => {
    const y = scope.run(() =>
      core.concat(
        parts.map((p) => live(scope, p)),
        axis,
      ),
    );
    await expectTensor(ctx, y, R.concat(parts.map(ref), axis), dtype, {
      kind: "exact",
      label: `concat of ${parts.length} on axis ${axis}`,
    });
  });
});

/** A tensor with a non-empty `axis`, and int32 indices into it of any small shape. */
function gatherArb(dtype: DType) {
  return shapeArb({ minRank: 1, maxRank: 3, maxDim: 4, allowEmpty: true }).chain((shape) =>
    axisArb(shape.length).chain((axis) => {
      const a = axis < 0 ? axis + shape.length : axis;
      const xs = shape.map((d, i) => (i === a ? Math.max(d, 1) : d));
      const limit = xs[a] as number;
      const indexShape = shapeArb({ maxRank: 2, maxDim: 4, allowEmpty: true });
      return fc.tuple(
        descArb(xs, dtype),
        indexShape.chain((is) =>
          valuesArb(is, "int32", { min: 0, max: limit - 1 }).map((values) => ({
            shape: is,
            dtype: "int32" as DType,
            values,
          })),
        ),
        fc.constant(axis),
      );
    }),
  );
}

const gatherCases = perDtype("movement", "gather", ALL, async (ctx, dtype) => {
  await property(ctx, gatherArb(dtype), async ([d, indices, axis], scope) => {
    const y = scope.run(() => core.gather(live(scope, d), live(scope, indices), axis));
    await expectTensor(ctx, y, R.gather(ref(d), ref(indices), axis), dtype, {
      kind: "exact",
      label: `gather on axis ${axis} at [${indices.shape}] indices`,
    });
  });
});

const scatterAddCases = perDtype("movement", "scatterAdd", NUMERIC, async (ctx, dtype) => {
  // Reuse gather's generator: x's shape is the output shape; updates take gather's shape.
  const arb = gatherArb(dtype).chain(([d, indices, axis]) => {
    const a = axis < 0 ? axis + d.shape.length : axis;
    const us = [...d.shape.slice(0, a), ...indices.shape, ...d.shape.slice(a + 1)];
    return fc.tuple(descArb(us, dtype), fc.constant(indices), fc.constant(axis), fc.constant(d.shape));
  });
  await property(ctx, arb, async ([updates, indices, axis, shape], scope) => {
    const y = scope.run(() => core.scatterAdd(live(scope, updates), live(scope, indices), axis, shape));
    const u = ref(updates);
    await expectTensor(ctx, y, R.scatterAdd(u, ref(indices), axis, shape), dtype, {
      kind: "accumulation",
      scale: R.scatterAdd(R.unary("abs", u), ref(indices), axis, shape),
      label: `scatterAdd on axis ${axis} into [${shape}]`,
    });
  });
});

/**
 * Movement conformance cases, per dtype: reshape (with -1), transpose (random and default
 * permutations), broadcastTo, slice (partial begin/size, -1 sizes), pad (default and given
 * value), concat (1–4 parts, empty parts), gather (indices of rank 0–2) and scatterAdd
 * (repeated indices accumulate).
 *
 * @example
 * ```ts
 * MOVEMENT_CASES.filter((c) => c.op === "gather").map((c) => c.title); // ["gather bool", ...]
 * ```
 */
export const MOVEMENT_CASES: readonly ConformanceCase[] = [
  ...reshapeCases,
  ...transposeCases,
  ...broadcastToCases,
  ...sliceCases,
  ...padCases,
  ...concatCases,
  ...gatherCases,
  ...scatterAddCases,
];
