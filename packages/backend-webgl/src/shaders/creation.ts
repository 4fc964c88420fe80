import type { DType } from "@tapegrad/core";
import type { ProgramSource } from "../program_cache.js";
import { fragmentSource, returnFloat, valueType } from "./header.js";

/**
 * The program that sets every element to `uValue` (an int uniform for int32, already
 * converted by ToInt32; bool is made 0/1 on the way out).
 *
 * @example
 * ```ts
 * fillSource("int32", 12).key; // "fill:int32"
 * ```
 */
export function fillSource(dtype: DType, rowShift: number): ProgramSource {
  return {
    key: `fill:${dtype}`,
    fragment: () =>
      fragmentSource(
        {
          inputs: {},
          outDtype: dtype,
          declarations: `uniform ${valueType(dtype)} uValue;`,
          compute: "  return uValue;",
        },
        rowShift,
      ),
  };
}

/**
 * The program for `uStart + i · uStep`, each element computed from its index so no rounding
 * error accumulates along the range. With `integerSteps` (int32 output, integer start and
 * step) it runs in int, wrapping exactly as ToInt32 of the exact value does; otherwise in
 * float32.
 *
 * @example
 * ```ts
 * arangeSource("float32", false, 12).key; // "arange:float32:float"
 * ```
 */
export function arangeSource(dtype: DType, integerSteps: boolean, rowShift: number): ProgramSource {
  const isInt = dtype === "int32" && integerSteps;
  return {
    key: `arange:${dtype}:${isInt ? "int" : "float"}`,
    fragment: () =>
      fragmentSource(
        {
          inputs: {},
          outDtype: dtype,
          declarations: isInt
            ? "uniform int uStart;\nuniform int uStep;"
            : "uniform float uStart;\nuniform float uStep;",
          compute: isInt ? "  return uStart + i * uStep;" : `  ${returnFloat("uStart + float(i) * uStep", dtype)}`,
        },
        rowShift,
      ),
  };
}
