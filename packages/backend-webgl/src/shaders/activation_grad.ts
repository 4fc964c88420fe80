import type { DType, FusedActivation } from "@tapegrad/core";
import type { ProgramSource } from "../program_cache.js";
import { fragmentSource } from "./header.js";

// The derivative read from the activation's output y. `uOne` rather than the literal 1.0:
// compilers may refold arithmetic with literals, never with an opaque uniform.
const DERIVATIVE: Record<FusedActivation, string> = {
  relu: "return (!isNaN(y) && y > 0.0) ? dy : 0.0;",
  sigmoid: "return dy * (y * (uOne - y));",
  tanh: "return dy * (uOne - y * y);",
  linear: "return dy;",
};

/**
 * The fused activation gradient dy·act'(z), with the derivative taken from y = act(z): relu
 * y > 0 ? dy : 0 (0 for a NaN y), sigmoid dy·(y·(1 − y)), tanh dy·(1 − y²), linear dy —
 * the CPU backend's fused kernel, one pass instead of two or three and a bool temporary.
 *
 * @example
 * ```ts
 * activationGradSource("sigmoid", "float32", 12).key; // "activationGrad:sigmoid:float32"
 * ```
 */
export function activationGradSource(activation: FusedActivation, dtype: DType, rowShift: number): ProgramSource {
  return {
    key: `activationGrad:${activation}:${dtype}`,
    fragment: () =>
      fragmentSource(
        {
          inputs: { DY: dtype, Y: dtype },
          outDtype: dtype,
          declarations: "",
          compute: `  float dy = readDY(i);\n  float y = readY(i);\n  ${DERIVATIVE[activation]}`,
        },
        rowShift,
      ),
  };
}
