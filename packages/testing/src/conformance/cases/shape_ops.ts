import type { DType, Tensor } from "@tapegrad/core";
import * as core from "@tapegrad/core";
import fc from "fast-check";
import { axisArb, shapeArb, valuesArb } from "../../arbitraries.js";
import type { TensorDescription } from "../../description.js";
import { type ConformanceCase, expectTensor, live, perDtype, property, ref } from "../harness.js";
import * as R from "../reference.js";
import { ALL, NUMERIC } from "./dtypes.js";

const SHAPES = { maxRank: 4, maxDim: 3, allowEmpty: true } as const;

function tensorOf(dtype: DType, minRank = 0): fc.Arbitrary<TensorDescription> {
  return shapeArb({ ...SHAPES, minRank }).chain((shape) =>
    valuesArb(shape, dtype).map((values) => ({ shape, dtype, values })),
  );
}

const expandDimsCases = perDtype("shape ops", "expandDims", ALL, async (ctx, dtype) => {
  const arb = tensorOf(dtype).chain((d) => fc.tuple(fc.constant(d), axisArb(d.shape.length + 1)));
  await property(ctx, arb, async ([d, axis], scope) => {
    const y = scope.run(() => core.expandDims(live(scope, d), axis));
    const a = axis < 0 ? axis + d.shape.length + 1 : axis;
    const shape = [...d.shape.slice(0, a), 1, ...d.shape.slice(a)];
    await expectTensor(ctx, y, R.array(shape, d.values), dtype, { kind: "exact", label: `expandDims(${axis})` });
  });
});

const squeezeCases = perDtype("shape ops", "squeeze", ALL, async (ctx, dtype) => {
  const arb = tensorOf(dtype).chain((d) => {
    const ones = d.shape.flatMap((s, i) => (s === 1 ? [i] : []));
    return fc.tuple(fc.constant(d), fc.option(fc.subarray(ones), { nil: undefined }));
  });
  await property(ctx, arb, async ([d, axes], scope) => {
    const y = scope.run(() => core.squeeze(live(scope, d), axes));
    const drop = axes ?? d.shape.flatMap((s, i) => (s === 1 ? [i] : []));
    const shape = d.shape.filter((_, i) => !drop.includes(i));
    await expectTensor(ctx, y, R.array(shape, d.values), dtype, {
      kind: "exact",
      label: `squeeze(${JSON.stringify(axes)})`,
    });
  });
});

const flattenCases = perDtype("shape ops", "flatten", ALL, async (ctx, dtype) => {
  await property(ctx, tensorOf(dtype), async (d, scope) => {
    const y = scope.run(() => core.flatten(live(scope, d)));
    const first = d.shape[0];
    const shape = first === undefined ? [1] : [first, R.size(d.shape.slice(1))];
    await expectTensor(ctx, y, R.array(shape, d.values), dtype, { kind: "exact", label: "flatten" });
  });
});

const stackCases = perDtype("shape ops", "stack", ALL, async (ctx, dtype) => {
  const arb = shapeArb(SHAPES).chain((shape) =>
    fc.tuple(
      fc.array(
        valuesArb(shape, dtype).map((values) => ({ shape, dtype, values })),
        { minLength: 1, maxLength: 3 },
      ),
      axisArb(shape.length + 1),
    ),
  );
  await property(ctx, arb, async ([parts, axis], scope) => {
    const y = scope.run(() =>
      core.stack(
        parts.map((p) => live(scope, p)),
        axis,
      ),
    );
    const a = axis < 0 ? axis + (parts[0] as TensorDescription).shape.length + 1 : axis;
    const expanded = parts.map((p) => R.array([...p.shape.slice(0, a), 1, ...p.shape.slice(a)], p.values));
    await expectTensor(ctx, y, R.concat(expanded, a), dtype, {
      kind: "exact",
      label: `stack of ${parts.length} on axis ${axis}`,
    });
  });
});

const splitCases = perDtype("shape ops", "split", ALL, async (ctx, dtype) => {
  const arb = tensorOf(dtype, 1).chain((d) =>
    axisArb(d.shape.length).chain((axis) => {
      const a = axis < 0 ? axis + d.shape.length : axis;
      const dim = d.shape[a] as number;
      const divisors = Array.from({ length: dim }, (_, i) => i + 1).filter((k) => dim % k === 0);
      const sizes: fc.Arbitrary<number | number[]> =
        divisors.length > 0 ? fc.constantFrom(...divisors) : fc.constant([0] as number[]);
      const cuts = fc.array(fc.nat({ max: dim }), { maxLength: 3 }).map((points) => {
        const sorted = [0, ...points.sort((x, y) => x - y), dim];
        return sorted.slice(1).map((p, i) => p - (sorted[i] as number));
      });
      return fc.tuple(fc.constant(d), fc.constant(axis), fc.oneof(sizes, cuts));
    }),
  );
  await property(ctx, arb, async ([d, axis, sections], scope) => {
    const ys: Tensor[] = scope.run(() => core.split(live(scope, d), sections, axis));
    const a = axis < 0 ? axis + d.shape.length : axis;
    const dim = d.shape[a] as number;
    const sizes = typeof sections === "number" ? Array.from({ length: sections }, () => dim / sections) : sections;
    if (ys.length !== sizes.length) throw new Error(`split: got ${ys.length} parts, expected ${sizes.length}`);
    let offset = 0;
    for (const [i, y] of ys.entries()) {
      const size = sizes[i] as number;
      const begin = d.shape.map((_, k) => (k === a ? offset : 0));
      const extent = d.shape.map((s, k) => (k === a ? size : s));
      offset += size;
      await expectTensor(ctx, y, R.slice(ref(d), begin, extent), dtype, {
        kind: "exact",
        label: `split(${JSON.stringify(sections)}, axis ${axis}) part ${i}`,
      });
    }
  });
});

const tileCases = perDtype("shape ops", "tile", ALL, async (ctx, dtype) => {
  const arb = shapeArb({ maxRank: 3, maxDim: 3, allowEmpty: true }).chain((shape) =>
    fc.tuple(
      valuesArb(shape, dtype).map((values) => ({ shape, dtype, values })),
      fc.array(fc.nat({ max: 3 }), { maxLength: 4 }),
    ),
  );
  await property(ctx, arb, async ([d, reps], scope) => {
    const y = scope.run(() => core.tile(live(scope, d), reps));
    await expectTensor(ctx, y, R.tile(ref(d), reps), dtype, { kind: "exact", label: `tile([${reps}])` });
  });
});

const unstackCases = perDtype("shape ops", "unstack", ALL, async (ctx, dtype) => {
  const arb = tensorOf(dtype, 1).chain((d) => fc.tuple(fc.constant(d), axisArb(d.shape.length)));
  await property(ctx, arb, async ([d, axis], scope) => {
    const ys: Tensor[] = scope.run(() => core.unstack(live(scope, d), axis));
    const a = axis < 0 ? axis + d.shape.length : axis;
    const n = d.shape[a] as number;
    if (ys.length !== n) throw new Error(`unstack: got ${ys.length} parts, expected ${n}`);
    const rest = d.shape.filter((_, i) => i !== a);
    for (const [k, y] of ys.entries()) {
      const begin = d.shape.map((_, i) => (i === a ? k : 0));
      const extent = d.shape.map((s, i) => (i === a ? 1 : s));
      const part = R.slice(ref(d), begin, extent);
      await expectTensor(ctx, y, R.array(rest, part.values), dtype, {
        kind: "exact",
        label: `unstack(axis ${axis}) part ${k}`,
      });
    }
  });
});

const cloneCases = perDtype("shape ops", "clone", ALL, async (ctx, dtype) => {
  await property(ctx, tensorOf(dtype), async (d, scope) => {
    const x = live(scope, d);
    const y = scope.run(() => core.clone(x));
    x.dispose();
    await expectTensor(ctx, y, ref(d), dtype, { kind: "exact", label: "clone (source disposed)" });
  });
});

/** Floats with NaN and ±Infinity mixed in. */
function specialArb(dtype: DType): fc.Arbitrary<TensorDescription> {
  const value =
    dtype === "int32"
      ? fc.integer({ min: -5, max: 5 })
      : fc.oneof(
          valuesArb([], dtype).map((v) => v[0] as number),
          fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY),
        );
  return shapeArb(SHAPES).chain((shape) =>
    fc.array(value, { minLength: R.size(shape), maxLength: R.size(shape) }).map((values) => ({ shape, dtype, values })),
  );
}

const predicateCases = (["isNaN", "isFinite"] as const).flatMap((op) =>
  perDtype("shape ops", op, NUMERIC, async (ctx, dtype) => {
    await property(ctx, specialArb(dtype), async (d, scope) => {
      const y = scope.run(() => (op === "isNaN" ? core.isNaN : core.isFinite)(live(scope, d)));
      const f = op === "isNaN" ? (v: number) => (Number.isNaN(v) ? 1 : 0) : (v: number) => (Number.isFinite(v) ? 1 : 0);
      await expectTensor(ctx, y, R.map(ref(d), f), "bool", { kind: "exact", label: op });
    });
  }),
);

/**
 * Conformance cases of the view-like composites (expandDims, squeeze, flatten, stack, split,
 * clone, tile, unstack) per dtype, and of isNaN / isFinite on values mixed with NaN and ±Infinity.
 *
 * @example
 * ```ts
 * SHAPE_OP_CASES.map((c) => c.op); // ["expandDims", ..., "isFinite"]
 * ```
 */
export const SHAPE_OP_CASES: readonly ConformanceCase[] = [
  ...expandDimsCases,
  ...squeezeCases,
  ...flattenCases,
  ...stackCases,
  ...splitCases,
  ...cloneCases,
  ...tileCases,
  ...unstackCases,
  ...predicateCases,
];
