import type { DType } from "@tapegrad/core";
import type { ProgramSource } from "../program_cache.js";
import { fragmentSource, returnFloat } from "./header.js";
import { GLSL_MATH } from "./math.js";
import { KAHAN_RESULT, kahanStep } from "./reduce.js";

/**
 * The fused softmax along the last axis (rows of `uLen`): each output element finds its row's
 * maximum (NaN wins), sums e^(x - max) with Kahan compensation, and divides its own term by
 * the sum. Every element of a row repeats the row's loops — rows are short in practice
 * (class counts), and it keeps the kernel a single draw.
 *
 * @example
 * ```ts
 * softmaxSource("float32", 12).key; // "softmax:float32"
 * ```
 */
export function softmaxSource(dtype: DType, rowShift: number): ProgramSource {
  return {
    key: `softmax:${dtype}`,
    fragment: () =>
      fragmentSource(
        {
          inputs: { X: dtype },
          outDtype: dtype,
          declarations: `uniform int uLen;\n${GLSL_MATH.exp}`,
          compute: `
  int start = (i / uLen) * uLen;
  float m = -infValue();
  for (int k = 0; k < uLen; k++) {
    float v = readX(start + k);
    if (isNaN(v)) ${returnFloat("v", dtype)}
    m = max(m, v);
  }
  float s = 0.0; float c_ = 0.0; float plain = 0.0;
  for (int k = 0; k < uLen; k++) ${kahanStep("expJS(readX(start + k) - m)")}
  ${returnFloat(`expJS(readX(i) - m) / (${KAHAN_RESULT})`, dtype)}`,
        },
        rowShift,
      ),
  };
}

/**
 * The fused logistic sigmoid, in the overflow-free form the CPU uses.
 *
 * @example
 * ```ts
 * sigmoidSource("float32", 12).key; // "sigmoid:float32"
 * ```
 */
export function sigmoidSource(dtype: DType, rowShift: number): ProgramSource {
  return {
    key: `sigmoid:${dtype}`,
    fragment: () =>
      fragmentSource(
        {
          inputs: { X: dtype },
          outDtype: dtype,
          declarations: GLSL_MATH.sigmoid,
          compute: `  ${returnFloat("sigmoidJS(readX(i))", dtype)}`,
        },
        rowShift,
      ),
  };
}
