import type { BinaryOp, DType, UnaryOp } from "@tapegrad/core";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  backend,
  broadcastAt,
  broadcastPairArb,
  broadcastShape,
  read,
  shapeArb,
  sizeOfShape,
  t,
  toTyped,
  unravel,
} from "./helpers.js";

const DTYPES: DType[] = ["float32", "float64", "int32", "bool"];

const SAMPLES: Record<DType, number[]> = {
  float32: [-3.5, -2.5, -1, -0.5, 0, 0.25, 0.5, 1.5, 2.5, 3.7, 100, Number.NaN, Number.POSITIVE_INFINITY],
  float64: [-3.5, -2.5, -1, -0.5, 0, 0.1, 0.5, 1.5, 2.5, 3.7, 1e300, Number.NaN, Number.NEGATIVE_INFINITY],
  int32: [-2147483648, -7, -2, -1, 0, 1, 2, 3, 7, 2147483647],
  bool: [0, 1, 1, 0],
};

function roundHalfEvenRef(v: number): number {
  const r = Math.round(v);
  return Math.abs(v - Math.trunc(v)) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

const UNARY_REF: Record<UnaryOp, (v: number) => number> = {
  neg: (v) => -v,
  exp: Math.exp,
  log: Math.log,
  log1p: Math.log1p,
  sqrt: Math.sqrt,
  abs: Math.abs,
  sign: Math.sign,
  sin: Math.sin,
  cos: Math.cos,
  tanh: Math.tanh,
  reciprocal: (v) => 1 / v,
  floor: Math.floor,
  ceil: Math.ceil,
  round: roundHalfEvenRef,
  logicalNot: (v) => (v === 0 ? 1 : 0),
};

const COMPARISON: ReadonlySet<BinaryOp> = new Set<BinaryOp>([
  "equal",
  "notEqual",
  "less",
  "lessEqual",
  "greater",
  "greaterEqual",
  "logicalAnd",
  "logicalOr",
]);

const BINARY_REF: Record<BinaryOp, (a: number, b: number) => number> = {
  add: (a, b) => a + b,
  sub: (a, b) => a - b,
  mul: (a, b) => a * b,
  div: (a, b) => a / b,
  pow: (a, b) => a ** b,
  maximum: Math.max,
  minimum: Math.min,
  equal: (a, b) => (a === b ? 1 : 0),
  notEqual: (a, b) => (a !== b ? 1 : 0),
  less: (a, b) => (a < b ? 1 : 0),
  lessEqual: (a, b) => (a <= b ? 1 : 0),
  greater: (a, b) => (a > b ? 1 : 0),
  greaterEqual: (a, b) => (a >= b ? 1 : 0),
  logicalAnd: (a, b) => (a !== 0 && b !== 0 ? 1 : 0),
  logicalOr: (a, b) => (a !== 0 || b !== 0 ? 1 : 0),
};

function binaryRef(op: BinaryOp, dtype: DType): (a: number, b: number) => number {
  if (op === "mul" && dtype === "int32") return Math.imul;
  return BINARY_REF[op];
}

function binaryOutDType(op: BinaryOp, dtype: DType): DType {
  return COMPARISON.has(op) ? "bool" : dtype;
}

describe("unary", () => {
  for (const dtype of DTYPES) {
    for (const op of Object.keys(UNARY_REF) as UnaryOp[]) {
      it(`${op} on ${dtype} matches Math`, () => {
        const input = Array.from(toTyped(SAMPLES[dtype], dtype));
        const outDType: DType = op === "logicalNot" ? "bool" : dtype;
        const expected = Array.from(toTyped(input.map(UNARY_REF[op]), outDType));
        const x = t(input, [input.length], dtype);
        const out = backend.unary(op, x);
        expect(backend.readSync(out)).toBeInstanceOf(toTyped([], outDType).constructor);
        expect(read(out)).toEqual(expected);
      });
    }
  }

  it("rounds half to even", () => {
    const x = t([0.5, 1.5, 2.5, -0.5, -1.5, -2.5, 2.4999, 2.5001], [8], "float64");
    expect(read(backend.unary("round", x)).map((v) => v + 0)).toEqual([0, 2, 2, 0, -2, -2, 2, 3]);
  });

  it("keeps bool results 0/1 (neg of true is true, not 255)", () => {
    const x = t([1, 0], [2], "bool");
    expect(read(backend.unary("neg", x))).toEqual([1, 0]);
    expect(read(backend.unary("reciprocal", x))).toEqual([1, 1]);
  });

  it("computes float64 in float64", () => {
    const x = t([1e-10], [1], "float64");
    expect(read(backend.unary("log1p", x))[0]).toBe(Math.log1p(1e-10));
    expect(read(backend.unary("exp", t([0.1], [1], "float64")))[0]).toBe(Math.exp(0.1));
  });
});

describe("binary", () => {
  for (const dtype of DTYPES) {
    for (const op of Object.keys(BINARY_REF) as BinaryOp[]) {
      it(`${op} on ${dtype} matches the reference`, () => {
        const s = Array.from(toTyped(SAMPLES[dtype], dtype));
        const as: number[] = [];
        const bs: number[] = [];
        for (const a of s) {
          for (const b of s) {
            as.push(a);
            bs.push(b);
          }
        }
        const f = binaryRef(op, dtype);
        const expected = Array.from(
          toTyped(
            as.map((a, i) => f(a, bs[i] as number)),
            binaryOutDType(op, dtype),
          ),
        );
        const out = backend.binary(op, t(as, [as.length], dtype), t(bs, [bs.length], dtype), [as.length]);
        expect(read(out)).toEqual(expected);
      });
    }
  }

  it("truncates int32 division toward zero and wraps like C", () => {
    const a = t([-7, 7, -7, 7, 5, 2147483647], [6], "int32");
    const b = t([2, 2, -2, -2, 0, 1], [6], "int32");
    expect(read(backend.binary("div", a, b, [6]))).toEqual([-3, 3, 3, -3, 0, 2147483647]);
    const c = t([65536, 2147483647], [2], "int32");
    const d = t([65536, 1], [2], "int32");
    expect(read(backend.binary("mul", c, d, [2]))).toEqual([0, 2147483647]);
    expect(read(backend.binary("add", c, d, [2]))).toEqual([131072, -2147483648]);
    expect(read(backend.binary("pow", t([2, 2, 3], [3], "int32"), t([10, -1, 2], [3], "int32"), [3]))).toEqual([
      1024, 0, 9,
    ]);
  });

  it("keeps bool arithmetic 0/1", () => {
    const a = t([1, 1, 0, 0], [4], "bool");
    const b = t([1, 0, 1, 0], [4], "bool");
    expect(read(backend.binary("add", a, b, [4]))).toEqual([1, 1, 1, 0]);
    expect(read(backend.binary("sub", a, b, [4]))).toEqual([0, 1, 1, 0]);
    expect(read(backend.binary("div", a, b, [4]))).toEqual([1, 1, 0, 1]);
  });

  it("computes float64 in float64", () => {
    const out = backend.binary("add", t([0.1], [1], "float64"), t([0.2], [1], "float64"), [1]);
    expect(read(out)[0]).toBe(0.1 + 0.2);
  });

  it("broadcasts scalar operands on either side", () => {
    const x = t([1, 2, 3], [3], "float32");
    const s = t([10], [], "float32");
    expect(read(backend.binary("sub", x, s, [3]))).toEqual([-9, -8, -7]);
    expect(read(backend.binary("sub", s, x, [3]))).toEqual([9, 8, 7]);
    expect(read(backend.binary("sub", s, s, []))).toEqual([0]);
  });

  it("broadcasts any compatible shapes like NumPy (property)", () => {
    const ops: BinaryOp[] = ["add", "sub", "mul", "div", "maximum", "less", "equal"];
    fc.assert(
      fc.property(
        broadcastPairArb(),
        fc.constantFrom(...ops),
        fc.constantFrom<DType>("float32", "float64", "int32"),
        fc.integer(),
        ({ a, b, out }, op, dtype, seed) => {
          const av = Array.from(toTyped(randomInts(sizeOfShape(a), seed), dtype));
          const bv = Array.from(toTyped(randomInts(sizeOfShape(b), seed + 1), dtype));
          const f = binaryRef(op, dtype);
          const n = sizeOfShape(out);
          const ref: number[] = [];
          for (let i = 0; i < n; i++) {
            const idx = unravel(i, out);
            ref.push(f(broadcastAt(av, a, idx), broadcastAt(bv, b, idx)));
          }
          const id = backend.binary(op, t(av, a, dtype), t(bv, b, dtype), out);
          expect(read(id)).toEqual(Array.from(toTyped(ref, binaryOutDType(op, dtype))));
        },
      ),
      { numRuns: 200 },
    );
  });
});

function randomInts(n: number, seed: number): number[] {
  const out: number[] = [];
  let s = (seed | 0) ^ 0x9e3779b9;
  for (let i = 0; i < n; i++) {
    s = Math.imul(s ^ (s >>> 15), 0x2c1b3c6d);
    // Non-zero so int32 division never divides by zero in the property.
    out.push(((s >>> 8) % 19) - 9 || 1);
  }
  return out;
}

describe("where", () => {
  it("selects with broadcasting (property)", () => {
    fc.assert(
      fc.property(broadcastPairArb(), shapeArb(2, 3, 1), fc.integer(), ({ a, b, out }, c0, seed) => {
        const cShape = c0.map((d, i) => (i % 2 === 0 ? 1 : d));
        const outShape = broadcastShape(out, cShape);
        if (!shapesCompatible(out, cShape)) return;
        const cv = randomInts(sizeOfShape(cShape), seed).map((v) => (v > 0 ? 1 : 0));
        const av = randomInts(sizeOfShape(a), seed + 1);
        const bv = randomInts(sizeOfShape(b), seed + 2);
        const ref: number[] = [];
        for (let i = 0; i < sizeOfShape(outShape); i++) {
          const idx = unravel(i, outShape);
          ref.push(broadcastAt(cv, cShape, idx) ? broadcastAt(av, a, idx) : broadcastAt(bv, b, idx));
        }
        const id = backend.where(t(cv, cShape, "bool"), t(av, a, "float64"), t(bv, b, "float64"), outShape);
        expect(read(id)).toEqual(ref);
      }),
      { numRuns: 100 },
    );
  });
});

function shapesCompatible(a: readonly number[], b: readonly number[]): boolean {
  const rank = Math.max(a.length, b.length);
  for (let i = 0; i < rank; i++) {
    const da = a[a.length - rank + i] ?? 1;
    const db = b[b.length - rank + i] ?? 1;
    if (da !== db && da !== 1 && db !== 1) return false;
  }
  return true;
}

describe("cast", () => {
  it("truncates floats toward zero into int32", () => {
    const x = t([-2.7, -0.5, 0, 0.9, 2.7, Number.NaN], [6], "float64");
    expect(read(backend.cast(x, "int32"))).toEqual([-2, 0, 0, 0, 2, 0]);
  });

  it("maps non-zero (and NaN) to true", () => {
    const x = t([-2, 0, 0.1, Number.NaN], [4], "float32");
    expect(read(backend.cast(x, "bool"))).toEqual([1, 0, 1, 1]);
    expect(read(backend.cast(t([0, 5, -1], [3], "int32"), "bool"))).toEqual([0, 1, 1]);
  });

  it("rounds float64 to float32 and widens exactly", () => {
    const x = t([0.1], [1], "float64");
    expect(read(backend.cast(x, "float32"))).toEqual([Math.fround(0.1)]);
    expect(read(backend.cast(t([1, 0], [2], "bool"), "float64"))).toEqual([1, 0]);
    expect(read(backend.cast(t([-3], [1], "int32"), "float32"))).toEqual([-3]);
  });

  it("copies when the dtype is unchanged", () => {
    const x = t([1, 2], [2], "int32");
    const y = backend.cast(x, "int32");
    expect(y).not.toBe(x.dataId);
    expect(read(y)).toEqual([1, 2]);
  });
});

describe("creation", () => {
  it("fills and ranges in every dtype", () => {
    expect(read(backend.fill(3, 1.5, "int32"))).toEqual([1, 1, 1]);
    expect(read(backend.fill(2, 2, "bool"))).toEqual([1, 1]);
    expect(read(backend.fill(0, 2, "float32"))).toEqual([]);
    expect(read(backend.arange(0, 0.1, 4, "float64"))).toEqual([0, 0.1, 0.2, 0.1 * 3]);
    expect(read(backend.arange(5, -2, 4, "int32"))).toEqual([5, 3, 1, -1]);
    expect(read(backend.arange(-1, 1, 3, "bool"))).toEqual([1, 0, 1]);
  });
});
