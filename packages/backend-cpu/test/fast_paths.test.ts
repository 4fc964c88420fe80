// The stride-free fast paths of binary and where (operands of the output's size, or scalars)
// against the general strided walk, which the same inputs take when embedded in a broadcast
// that cannot be flattened: results must be identical, bit for bit, in every dtype and op,
// edge values included.
import type { BinaryOp, DType, TensorInfo } from "@tapegrad/core";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { backend, read, t } from "./helpers.js";

const OPS: readonly BinaryOp[] = [
  "add",
  "sub",
  "mul",
  "div",
  "pow",
  "maximum",
  "minimum",
  "equal",
  "notEqual",
  "less",
  "lessEqual",
  "greater",
  "greaterEqual",
  "logicalAnd",
  "logicalOr",
];
const DTYPES: readonly DType[] = ["float32", "float64", "int32", "bool"];
const EDGE = [
  0,
  -0,
  1,
  -1,
  2.5,
  Number.NaN,
  Number.POSITIVE_INFINITY,
  Number.NEGATIVE_INFINITY,
  2 ** 31 - 1,
  -(2 ** 31),
];
const value = fc.oneof(fc.constantFrom(...EDGE), fc.double({ min: -1e3, max: 1e3 }), fc.integer({ min: -9, max: 9 }));

/** Bit-exact equality that treats NaN as equal to NaN and tells -0 from 0. */
function expectSame(got: number[], want: number[]): void {
  expect(got.length).toBe(want.length);
  got.forEach((g, i) => {
    if (!Object.is(g, want[i])) throw new Error(`element ${i}: fast ${g}, strided ${want[i]}`);
  });
}

/** Every other element of the first column of a [n, 2] result: what the strided walk computed. */
const column0 = (values: number[]): number[] => values.filter((_, i) => i % 2 === 0);

describe("binary fast paths", () => {
  it("same-shape and scalar operands give exactly the strided walk's results (property)", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...OPS),
        fc.constantFrom(...DTYPES),
        fc.array(value, { minLength: 1, maxLength: 12 }),
        fc.array(value, { minLength: 12, maxLength: 12 }),
        value,
        (op, dtype, av, bAll, s) => {
          const n = av.length;
          const bv = bAll.slice(0, n);
          const a = t(av, [n], dtype);
          const b = t(bv, [n], dtype);
          const sc = t([s], [], dtype);
          // The same numbers laid out as [n, 1] against [2] (or [2] against [n, 1]): a broadcast
          // that needs the strided walk; column 0 of the [n, 2] result is the fast path's answer.
          const aCol = t(av, [n, 1], dtype);
          const pair = t([s, s], [2], dtype);
          const bPair = (i: number) => t([bv[i] as number, bv[i] as number], [2], dtype);

          expectSame(read(backend.binary(op, a, sc, [n])), column0(read(backend.binary(op, aCol, pair, [n, 2]))));
          expectSame(read(backend.binary(op, sc, a, [n])), column0(read(backend.binary(op, pair, aCol, [n, 2]))));
          // Same shape against the scalar loop, itself checked against the strided walk above.
          const same = read(backend.binary(op, a, b, [n]));
          const strided = av.map((_, i) => {
            const ai = t([av[i] as number], [1, 1], dtype);
            return read(backend.binary(op, ai, bPair(i), [1, 2]))[0] as number;
          });
          expectSame(same, strided);
        },
      ),
      { numRuns: 400 },
    );
  });
});

describe("where fast paths", () => {
  it("full or scalar branches give exactly the strided walk's results (property)", () => {
    fc.assert(
      fc.property(
        fc.constantFrom<DType>("float32", "float64", "int32"),
        fc.array(fc.boolean(), { minLength: 1, maxLength: 12 }),
        fc.array(value, { minLength: 12, maxLength: 12 }),
        fc.array(value, { minLength: 12, maxLength: 12 }),
        (dtype, cv, aAll, bAll) => {
          const n = cv.length;
          const cond = t(
            cv.map((c) => (c ? 1 : 0)),
            [n],
            "bool",
          );
          const a = t(aAll.slice(0, n), [n], dtype);
          const b = t(bAll.slice(0, n), [n], dtype);
          const sa = t([aAll[0] as number], [], dtype);
          const sb = t([bAll[0] as number], [], dtype);
          const condCol = t(
            cv.map((c) => (c ? 1 : 0)),
            [n, 1],
            "bool",
          );
          const aCol = t(aAll.slice(0, n), [n, 1], dtype);
          const bCol = t(bAll.slice(0, n), [n, 1], dtype);
          const pa = t([aAll[0] as number, aAll[0] as number], [2], dtype);
          const pb = t([bAll[0] as number, bAll[0] as number], [2], dtype);
          const cases: [TensorInfo, TensorInfo, TensorInfo, TensorInfo][] = [
            [a, b, aCol, bCol],
            [a, sb, aCol, pb],
            [sa, b, pa, bCol],
            [sa, sb, pa, pb],
          ];
          for (const [fa, fb, wa, wb] of cases) {
            expectSame(read(backend.where(cond, fa, fb, [n])), column0(read(backend.where(condCol, wa, wb, [n, 2]))));
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});
