import type { DType } from "@tapegrad/core";
import type { ProgramSource } from "../program_cache.js";
import { fragmentSource, reader } from "./header.js";

/**
 * The program for gather, x viewed as [outer, len, inner] and the output as
 * [outer, count, inner]: each output element reads its index and then one element of x. An
 * index out of range gives 0 (core checks indices before the kernel runs, so this only
 * keeps a bad index from reading another tensor's texels).
 *
 * @example
 * ```ts
 * gatherSource("float32", 12).key; // "gather:float32"
 * ```
 */
export function gatherSource(dtype: DType, rowShift: number): ProgramSource {
  return {
    key: `gather:${dtype}`,
    fragment: () =>
      fragmentSource(
        {
          inputs: { X: dtype, I: "int32" },
          outDtype: dtype,
          declarations: "uniform int uCount;\nuniform int uInner;\nuniform int uLen;",
          compute: `
  int ci = uCount * uInner;
  int r = i / ci;
  int rem = i - r * ci;
  int t = rem / uInner;
  int j = rem - t * uInner;
  int v = readIi(t);
  if (v < 0 || v >= uLen) return ${dtype === "int32" ? "0" : "0.0"};
  return ${reader("X", dtype)}((r * uLen + v) * uInner + j);`,
        },
        rowShift,
      ),
  };
}

/**
 * The program for scatterAdd, the adjoint of gather: output element (r, v, j) loops over all
 * indices and adds the update of every one equal to v, in index order as the CPU does
 * (logical or for bool, exact int sums for int32). The loop is over the index count, so the
 * cost is output size × index count — fine for the gradients of gathers it exists for.
 *
 * @example
 * ```ts
 * scatterAddSource("float32", 12).key; // "scatterAdd:float32"
 * ```
 */
export function scatterAddSource(dtype: DType, rowShift: number): ProgramSource {
  const isInt = dtype === "int32";
  return {
    key: `scatterAdd:${dtype}`,
    fragment: () =>
      fragmentSource(
        {
          inputs: { U: dtype, I: "int32" },
          outDtype: dtype,
          declarations: "uniform int uCount;\nuniform int uInner;\nuniform int uLen;",
          compute: `
  int li = uLen * uInner;
  int r = i / li;
  int rem = i - r * li;
  int v = rem / uInner;
  int j = rem - v * uInner;
  int u = r * uCount * uInner + j;
  ${isInt ? "int" : "float"} acc = ${isInt ? "0" : "0.0"};
  for (int t = 0; t < uCount; t++) {
    if (readIi(t) == v) {
      ${dtype === "bool" ? "acc = max(acc, readU(u + t * uInner));" : isInt ? "acc += readUi(u + t * uInner);" : "acc += readU(u + t * uInner);"}
    }
  }
  return acc;`,
        },
        rowShift,
      ),
  };
}
