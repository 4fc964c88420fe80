import type { DType, Tensor } from "@tapegrad/core";
import * as core from "@tapegrad/core";
import fc from "fast-check";
import { broadcastShapesArb, shapeArb, type ValueOptions, valuesArb } from "../../arbitraries.js";
import type { TensorDescription } from "../../description.js";
import { type ConformanceCase, expectTensor, live, magnitude, perDtype, property, ref } from "../harness.js";
import * as R from "../reference.js";
import type { ToleranceKind } from "../tolerance.js";
import { ALL, FLOATS, NUMERIC, promote } from "./dtypes.js";

const SHAPES = { maxRank: 4, maxDim: 3, allowEmpty: true } as const;

/** A description of one shape and dtype with generated values. */
function descArb(shape: readonly number[], dtype: DType, values: ValueOptions = {}): fc.Arbitrary<TensorDescription> {
  return valuesArb(shape, dtype, values).map((v) => ({ shape, dtype, values: v }));
}

// Core's public op functions by kernel name.
const UNARY_FNS: Readonly<Record<core.UnaryOp, (x: Tensor) => Tensor>> = {
  neg: core.neg,
  abs: core.abs,
  sign: core.sign,
  floor: core.floor,
  ceil: core.ceil,
  round: core.round,
  exp: core.exp,
  log: core.log,
  log1p: core.log1p,
  sqrt: core.sqrt,
  sin: core.sin,
  cos: core.cos,
  tanh: core.tanh,
  reciprocal: core.reciprocal,
  logicalNot: core.logicalNot,
};
const BINARY_FNS: Readonly<Record<core.BinaryOp, (a: Tensor | number, b: Tensor | number) => Tensor>> = {
  add: core.add,
  sub: core.sub,
  mul: core.mul,
  maximum: core.maximum,
  minimum: core.minimum,
  div: core.div,
  pow: core.pow,
  equal: core.equal,
  notEqual: core.notEqual,
  less: core.less,
  lessEqual: core.lessEqual,
  greater: core.greater,
  greaterEqual: core.greaterEqual,
  logicalAnd: core.logicalAnd,
  logicalOr: core.logicalOr,
};

interface UnarySpec {
  readonly op: core.UnaryOp;
  readonly dtypes: readonly DType[];
  readonly kind: ToleranceKind;
  readonly values?: ValueOptions;
}

const UNARY: readonly UnarySpec[] = [
  { op: "neg", dtypes: NUMERIC, kind: "arithmetic" },
  { op: "abs", dtypes: NUMERIC, kind: "arithmetic" },
  { op: "sign", dtypes: NUMERIC, kind: "exact" },
  { op: "floor", dtypes: NUMERIC, kind: "exact" },
  { op: "ceil", dtypes: NUMERIC, kind: "exact" },
  { op: "round", dtypes: NUMERIC, kind: "exact" },
  { op: "exp", dtypes: FLOATS, kind: "transcendental", values: { min: -5, max: 5 } },
  { op: "log", dtypes: FLOATS, kind: "transcendental", values: { min: 0.01, max: 20 } },
  { op: "log1p", dtypes: FLOATS, kind: "transcendental", values: { min: -0.9, max: 10 } },
  { op: "sqrt", dtypes: FLOATS, kind: "transcendental", values: { min: 0, max: 20 } },
  { op: "sin", dtypes: FLOATS, kind: "transcendental", values: { min: -6, max: 6 } },
  { op: "cos", dtypes: FLOATS, kind: "transcendental", values: { min: -6, max: 6 } },
  { op: "tanh", dtypes: FLOATS, kind: "transcendental", values: { min: -5, max: 5 } },
  { op: "reciprocal", dtypes: FLOATS, kind: "arithmetic", values: { awayFrom: [0], margin: 0.05 } },
  { op: "logicalNot", dtypes: ["bool"], kind: "exact" },
];

const unaryCases = UNARY.flatMap((spec) =>
  perDtype("unary", spec.op, spec.dtypes, async (ctx, dtype) => {
    const fn = UNARY_FNS[spec.op];
    const arb = shapeArb(SHAPES).chain((s) => descArb(s, dtype, spec.values));
    await property(ctx, arb, async (d, scope) => {
      const y = scope.run(() => fn(live(scope, d)));
      await expectTensor(ctx, y, R.unary(spec.op, ref(d)), spec.op === "logicalNot" ? "bool" : dtype, {
        kind: spec.kind,
        magnitude: magnitude(d),
        label: spec.op,
      });
    });
  }),
);

type Family = "arithmetic" | "division" | "comparison" | "logical";

interface BinarySpec {
  readonly op: core.BinaryOp;
  readonly family: Family;
  readonly dtypes: readonly DType[];
  readonly kind: ToleranceKind;
  readonly a?: (dtype: DType) => ValueOptions;
  readonly b?: (dtype: DType) => ValueOptions;
}

const arith = (op: core.BinaryOp, kind: ToleranceKind = "arithmetic"): BinarySpec => ({
  op,
  family: "arithmetic",
  dtypes: ALL,
  kind,
});
const compare = (op: core.BinaryOp): BinarySpec => ({ op, family: "comparison", dtypes: ALL, kind: "exact" });

const BINARY: readonly BinarySpec[] = [
  arith("add"),
  arith("sub"),
  arith("mul"),
  arith("maximum", "exact"),
  arith("minimum", "exact"),
  {
    op: "div",
    family: "division",
    dtypes: NUMERIC,
    kind: "arithmetic",
    b: (dtype) => ({ awayFrom: [0], margin: dtype === "int32" ? 1 : 0.05 }),
  },
  {
    op: "pow",
    family: "arithmetic",
    dtypes: ALL,
    kind: "transcendental",
    a: (dtype) => (dtype === "int32" || dtype === "bool" ? { min: -3, max: 3 } : { min: 0.1, max: 4 }),
    b: (dtype) => (dtype === "int32" || dtype === "bool" ? { min: 0, max: 4 } : { min: -3, max: 3 }),
  },
  compare("equal"),
  compare("notEqual"),
  compare("less"),
  compare("lessEqual"),
  compare("greater"),
  compare("greaterEqual"),
  { op: "logicalAnd", family: "logical", dtypes: ALL, kind: "exact" },
  { op: "logicalOr", family: "logical", dtypes: ALL, kind: "exact" },
];

/** The dtype core gives a binary op's result (see core's binary.ts and the dtype docs). */
export function binaryOutDtype(op: string, family: Family, a: DType, b: DType): DType {
  const common = promote(a, b);
  switch (family) {
    case "comparison":
    case "logical":
      return "bool";
    case "division":
      return common === "float64" ? "float64" : "float32";
    case "arithmetic":
      return common === "bool" && op !== "maximum" && op !== "minimum" ? "int32" : common;
  }
}

const binaryCases = BINARY.flatMap((spec) =>
  perDtype("binary", spec.op, spec.dtypes, async (ctx, dtype) => {
    const fn = BINARY_FNS[spec.op];
    // Comparisons see ties only when values repeat: draw them from a small set half the time.
    const small = spec.kind === "exact" && dtype !== "bool" ? { min: -3, max: 3 } : {};
    const arb = broadcastShapesArb(2, SHAPES).chain(([sa, sb]) =>
      fc.tuple(
        descArb(sa as number[], dtype, spec.a?.(dtype) ?? small),
        descArb(sb as number[], dtype, spec.b?.(dtype) ?? small),
      ),
    );
    const out = binaryOutDtype(spec.op, spec.family, dtype, dtype);
    await property(ctx, arb, async ([da, db], scope) => {
      const y = scope.run(() => fn(live(scope, da), live(scope, db)));
      const expected = R.binary(spec.op, ref(da), ref(db));
      // Bool arithmetic runs on int32 (true + true = 2), as core casts first.
      await expectTensor(ctx, y, expected, out, { kind: spec.kind, magnitude: magnitude(da, db), label: spec.op });
    });
  }),
);

// Mixed dtypes: core casts both operands to the promoted dtype before the kernel runs, so
// these exercise cast + kernel together. Values are small integers, exact in every dtype.
const PROMOTION_OPS: readonly BinarySpec[] = [arith("add"), arith("mul"), compare("less"), arith("maximum", "exact")];

const promotionCases: ConformanceCase[] = PROMOTION_OPS.map((spec) => ({
  group: "promotion",
  op: spec.op,
  title: `${spec.op} over every pair of declared dtypes, and with number operands`,
  dtypes: [],
  run: async (ctx) => {
    const fn = BINARY_FNS[spec.op];
    const declared = ALL.filter((d) => ctx.has(d));
    const arb = broadcastShapesArb(2, { maxRank: 3, maxDim: 3 }).chain(([sa, sb]) =>
      fc.tuple(
        valuesArb(sa as number[], "int32", { min: -4, max: 4 }).map((v) => ({ shape: sa as number[], v })),
        valuesArb(sb as number[], "int32", { min: -4, max: 4 }).map((v) => ({ shape: sb as number[], v })),
        fc.constantFrom(...declared),
        fc.constantFrom(...declared),
        fc.constantFrom(2, -3, 0.5),
      ),
    );
    await property(ctx, arb, async ([a, b, ta, tb, k], scope) => {
      const da: TensorDescription = { shape: a.shape, dtype: ta, values: a.v.map((v) => R.storeAs(v, ta)) };
      const db: TensorDescription = { shape: b.shape, dtype: tb, values: b.v.map((v) => R.storeAs(v, tb)) };
      const y = scope.run(() => fn(live(scope, da), live(scope, db)));
      const out = binaryOutDtype(spec.op, spec.family, ta, tb);
      const label = `${spec.op}(${ta}, ${tb})`;
      await expectTensor(ctx, y, R.binary(spec.op, ref(da), ref(db)), out, { kind: spec.kind, label });
      // A number operand is weakly typed: it takes the tensor's dtype, or float32 when it is
      // a fraction next to an integer or bool tensor.
      const kType: DType = ta === "float32" || ta === "float64" ? ta : Number.isInteger(k) ? "int32" : "float32";
      const yk = scope.run(() => fn(live(scope, da), k));
      const scalar = R.array([], [R.storeAs(k, kType)]);
      await expectTensor(ctx, yk, R.binary(spec.op, ref(da), scalar), binaryOutDtype(spec.op, spec.family, ta, kType), {
        kind: spec.kind,
        label: `${spec.op}(${ta}, ${k})`,
      });
    });
  },
}));

const whereCases = perDtype("where", "where", ALL, async (ctx, dtype) => {
  const arb = broadcastShapesArb(3, SHAPES).chain(([sc, sa, sb]) =>
    fc.tuple(
      descArb(sc as number[], "bool"),
      descArb(sa as number[], dtype),
      descArb(sb as number[], dtype),
      fc.boolean(),
    ),
  );
  await property(ctx, arb, async ([dc, da, db, numberB], scope) => {
    const y = scope.run(() => core.where(live(scope, dc), live(scope, da), numberB ? 1 : live(scope, db)));
    const b = numberB ? R.array([], [1]) : ref(db);
    // A number is weakly typed: next to a bool tensor it is an int32, so the result is int32.
    const out = numberB && dtype === "bool" ? "int32" : dtype;
    await expectTensor(ctx, y, R.where(ref(dc), ref(da), b), out, { kind: "exact", label: "where" });
  });
});

const castCases: ConformanceCase[] = ALL.flatMap((from) =>
  ALL.map((to) => ({
    group: "cast",
    op: "cast",
    title: `cast ${from} → ${to}`,
    dtypes: [from, to],
    run: async (ctx) => {
      const arb = shapeArb(SHAPES).chain((s) => descArb(s, from));
      await property(ctx, arb, async (d, scope) => {
        const y = scope.run(() => core.cast(live(scope, d), to));
        const kind = to === "float32" && from === "float64" ? "arithmetic" : "exact";
        await expectTensor(ctx, y, R.cast(ref(d), to), to, { kind, label: `cast ${from} → ${to}` });
      });
    },
  })),
);

/**
 * Elementwise conformance cases: every unary and binary primitive per dtype (binary ones on
 * broadcast shape pairs), dtype promotion and number operands, where, and cast between every
 * pair of dtypes.
 *
 * @example
 * ```ts
 * ELEMENTWISE_CASES.map((c) => c.title); // ["neg int32", "neg float32", ...]
 * ```
 */
export const ELEMENTWISE_CASES: readonly ConformanceCase[] = [
  ...unaryCases,
  ...binaryCases,
  ...promotionCases,
  ...whereCases,
  ...castCases,
];
