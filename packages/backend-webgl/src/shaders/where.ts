import type { DType } from "@tapegrad/core";
import type { ProgramSource } from "../program_cache.js";
import { type Access, accessDeclarations, accessIndex } from "./access.js";
import { fragmentSource, reader } from "./header.js";
import { coordsFromIndex, intArrayUniform } from "./indexing.js";

/**
 * The program for `cond ? a : b` with each operand read through its own access; any non-zero
 * condition (NaN included) counts as true, as on the CPU.
 *
 * @example
 * ```ts
 * whereSource("float32", ["same", "same", "scalar"], 2, 12).key; // "where:float32:same:same:scalar:0"
 * ```
 */
export function whereSource(
  dtype: DType,
  access: readonly [Access, Access, Access],
  rank: number,
  rowShift: number,
): ProgramSource {
  const strided = access.includes("strided");
  const r = strided ? rank : 0;
  const [ac, aa, ab] = access;
  return {
    key: `where:${dtype}:${ac}:${aa}:${ab}:${r}`,
    fragment: () =>
      fragmentSource(
        {
          inputs: { C: "bool", A: dtype, B: dtype },
          outDtype: dtype,
          declarations: [
            strided ? intArrayUniform("uOutStrides", r) : "",
            accessDeclarations("C", ac, r),
            accessDeclarations("A", aa, r),
            accessDeclarations("B", ab, r),
          ].join("\n"),
          compute: [
            strided ? coordsFromIndex(r, "uOutStrides", "i") : "",
            `if (truthy(readC(${accessIndex("C", ac, r)}))) return ${reader("A", dtype)}(${accessIndex("A", aa, r)});`,
            `return ${reader("B", dtype)}(${accessIndex("B", ab, r)});`,
          ].join("\n"),
        },
        rowShift,
      ),
  };
}
