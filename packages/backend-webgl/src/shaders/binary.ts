import type { BinaryOp, DType } from "@tapegrad/core";
import type { ProgramSource } from "../program_cache.js";
import { type Access, accessDeclarations, accessIndex } from "./access.js";
import { fragmentSource } from "./header.js";
import { coordsFromIndex, intArrayUniform } from "./indexing.js";
import { GLSL_MATH } from "./math.js";

interface OpCode {
  /** Float expression of a and b. */
  readonly expr: string;
  /** Expression of the exact ints ia and ib for int32 operands (int, or float 0/1 for bool results). */
  readonly intExpr: string;
  readonly needs?: readonly (keyof typeof GLSL_MATH)[];
}

// Float comparisons spell out NaN (false, except for notEqual) because GLSL does not promise
// IEEE comparisons. Int32 arithmetic runs in int: add/sub/mul wrap like C; div truncates
// toward zero, gives 0 for a zero divisor (what the CPU's Int32Array store makes of ±∞) and
// wraps -2^31 / -1, which GLSL would leave undefined.
const BINARY: Record<BinaryOp, OpCode> = {
  add: { expr: "a + b", intExpr: "ia + ib" },
  sub: { expr: "a - b", intExpr: "ia - ib" },
  mul: { expr: "a * b", intExpr: "ia * ib" },
  div: { expr: "a / b", intExpr: "ib == 0 ? 0 : (ib == -1 ? -ia : ia / ib)" },
  pow: { expr: "powJS(a, b)", intExpr: "powInt(ia, ib)", needs: ["pow", "powInt"] },
  maximum: { expr: "maxJS(a, b)", intExpr: "max(ia, ib)", needs: ["minmax"] },
  minimum: { expr: "minJS(a, b)", intExpr: "min(ia, ib)", needs: ["minmax"] },
  equal: { expr: "(!isNaN(a) && !isNaN(b) && a == b) ? 1.0 : 0.0", intExpr: "ia == ib ? 1.0 : 0.0" },
  notEqual: { expr: "(isNaN(a) || isNaN(b) || a != b) ? 1.0 : 0.0", intExpr: "ia != ib ? 1.0 : 0.0" },
  less: { expr: "(!isNaN(a) && !isNaN(b) && a < b) ? 1.0 : 0.0", intExpr: "ia < ib ? 1.0 : 0.0" },
  lessEqual: { expr: "(!isNaN(a) && !isNaN(b) && a <= b) ? 1.0 : 0.0", intExpr: "ia <= ib ? 1.0 : 0.0" },
  greater: { expr: "(!isNaN(a) && !isNaN(b) && a > b) ? 1.0 : 0.0", intExpr: "ia > ib ? 1.0 : 0.0" },
  greaterEqual: { expr: "(!isNaN(a) && !isNaN(b) && a >= b) ? 1.0 : 0.0", intExpr: "ia >= ib ? 1.0 : 0.0" },
  logicalAnd: { expr: "(truthy(a) && truthy(b)) ? 1.0 : 0.0", intExpr: "(ia != 0 && ib != 0) ? 1.0 : 0.0" },
  logicalOr: { expr: "(truthy(a) || truthy(b)) ? 1.0 : 0.0", intExpr: "(ia != 0 || ib != 0) ? 1.0 : 0.0" },
};

/**
 * The GLSL statements that read operands A and B at the given indices and return `op` of
 * them for operands of `dtype` (exact ints for int32), plus the helper functions it needs.
 *
 * @example
 * ```ts
 * binaryBody("add", "int32", "i", "0").body; // "int ia = readAi(i); int ib = readBi(0); return ia + ib;"
 * ```
 */
export function binaryBody(
  op: BinaryOp,
  dtype: DType,
  indexA: string,
  indexB: string,
): { readonly body: string; readonly helpers: string } {
  const code = BINARY[op];
  const helpers = (code.needs ?? []).map((n) => GLSL_MATH[n]).join("\n");
  if (dtype === "int32") {
    return { body: `int ia = readAi(${indexA}); int ib = readBi(${indexB}); return ${code.intExpr};`, helpers };
  }
  return { body: `float a = readA(${indexA}); float b = readB(${indexB}); return ${code.expr};`, helpers };
}

/**
 * The program for a broadcasting binary op: operands of `dtype` read through accesses
 * `accessA` and `accessB` (see `access.ts`), output rank `rank` (which only matters when an
 * operand is strided).
 *
 * @example
 * ```ts
 * binarySource("add", "float32", "float32", "same", "tile", 2, 12).key; // "binary:add:float32:float32:same:tile:2"
 * ```
 */
export function binarySource(
  op: BinaryOp,
  dtype: DType,
  outDtype: DType,
  accessA: Access,
  accessB: Access,
  rank: number,
  rowShift: number,
): ProgramSource {
  const strided = accessA === "strided" || accessB === "strided";
  const r = strided ? rank : 0;
  return {
    key: `binary:${op}:${dtype}:${outDtype}:${accessA}:${accessB}:${r}`,
    fragment: () => {
      const { body, helpers } = binaryBody(op, dtype, accessIndex("A", accessA, r), accessIndex("B", accessB, r));
      return fragmentSource(
        {
          inputs: { A: dtype, B: dtype },
          outDtype,
          declarations: [
            strided ? intArrayUniform("uOutStrides", r) : "",
            accessDeclarations("A", accessA, r),
            accessDeclarations("B", accessB, r),
            helpers,
          ].join("\n"),
          compute: [strided ? coordsFromIndex(r, "uOutStrides", "i") : "", body].join("\n"),
        },
        rowShift,
      );
    },
  };
}
