import type { DType, UnaryOp } from "@tapegrad/core";
import type { ProgramSource } from "../program_cache.js";
import { fragmentSource, returnFloat } from "./header.js";
import { GLSL_MATH } from "./math.js";

interface UnaryCode {
  /** Float expression of x. */
  readonly expr: string;
  /** Exact int expression of xi for int32, where the float route would lose bits. */
  readonly intExpr?: string;
  readonly needs?: readonly (keyof typeof GLSL_MATH)[];
}

// Each op as a GLSL expression of x, with the helpers it needs from GLSL_MATH. Int32 negation
// and abs wrap at -2^31 as JavaScript's Int32Array stores do.
const UNARY: Record<UnaryOp, UnaryCode> = {
  neg: { expr: "-x", intExpr: "-xi" },
  exp: { expr: "expJS(x)", needs: ["exp"] },
  log: { expr: "logJS(x)", needs: ["log"] },
  log1p: { expr: "log1pJS(x)", needs: ["log", "log1p"] },
  sqrt: { expr: "sqrtJS(x)", needs: ["sqrt"] },
  abs: { expr: "abs(x)", intExpr: "abs(xi)" },
  sign: { expr: "isNaN(x) ? x : sign(x)", intExpr: "sign(xi)" },
  sin: { expr: "sinJS(x)", needs: ["trig"] },
  cos: { expr: "cosJS(x)", needs: ["trig"] },
  tanh: { expr: "tanhJS(x)", needs: ["tanh"] },
  reciprocal: { expr: "1.0 / x", intExpr: "(xi == 1 || xi == -1) ? xi : 0" },
  floor: { expr: "isNaN(x) ? x : floor(x)", intExpr: "xi" },
  ceil: { expr: "isNaN(x) ? x : ceil(x)", intExpr: "xi" },
  // GLSL's roundEven is NumPy's rule: halves go to the even neighbour.
  round: { expr: "isNaN(x) ? x : roundEven(x)", intExpr: "xi" },
  logicalNot: { expr: "truthy(x) ? 0.0 : 1.0" },
};

/**
 * The program for an elementwise unary op on `inDtype` producing `outDtype`. Float math runs
 * in float32; int32 results come from exact int expressions where the op has one, else from
 * the float result through ToInt32; bool results are "not zero", as the CPU's typed-array
 * stores make them.
 *
 * @example
 * ```ts
 * unarySource("tanh", "float32", "float32", 12).key; // "unary:tanh:float32:float32"
 * ```
 */
export function unarySource(op: UnaryOp, inDtype: DType, outDtype: DType, rowShift: number): ProgramSource {
  const { expr, intExpr, needs } = UNARY[op];
  let compute = `  float x = readX(i);\n  return ${expr};`;
  if (outDtype === "int32") {
    compute = `  int xi = readXi(i);\n  float x = float(xi);\n  ${intExpr === undefined ? returnFloat(expr, outDtype) : `return ${intExpr};`}`;
  }
  return {
    key: `unary:${op}:${inDtype}:${outDtype}`,
    fragment: () =>
      fragmentSource(
        { inputs: { X: inDtype }, outDtype, declarations: (needs ?? []).map((n) => GLSL_MATH[n]).join("\n"), compute },
        rowShift,
      ),
  };
}

/**
 * The program that converts elements to `outDtype`: ToInt32 (truncation toward zero, NaN and
 * ±∞ to 0, wrapping) for int32, "not zero" for bool (NaN counts as true), nearest float32
 * for float32.
 *
 * @example
 * ```ts
 * castSource("float32", "int32", 12).key; // "cast:float32:int32"
 * ```
 */
export function castSource(inDtype: DType, outDtype: DType, rowShift: number): ProgramSource {
  return {
    key: `cast:${inDtype}:${outDtype}`,
    fragment: () => {
      let compute = "  return readX(i);";
      if (outDtype === "int32") compute = inDtype === "int32" ? "  return readXi(i);" : "  return toInt32(readX(i));";
      return fragmentSource({ inputs: { X: inDtype }, outDtype, declarations: "", compute }, rowShift);
    },
  };
}
