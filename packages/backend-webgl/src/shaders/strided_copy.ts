import type { DType } from "@tapegrad/core";
import type { ProgramSource } from "../program_cache.js";
import { fragmentSource, reader, valueType } from "./header.js";
import { coordsFromIndex, intArrayUniform, offsetExpression } from "./indexing.js";

/**
 * The program behind transpose, broadcastTo and slice: output element i at coordinates c
 * reads input element `uXBase + Σ c_d · uXStrides[d]`. A permutation permutes the strides, a
 * broadcast zeroes them, a slice starts at an offset — one program per rank serves all three.
 *
 * @example
 * ```ts
 * stridedCopySource("float32", 2, 12).key; // "strided:float32:2"
 * ```
 */
export function stridedCopySource(dtype: DType, rank: number, rowShift: number): ProgramSource {
  return {
    key: `strided:${dtype}:${rank}`,
    fragment: () =>
      fragmentSource(
        {
          inputs: { X: dtype },
          outDtype: dtype,
          declarations: [
            intArrayUniform("uOutStrides", rank),
            intArrayUniform("uXStrides", rank),
            "uniform int uXBase;",
          ].join("\n"),
          compute: [
            coordsFromIndex(rank, "uOutStrides", "i"),
            `return ${reader("X", dtype)}(${offsetExpression(rank, "uXStrides", "uXBase")});`,
          ].join("\n"),
        },
        rowShift,
      ),
  };
}

/**
 * The program for pad: output coordinates shifted back by the leading padding; any that fall
 * outside the input give `uValue` (already converted to the dtype).
 *
 * @example
 * ```ts
 * padSource("float32", 2, 12).key; // "pad:float32:2"
 * ```
 */
export function padSource(dtype: DType, rank: number, rowShift: number): ProgramSource {
  return {
    key: `pad:${dtype}:${rank}`,
    fragment: () => {
      const body: string[] = [coordsFromIndex(rank, "uOutStrides", "i"), "int off = 0;"];
      for (let d = 0; d < rank; d++) {
        body.push(
          `{ int t = c${d} - uBefore[${d}]; if (t < 0 || t >= uInShape[${d}]) return uValue; off += t * uXStrides[${d}]; }`,
        );
      }
      body.push(`return ${reader("X", dtype)}(off);`);
      return fragmentSource(
        {
          inputs: { X: dtype },
          outDtype: dtype,
          declarations: [
            intArrayUniform("uOutStrides", rank),
            intArrayUniform("uBefore", rank),
            intArrayUniform("uInShape", rank),
            intArrayUniform("uXStrides", rank),
            `uniform ${valueType(dtype)} uValue;`,
          ].join("\n"),
          compute: body.join("\n"),
        },
        rowShift,
      );
    },
  };
}

/**
 * The program that joins `count` inputs along an axis, the output viewed as
 * [outer, axisTotal, inner]: each fragment finds which input its axis position falls in by
 * comparing with the inputs' start positions (GLSL cannot index an array of samplers with a
 * variable, hence the chain of comparisons, and why the kernel joins at most a few inputs per
 * draw).
 *
 * @example
 * ```ts
 * concatSource("float32", 3, 12).key; // "concat:float32:3"
 * ```
 */
export function concatSource(dtype: DType, count: number, rowShift: number): ProgramSource {
  const inputs = Object.fromEntries(Array.from({ length: count }, (_, k) => [`X${k}`, dtype]));
  return {
    key: `concat:${dtype}:${count}`,
    fragment: () => {
      const body = [
        "int rowLen = uAxisTotal * uInner;",
        "int o = i / rowLen;",
        "int rem = i - o * rowLen;",
        "int a = rem / uInner;",
        "int j = rem - a * uInner;",
      ];
      for (let k = 0; k < count; k++) {
        const read = `return ${reader(`X${k}`, dtype)}((o * uLen[${k}] + a - uStart[${k}]) * uInner + j);`;
        body.push(k < count - 1 ? `if (a < uStart[${k + 1}]) ${read}` : read);
      }
      return fragmentSource(
        {
          inputs,
          outDtype: dtype,
          declarations: `uniform int uAxisTotal;\nuniform int uInner;\nuniform int uStart[${count}];\nuniform int uLen[${count}];`,
          compute: body.join("\n"),
        },
        rowShift,
      );
    },
  };
}
