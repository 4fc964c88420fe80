import {
  abs,
  add,
  broadcastShapes,
  broadcastTo,
  ceil,
  cos,
  type DType,
  div,
  equal,
  exp,
  floor,
  greater,
  greaterEqual,
  isFinite,
  isNaN,
  less,
  lessEqual,
  log,
  log1p,
  logicalAnd,
  logicalNot,
  logicalOr,
  maximum,
  minimum,
  mul,
  neg,
  notEqual,
  pow,
  reciprocal,
  round,
  ShapeError,
  sign,
  sin,
  sqrt,
  sub,
  type Tensor,
  tanh,
  tensor,
} from "@tapegrad/core";
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { broadcastPairArb, broadcastRef, checkLeaks, doublesArb, expectClose, intValuesArb, vals } from "./helpers.js";

checkLeaks();

const specials = [0, -0, 0.5, -0.5, 1.5, -1.5, 2.5, 3, -7.25, 1e-10, 100, Number.NaN, Infinity, -Infinity];

function roundHalfEven(x: number): number {
  return Math.abs(x % 1) === 0.5 ? 2 * Math.round(x / 2) : Math.round(x);
}

const unaries: [string, (x: Tensor) => Tensor, (x: number) => number][] = [
  ["neg", neg, (x) => -x],
  ["exp", exp, Math.exp],
  ["log", log, Math.log],
  ["log1p", log1p, Math.log1p],
  ["sqrt", sqrt, Math.sqrt],
  ["abs", abs, Math.abs],
  ["sign", sign, (x) => (Number.isNaN(x) ? Number.NaN : x > 0 ? 1 : x < 0 ? -1 : 0)],
  ["sin", sin, Math.sin],
  ["cos", cos, Math.cos],
  ["tanh", tanh, Math.tanh],
  ["reciprocal", reciprocal, (x) => 1 / x],
  ["floor", floor, Math.floor],
  ["ceil", ceil, Math.ceil],
  ["round", round, roundHalfEven],
];

describe("unary ops match Math in float64 (and float32 within its precision)", () => {
  for (const [name, op, ref] of unaries) {
    test(name, () => {
      for (const dtype of ["float64", "float32"] as const) {
        using x = tensor(specials, { dtype });
        using y = op(x);
        expect([y.shape, y.dtype]).toEqual([[specials.length], dtype]);
        const input = dtype === "float32" ? specials.map(Math.fround) : specials;
        const tol = dtype === "float64" ? 1e-15 : 1e-6;
        const expected = input.map(ref).map((v) => (dtype === "float32" ? Math.fround(v) : v));
        expectClose(vals(y), expected, { rtol: tol, atol: dtype === "float64" ? 0 : 1e-7 });
      }
    });
  }

  test("log of 0 is -Infinity, log of a negative is NaN, log1p stays accurate near 0", () => {
    using x = tensor([0, -1, 1e-12], { dtype: "float64" });
    using l = log(x);
    expect(vals(l).slice(0, 2)).toEqual([-Infinity, Number.NaN]);
    using l1 = log1p(x);
    expect(vals(l1)[2]).toBe(Math.log1p(1e-12));
  });

  test("int32 ops stay int32; float-only ops reject int32 and bool", () => {
    using i = tensor([-3, 0, 4], { dtype: "int32" });
    for (const [op, want] of [
      [neg, [3, 0, -4]],
      [abs, [3, 0, 4]],
      [sign, [-1, 0, 1]],
      [floor, [-3, 0, 4]],
      [ceil, [-3, 0, 4]],
      [round, [-3, 0, 4]],
    ] as const) {
      using y = op(i);
      expect([y.dtype, vals(y)]).toEqual(["int32", want]);
    }
    using b = tensor([true]);
    for (const [name, op] of unaries) {
      if (["exp", "log", "log1p", "sqrt", "sin", "cos", "tanh", "reciprocal"].includes(name)) {
        expect(() => op(i), name).toThrow(
          new RegExp(`^${name}: input has dtype int32, expected one of float32, float64$`),
        );
      }
      expect(() => op(b), name).toThrow(new RegExp(`^${name}: input has dtype bool, expected one of`));
    }
  });

  test("logicalNot, isNaN, isFinite", () => {
    using b = tensor([true, false]);
    using n = logicalNot(b);
    expect(n.toArray()).toEqual([false, true]);
    using f = tensor([1]);
    expect(() => logicalNot(f)).toThrow(/logicalNot: input has dtype float32, expected one of bool/);
    using x = tensor([Number.NaN, Infinity, -Infinity, 0, -2]);
    using nan = isNaN(x);
    expect(nan.toArray()).toEqual([true, false, false, false, false]);
    using fin = isFinite(x);
    expect(fin.toArray()).toEqual([false, false, false, true, true]);
    using i = tensor([5], { dtype: "int32" });
    using fi = isFinite(i);
    expect(fi.toArray()).toEqual([true]);
    expect(() => isNaN(b)).toThrow(/isNaN: input has dtype bool/);
  });
});

type BinaryCase = [string, (a: Tensor, b: Tensor) => Tensor, (a: number, b: number) => number];
const nanMax = (a: number, b: number) => (Number.isNaN(a) || Number.isNaN(b) ? Number.NaN : Math.max(a, b));
const nanMin = (a: number, b: number) => (Number.isNaN(a) || Number.isNaN(b) ? Number.NaN : Math.min(a, b));
const binaries: BinaryCase[] = [
  ["add", add, (a, b) => a + b],
  ["sub", sub, (a, b) => a - b],
  ["mul", mul, (a, b) => a * b],
  ["div", div, (a, b) => a / b],
  ["pow", pow, (a, b) => a ** b],
  ["maximum", maximum, nanMax],
  ["minimum", minimum, nanMin],
  ["equal", equal, (a, b) => Number(a === b)],
  ["notEqual", notEqual, (a, b) => Number(a !== b)],
  ["less", less, (a, b) => Number(a < b)],
  ["lessEqual", lessEqual, (a, b) => Number(a <= b)],
  ["greater", greater, (a, b) => Number(a > b)],
  ["greaterEqual", greaterEqual, (a, b) => Number(a >= b)],
  ["logicalAnd", logicalAnd, (a, b) => Number(a !== 0 && b !== 0)],
  ["logicalOr", logicalOr, (a, b) => Number(a !== 0 || b !== 0)],
];

describe("binary ops with broadcasting", () => {
  test("every binary op matches a plain-JS reference over random broadcast shapes (float64)", () => {
    fc.assert(
      fc.property(
        broadcastPairArb.chain(({ a, b, out }) =>
          fc.record({
            a: fc.constant(a),
            b: fc.constant(b),
            out: fc.constant(out),
            va: doublesArb(a),
            vb: doublesArb(b),
          }),
        ),
        ({ a, b, out, va, vb }) => {
          // Small integers in b half the time keep pow real for negative bases.
          const vbInt = vb.map((v) => Math.round(v));
          using ta = tensor(va, { shape: a, dtype: "float64" });
          using tb = tensor(vbInt, { shape: b, dtype: "float64" });
          const ea = broadcastRef(va, a, out);
          const eb = broadcastRef(vbInt, b, out);
          for (const [name, op, ref] of binaries) {
            using y = op(ta, tb);
            expect(y.shape, name).toEqual(out);
            expectClose(
              vals(y),
              ea.map((x, i) => ref(x, eb[i] as number)),
              { rtol: 1e-12, atol: 0 },
            );
          }
        },
      ),
      { numRuns: 40 },
    );
  });

  test("special values: NaN propagates through maximum/minimum, 0/0 and x/0", () => {
    using a = tensor([Number.NaN, 1, 0, 1, -1, 2], { dtype: "float64" });
    using b = tensor([1, Number.NaN, 0, 0, 0, Infinity], { dtype: "float64" });
    for (const [name, op, ref] of binaries) {
      using y = op(a, b);
      const va = vals(a);
      const vb = vals(b);
      expectClose(
        vals(y),
        va.map((x, i) => ref(x, vb[i] as number)),
        { rtol: 0, atol: 0 },
      );
      expect(y.shape, name).toEqual([6]);
    }
  });

  test("the output shape is broadcastShapes of the inputs", () => {
    fc.assert(
      fc.property(broadcastPairArb, ({ a, b, out }) => {
        expect(broadcastShapes("add", a, b)).toEqual(out);
        expect(broadcastShapes("add", b, a)).toEqual(out);
      }),
    );
  });

  test("add, mul, maximum, minimum, equal are commutative (bit for bit)", () => {
    fc.assert(
      fc.property(
        broadcastPairArb.chain(({ a, b }) =>
          fc.record({
            a: fc.constant(a),
            b: fc.constant(b),
            va: doublesArb(a, -1e3, 1e3),
            vb: doublesArb(b, -1e3, 1e3),
          }),
        ),
        fc.constantFrom<DType>("float32", "float64", "int32"),
        ({ a, b, va, vb }, dtype) => {
          using ta = tensor(va, { shape: a, dtype });
          using tb = tensor(vb, { shape: b, dtype });
          for (const op of [add, mul, maximum, minimum, equal]) {
            using ab = op(ta, tb);
            using ba = op(tb, ta);
            expect(vals(ab)).toEqual(vals(ba));
          }
        },
      ),
      { numRuns: 40 },
    );
  });

  test("broadcasting equals explicit broadcastTo of both operands", () => {
    fc.assert(
      fc.property(
        broadcastPairArb.chain(({ a, b, out }) =>
          fc.record({
            a: fc.constant(a),
            b: fc.constant(b),
            out: fc.constant(out),
            va: intValuesArb(a),
            vb: intValuesArb(b),
          }),
        ),
        ({ a, b, out, va, vb }) => {
          using ta = tensor(va, { shape: a });
          using tb = tensor(vb, { shape: b });
          using xa = broadcastTo(ta, out);
          using xb = broadcastTo(tb, out);
          expect(vals(xa)).toEqual(broadcastRef(va, a, out));
          for (const op of [sub, div, greater]) {
            using implicit = op(ta, tb);
            using explicit = op(xa, xb);
            expect(vals(implicit)).toEqual(vals(explicit));
          }
        },
      ),
      { numRuns: 40 },
    );
  });

  test("numbers broadcast as scalars on either side", () => {
    using x = tensor([1, 2, 4]);
    using a = sub(10, x);
    using b = sub(x, 10);
    using c = div(1, x);
    using d = pow(2, x);
    expect([vals(a), vals(b), vals(c), vals(d)]).toEqual([
      [9, 8, 6],
      [-9, -8, -6],
      [1, 0.5, 0.25],
      [2, 4, 16],
    ]);
  });

  test("shapes that do not broadcast are a ShapeError naming op and shapes", () => {
    using a = tensor([1, 2, 3]);
    using b = tensor([
      [1, 2],
      [3, 4],
    ]);
    for (const [name, op] of binaries) {
      expect(() => op(a, b), name).toThrow(ShapeError);
      expect(() => op(a, b), name).toThrow(new RegExp(`^${name}: shapes \\[3\\] and \\[2,2\\] do not broadcast$`));
    }
    expect(() => broadcastTo(a, [2, 2])).toThrow(/broadcastTo: cannot broadcast float32\[3\] to \[2,2\]/);
    expect(() => broadcastTo(b, [2])).toThrow(ShapeError);
    expect(() => broadcastTo(a, [-1, 3])).toThrow(/broadcastTo: shape \[-1,3\] must hold non-negative integers/);
    expect(() => add(1 as never, 2 as never)).toThrow(/add: got two numbers, expected at least one tensor operand/);
  });
});
