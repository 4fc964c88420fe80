import type { DType, FusedActivation } from "@tapegrad/core";
import type { ProgramSource } from "../program_cache.js";
import { fragmentSource, reader } from "./header.js";
import { coordsFromIndex, intArrayUniform, offsetExpression } from "./indexing.js";
import { GLSL_MATH } from "./math.js";

// Each activation of the float z (intExpr: of the int z, for int32 products).
const ACTIVATION: Record<
  FusedActivation,
  { readonly expr: string; readonly intExpr: string; readonly helper: string }
> = {
  linear: { expr: "z", intExpr: "z", helper: "" },
  // NaN passes through, as in the CPU backend's fused kernel.
  relu: { expr: "(z > 0.0 || isNaN(z)) ? z : 0.0", intExpr: "max(z, 0)", helper: "" },
  sigmoid: { expr: "sigmoidJS(z)", intExpr: "toInt32(sigmoidJS(float(z)))", helper: GLSL_MATH.sigmoid },
  tanh: { expr: "tanhJS(z)", intExpr: "toInt32(tanhJS(float(z)))", helper: GLSL_MATH.tanh },
};

/**
 * The program for batched op(A)·op(B), optionally plus a bias row and an activation (the fused
 * dense kernel). Each output element walks one row of op(A) and one column of op(B) with
 * strides passed as uniforms, so transposes are index math, never copies; batch axes (rank
 * `batchRank`) broadcast through per-axis batch strides. Int32 accumulates in int, wrapping
 * like the CPU's Math.imul sums.
 *
 * @example
 * ```ts
 * matmulSource("float32", 0, false, "linear", 12).key; // "matmul:float32:0:nobias:linear"
 * ```
 */
export function matmulSource(
  dtype: DType,
  batchRank: number,
  bias: boolean,
  activation: FusedActivation,
  rowShift: number,
): ProgramSource {
  return {
    key: `matmul:${dtype}:${batchRank}:${bias ? "bias" : "nobias"}:${activation}`,
    fragment: () => {
      const isInt = dtype === "int32";
      const act = ACTIVATION[activation];
      return fragmentSource(
        {
          inputs: bias ? { A: dtype, B: dtype, Bias: dtype } : { A: dtype, B: dtype },
          outDtype: dtype,
          declarations: [
            "uniform int uM;\nuniform int uN;\nuniform int uK;",
            "uniform int uASi;\nuniform int uASp;\nuniform int uBSp;\nuniform int uBSj;",
            intArrayUniform("uBatchStrides", batchRank),
            intArrayUniform("uABatch", batchRank),
            intArrayUniform("uBBatch", batchRank),
            act.helper,
          ].join("\n"),
          compute: [
            "int mn = uM * uN;",
            "int bi = i / mn;",
            "int r = i - bi * mn;",
            "int row = r / uN;",
            "int col = r - row * uN;",
            coordsFromIndex(batchRank, "uBatchStrides", "bi", "b"),
            `int pa = ${offsetExpression(batchRank, "uABatch", "row * uASi", "b")};`,
            `int pb = ${offsetExpression(batchRank, "uBBatch", "col * uBSj", "b")};`,
            isInt ? "int acc = 0;" : "float acc = 0.0;",
            "for (int p = 0; p < uK; p++) {",
            isInt ? "  acc += readAi(pa) * readBi(pb);" : "  acc += readA(pa) * readB(pb);",
            "  pa += uASp;",
            "  pb += uBSp;",
            "}",
            `${isInt ? "int" : "float"} z = acc${bias ? ` + ${reader("Bias", dtype)}(col)` : ""};`,
            `return ${isInt ? act.intExpr : act.expr};`,
          ].join("\n"),
        },
        rowShift,
      );
    },
  };
}
