import { readFileSync } from "node:fs";
import {
  add,
  cast,
  concat,
  DTYPES,
  type DType,
  DTypeError,
  div,
  equal,
  greater,
  greaterEqual,
  less,
  lessEqual,
  logicalAnd,
  logicalOr,
  matmul,
  maximum,
  minimum,
  mul,
  notEqual,
  ones,
  pow,
  promoteTypes,
  sub,
  type Tensor,
  tensor,
  where,
} from "@tapegrad/core";
import { describe, expect, test } from "vitest";
import { checkLeaks, vals } from "./helpers.js";

checkLeaks();

const doc = readFileSync(new URL("../../../docs/dtypes.md", import.meta.url), "utf8");

/** The markdown table under `### heading`: row dtype → column dtype → cell. */
function table(heading: string): Record<string, Record<string, string>> {
  const start = doc.indexOf(`### ${heading}\n`);
  expect(start, `docs/dtypes.md has a "### ${heading}" table`).toBeGreaterThanOrEqual(0);
  const lines = doc
    .slice(start)
    .split("\n")
    .filter((l) => l.startsWith("|"));
  const rows = lines.slice(0, 6).map((l) =>
    l
      .split("|")
      .slice(1, -1)
      .map((c) => c.trim()),
  );
  const header = rows[0]?.slice(1) ?? [];
  const out: Record<string, Record<string, string>> = {};
  for (const row of rows.slice(2)) {
    const [name, ...cells] = row;
    out[name as string] = Object.fromEntries(header.map((h, i) => [h, cells[i] as string]));
  }
  return out;
}

type Binary = (a: Tensor, b: Tensor) => Tensor;
const wrapWhere: Binary = (a, b) => {
  using c = ones([2], "bool");
  return where(c, a, b);
};
const wrapConcat: Binary = (a, b) => concat([a, b]);
const wrapMatmul: Binary = (a, b) => {
  using ra = a.reshape([1, 2]);
  using rb = b.reshape([2, 1]);
  return matmul(ra, rb);
};

const families: [string, Record<string, Binary>][] = [
  ["add, sub, mul, pow", { add, sub, mul, pow }],
  ["maximum, minimum, where, concat", { maximum, minimum, where: wrapWhere, concat: wrapConcat }],
  ["div", { div }],
  ["comparisons and logical ops", { equal, notEqual, less, lessEqual, greater, greaterEqual, logicalAnd, logicalOr }],
  ["matmul", { matmul: wrapMatmul }],
];

describe("the promotion tables in docs/dtypes.md hold for every pair of dtypes", () => {
  for (const [heading, ops] of families) {
    test(heading, () => {
      const expected = table(heading);
      for (const [name, op] of Object.entries(ops)) {
        for (const a of DTYPES) {
          for (const b of DTYPES) {
            using x = ones([2], a);
            using y = ones([2], b);
            const want = expected[a]?.[b];
            if (want === "error") {
              expect(() => op(x, y), `${name}(${a}, ${b})`).toThrow(DTypeError);
            } else {
              using z = op(x, y);
              expect(z.dtype, `${name}(${a}, ${b})`).toBe(want);
            }
          }
        }
      }
    });
  }

  test("promoteTypes is the order bool < int32 < float32 < float64, and symmetric", () => {
    for (const a of DTYPES) {
      for (const b of DTYPES) {
        expect(promoteTypes(a, b)).toBe(DTYPES[Math.max(DTYPES.indexOf(a), DTYPES.indexOf(b))]);
        expect(promoteTypes(a, b)).toBe(promoteTypes(b, a));
      }
    }
  });

  test("plain numbers are weakly typed", () => {
    const lines = doc.split("\n");
    const start = lines.findIndex((l) => l.startsWith("| tensor  |"));
    expect(start).toBeGreaterThan(0);
    for (const line of lines.slice(start + 2, start + 6)) {
      const [d, plus1, plus15, div1] = line
        .split("|")
        .slice(1, -1)
        .map((c) => c.trim()) as [DType, DType, DType, DType];
      using x = ones([2], d);
      using a = add(x, 1);
      using b = add(x, 1.5);
      using c = div(x, 1);
      using r = add(1, x);
      expect([a.dtype, b.dtype, c.dtype, r.dtype], d).toEqual([plus1, plus15, div1, plus1]);
    }
  });
});

describe("mixed-dtype values", () => {
  test("bool arithmetic counts, int division is true division", () => {
    using t = tensor([true, true, false]);
    using s = add(t, t);
    expect([s.dtype, vals(s)]).toEqual(["int32", [2, 2, 0]]);
    using i = tensor([7, -7, 1], { dtype: "int32" });
    using two = tensor([2, 2, 0], { dtype: "int32" });
    using q = div(i, two);
    expect([q.dtype, vals(q)]).toEqual(["float32", [3.5, -3.5, Number.POSITIVE_INFINITY]]);
    using f = tensor([0.5, 0.5, 0.5]);
    using m = mul(i, f);
    expect(vals(m)).toEqual([3.5, -3.5, 0.5]);
    using p = pow(two, i);
    expect([p.dtype, vals(p).slice(0, 2)]).toEqual(["int32", [128, 0]]);
    using g = tensor([2, 0, 1], { dtype: "float32" });
    using l = logicalAnd(i, g);
    expect([l.dtype, vals(l)]).toEqual(["bool", [1, 0, 1]]);
  });

  test("cast", () => {
    using x = tensor([1.7, -1.7, 0, 2.5], { dtype: "float64" });
    using i = cast(x, "int32");
    expect([i.dtype, vals(i)]).toEqual(["int32", [1, -1, 0, 2]]);
    using b = cast(x, "bool");
    expect(b.toArray()).toEqual([true, true, false, true]);
    using back = cast(b, "float32");
    expect(vals(back)).toEqual([1, 1, 0, 1]);
    using same = cast(x, "float64");
    expect(same).not.toBe(x);
    expect(same.dataId).toBe(x.dataId);
    expect(() => cast(x, "int8" as never)).toThrow(/cast: target has dtype int8, expected one of bool, int32/);
  });
});
