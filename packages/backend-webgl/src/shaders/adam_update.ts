import type { DType } from "@tapegrad/core";
import type { ProgramSource } from "../program_cache.js";
import { fragmentSource } from "./header.js";

/**
 * Which of Adam's three outputs a program writes: the parameter, the first or the second
 * moment.
 *
 * @example
 * ```ts
 * const part: AdamPart = "m";
 * ```
 */
export type AdamPart = "param" | "m" | "v";

// m' and v' are recomputed in each program (a fragment program writes one texture here);
// param' uses exactly the m' and v' the other two programs store.
const MOMENTS = `
  float g = readG(i);
  float m1 = readM(i) + (g - readM(i)) * uC1;
  float v1 = readV(i) + (g * g - readV(i)) * uC2;`;

const RESULT: Record<AdamPart, string> = {
  param: "return readP(i) - (m1 * uStep) / (sqrt(v1) + uEps);",
  m: "return m1;",
  v: "return v1;",
};

/**
 * One output of the fused Adam step: m' = m + (g − m)·uC1, v' = v + (g² − v)·uC2,
 * param' = param − uStep·m'/(√v' + uEps), with uC1 = 1 − β₁ and uC2 = 1 − β₂ as uniforms —
 * the CPU backend's fused kernel as three draws instead of twelve elementwise passes.
 *
 * @example
 * ```ts
 * adamUpdateSource("param", "float32", 12).key; // "adamUpdate:param:float32"
 * ```
 */
export function adamUpdateSource(part: AdamPart, dtype: DType, rowShift: number): ProgramSource {
  return {
    key: `adamUpdate:${part}:${dtype}`,
    fragment: () =>
      fragmentSource(
        {
          inputs: { P: dtype, G: dtype, M: dtype, V: dtype },
          outDtype: dtype,
          declarations: "uniform float uC1;\nuniform float uC2;\nuniform float uStep;\nuniform float uEps;",
          compute: `${MOMENTS}\n  ${RESULT[part]}`,
        },
        rowShift,
      ),
  };
}
