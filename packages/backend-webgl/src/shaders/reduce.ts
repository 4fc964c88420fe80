import type { DType, ReduceOp } from "@tapegrad/core";
import type { ProgramSource } from "../program_cache.js";
import { fragmentSource, reader } from "./header.js";
import { coordsFromIndex, intArrayUniform, offsetExpression } from "./indexing.js";

/**
 * GLSL statements that sum `value` (a float expression) into `s` with Kahan's compensation,
 * keeping a plain sum beside it: with an infinity or NaN among the terms the compensation
 * turns into NaN, and the plain sum is then the right answer. Float32 sums of thousands of
 * terms stay within a few ulps of the CPU's float64 accumulation.
 *
 * @example
 * ```ts
 * `float s = 0.0; float c_ = 0.0; float plain = 0.0;\n${kahanStep("readX(k)")}`;
 * ```
 */
export function kahanStep(value: string): string {
  return `{ float v_ = ${value}; plain += v_; float y_ = v_ - c_; float t_ = s + y_; c_ = (t_ - s) - y_; s = t_; }`;
}

/**
 * The result of a {@link kahanStep} sum: the compensated sum, or the plain one once an
 * infinity or NaN made the compensation meaningless.
 *
 * @example
 * ```ts
 * `return ${KAHAN_RESULT};`;
 * ```
 */
export const KAHAN_RESULT = "(isNaN(plain) || isInf(plain)) ? plain : s";

/**
 * The program for a reduction whose input axes were merged into `keptRank` kept and
 * `reducedRank` reduced groups (see `kernels/reduce.ts`). Each output element loops over its
 * reduced groups, innermost last, with uniform bounds: sum with Kahan compensation (int32
 * and bool inputs sum exactly in int, wrapping like the CPU's Int32Array store), max and min
 * returning NaN as soon as one is seen (int32 compared exactly as ints).
 *
 * @example
 * ```ts
 * reduceSource("sum", "float32", "float32", 1, 1, 12).key; // "reduce:sum:float32:float32:1:1"
 * ```
 */
export function reduceSource(
  op: ReduceOp,
  inDtype: DType,
  outDtype: DType,
  keptRank: number,
  reducedRank: number,
  rowShift: number,
): ProgramSource {
  return {
    key: `reduce:${op}:${inDtype}:${outDtype}:${keptRank}:${reducedRank}`,
    fragment: () => {
      let init: string;
      let step: string;
      let result: string;
      if (op === "sum" && outDtype === "int32") {
        init = "int acc = 0;";
        step = "acc += readXi(o);";
        result = "acc";
      } else if (outDtype === "int32") {
        // Empty int reductions never get here (the kernel fills zeros), so these bounds never show.
        init = `int acc = ${op === "max" ? "-2147483647 - 1" : "2147483647"};`;
        step = `acc = ${op}(acc, readXi(o));`;
        result = "acc";
      } else if (op === "sum") {
        init = "float s = 0.0; float c_ = 0.0; float plain = 0.0;";
        step = kahanStep("readX(o)");
        result = KAHAN_RESULT;
      } else {
        const better = op === "max" ? ">" : "<";
        init = `float acc = ${op === "max" ? "-" : ""}infValue();`;
        step = `{ float v = readX(o); if (isNaN(v)) return v; if (v ${better} acc) acc = v; }`;
        result = "acc";
      }
      const loops: string[] = [];
      let prev = "base";
      for (let g = 0; g < reducedRank; g++) {
        loops.push(
          `for (int j${g} = 0; j${g} < uRedSizes[${g}]; j${g}++) { int o${g} = ${prev} + j${g} * uRedStrides[${g}];`,
        );
        prev = `o${g}`;
      }
      return fragmentSource(
        {
          inputs: { X: inDtype },
          outDtype,
          declarations: [
            intArrayUniform("uOutStrides", keptRank),
            intArrayUniform("uKeptStrides", keptRank),
            intArrayUniform("uRedSizes", reducedRank),
            intArrayUniform("uRedStrides", reducedRank),
          ].join("\n"),
          compute: [
            coordsFromIndex(keptRank, "uOutStrides", "i", "k"),
            `int base = ${offsetExpression(keptRank, "uKeptStrides", "0", "k")};`,
            init,
            ...loops,
            `{ int o = ${prev}; ${step} }`,
            "}".repeat(reducedRank),
            `return ${result};`,
          ].join("\n"),
        },
        rowShift,
      );
    },
  };
}

/**
 * The program for argmax / argmin along one axis of an input viewed as [outer, len, inner]:
 * the first extreme wins ties, and the first NaN wins outright (NumPy's rule, consistent with
 * max propagating NaN). Int32 inputs compare as exact ints.
 *
 * @example
 * ```ts
 * argReduceSource("argmax", "float32", 12).key; // "argReduce:argmax:float32"
 * ```
 */
export function argReduceSource(op: "argmax" | "argmin", dtype: DType, rowShift: number): ProgramSource {
  const better = op === "argmax" ? ">" : "<";
  const isInt = dtype === "int32";
  const T = isInt ? "int" : "float";
  return {
    key: `argReduce:${op}:${dtype}`,
    fragment: () =>
      fragmentSource(
        {
          inputs: { X: dtype },
          outDtype: "int32",
          declarations: "uniform int uLen;\nuniform int uInner;",
          compute: `
  if (uLen == 0) return 0;
  int o = i / uInner;
  int p = o * uLen * uInner + (i - o * uInner);
  ${T} best = ${reader("X", dtype)}(p);
  ${isInt ? "" : "if (isNaN(best)) return 0;"}
  int bestK = 0;
  for (int k = 1; k < uLen; k++) {
    p += uInner;
    ${T} v = ${reader("X", dtype)}(p);
    ${isInt ? "" : "if (isNaN(v)) return k;"}
    if (v ${better} best) { best = v; bestK = k; }
  }
  return bestK;`,
        },
        rowShift,
      ),
  };
}
