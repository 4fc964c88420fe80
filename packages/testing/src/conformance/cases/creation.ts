import type { DType } from "@tapegrad/core";
import * as core from "@tapegrad/core";
import fc from "fast-check";
import { shapeArb, valuesArb } from "../../arbitraries.js";
import { expectClose } from "../../close.js";
import { type ConformanceCase, expectTensor, live, perDtype, property, ref } from "../harness.js";
import * as R from "../reference.js";
import { ALL, FLOATS, NUMERIC } from "./dtypes.js";

const SHAPES = { maxRank: 4, maxDim: 4, allowEmpty: true } as const;

const roundTripCases = perDtype(
  "creation",
  "tensor",
  ALL,
  async (ctx, dtype) => {
    const arb = shapeArb(SHAPES).chain((shape) => valuesArb(shape, dtype).map((values) => ({ shape, dtype, values })));
    await property(ctx, arb, async (d, scope) => {
      await expectTensor(ctx, live(scope, d), ref(d), dtype, { kind: "exact", label: "write then read" });
    });
  },
  (dtype) => `tensor ${dtype}: write then read back`,
);

const fullCases = perDtype("creation", "full", ALL, async (ctx, dtype) => {
  const arb = fc.tuple(
    shapeArb(SHAPES),
    valuesArb([], dtype),
    fc.constantFrom("full", "zeros", "ones") as fc.Arbitrary<"full" | "zeros" | "ones">,
  );
  await property(ctx, arb, async ([shape, [value], kind], scope) => {
    const v = kind === "zeros" ? 0 : kind === "ones" ? 1 : (value as number);
    const y = scope.run(() =>
      kind === "full" ? core.full(shape, v, dtype) : (kind === "zeros" ? core.zeros : core.ones)(shape, dtype),
    );
    await expectTensor(ctx, y, R.array(shape, new Array<number>(R.size(shape)).fill(v)), dtype, {
      kind: "exact",
      label: `${kind}(${v})`,
    });
  });
});

const arangeCases = perDtype("creation", "arange", NUMERIC, async (ctx, dtype) => {
  const integral = dtype === "int32";
  const num = integral ? fc.integer({ min: -20, max: 20 }) : fc.integer({ min: -80, max: 80 }).map((v) => v / 4);
  const step = integral
    ? fc.integer({ min: -3, max: 3 }).filter((s) => s !== 0)
    : fc.constantFrom(0.25, -0.5, 1, 0.1, -1.5, 3);
  await property(ctx, fc.tuple(num, num, step), async ([start, stop, st], scope) => {
    const y = scope.run(() => core.arange(start, stop, st, dtype));
    const n = Math.max(0, Math.ceil((stop - start) / st));
    const values = Array.from({ length: n }, (_, i) => R.storeAs(start + i * st, dtype));
    await expectTensor(ctx, y, R.array([n], values), dtype, {
      kind: "arithmetic",
      magnitude: Math.max(Math.abs(start), Math.abs(stop)),
      label: `arange(${start}, ${stop}, ${st})`,
    });
  });
});

const linspaceCases = perDtype("creation", "linspace", FLOATS, async (ctx, dtype) => {
  const arb = fc.tuple(fc.integer({ min: -10, max: 10 }), fc.integer({ min: -10, max: 10 }), fc.nat({ max: 9 }));
  await property(ctx, arb, async ([start, stop, num], scope) => {
    const y = scope.run(() => core.linspace(start, stop, num, dtype));
    const step = num > 1 ? (stop - start) / (num - 1) : 0;
    const values = Array.from({ length: num }, (_, i) => (i === num - 1 && num > 1 ? stop : start + i * step));
    await expectTensor(ctx, y, R.array([num], values), dtype, {
      kind: "arithmetic",
      magnitude: 10,
      label: `linspace(${start}, ${stop}, ${num})`,
    });
  });
});

const eyeCases = perDtype("creation", "eye", ALL, async (ctx, dtype) => {
  await property(ctx, fc.tuple(fc.nat({ max: 5 }), fc.nat({ max: 5 })), async ([n, m], scope) => {
    const y = scope.run(() => core.eye(n, m, dtype));
    const values = Array.from({ length: n * m }, (_, i) => (Math.floor(i / m) === i % m ? 1 : 0));
    await expectTensor(ctx, y, R.array([n, m], values), dtype, { kind: "exact", label: `eye(${n}, ${m})` });
  });
});

const oneHotCases = perDtype("creation", "oneHot", FLOATS, async (ctx, dtype) => {
  if (!ctx.backend.capabilities.syncRead) ctx.skip("oneHot reads its indices synchronously");
  const arb = fc
    .tuple(shapeArb({ maxRank: 2, maxDim: 4, allowEmpty: true }), fc.integer({ min: 1, max: 5 }))
    .chain(([shape, depth]) =>
      fc.tuple(
        valuesArb(shape, "int32", { min: 0, max: depth - 1 }).map((values) => ({
          shape,
          dtype: "int32" as DType,
          values,
        })),
        fc.constant(depth),
      ),
    );
  await property(ctx, arb, async ([indices, depth], scope) => {
    const y = scope.run(() => core.oneHot(live(scope, indices), depth, dtype));
    const values = indices.values.flatMap((k) => Array.from({ length: depth }, (_, j) => (j === k ? 1 : 0)));
    await expectTensor(ctx, y, R.array([...indices.shape, depth], values), dtype, {
      kind: "exact",
      label: `oneHot(depth ${depth})`,
    });
  });
});

const randomCases: ConformanceCase[] = FLOATS.flatMap((dtype) =>
  (["randomUniform", "randomNormal"] as const).map((op) => ({
    group: "creation",
    op,
    title: `${op} ${dtype}: seeded, reproducible, in range`,
    dtypes: [dtype],
    run: async (ctx) => {
      await property(ctx, fc.tuple(shapeArb(SHAPES), fc.nat()), async ([shape, seed], scope) => {
        const [a, b] = scope.run(() =>
          op === "randomUniform"
            ? [
                core.randomUniform(shape, { seed, dtype, min: -2, max: 3 }),
                core.randomUniform(shape, { seed, dtype, min: -2, max: 3 }),
              ]
            : [
                core.randomNormal(shape, { seed, dtype, mean: 1, std: 2 }),
                core.randomNormal(shape, { seed, dtype, mean: 1, std: 2 }),
              ],
        );
        const va = Array.from(await a.data());
        expectClose(await b.data(), va, { rtol: 0, atol: 0, label: `${op}: same seed, different values` });
        const bad = va.findIndex((v) => (op === "randomUniform" ? !(v >= -2 && v < 3) : !Number.isFinite(v)));
        if (bad >= 0) throw new Error(`${op}: element ${bad} = ${va[bad]} is out of range`);
        if (a.dtype !== dtype || a.shape.join() !== shape.join()) throw new Error(`${op}: got ${a.describe()}`);
      });
    },
  })),
);

/**
 * Creation conformance cases: upload and read back every dtype, full / zeros / ones (the
 * backend's fill kernel), arange (the backend's arange kernel; integer and fractional,
 * negative steps, empty ranges), linspace, eye, oneHot, and the seeded random generators.
 *
 * @example
 * ```ts
 * CREATION_CASES.some((c) => c.op === "arange"); // true
 * ```
 */
export const CREATION_CASES: readonly ConformanceCase[] = [
  ...roundTripCases,
  ...fullCases,
  ...arangeCases,
  ...linspaceCases,
  ...eyeCases,
  ...oneHotCases,
  ...randomCases,
];
