import type { DType } from "@tapegrad/core";

/**
 * What a kernel's fragment program is made of; {@link fragmentSource} wraps it in the shared
 * header (precision, NaN helpers, input fetches) and the `main` that maps the fragment to
 * its output element.
 *
 * @example
 * ```ts
 * const spec: FragmentSpec = {
 *   inputs: { X: "float32" },
 *   outDtype: "float32",
 *   declarations: "",
 *   compute: "return -readX(i);",
 * };
 * ```
 */
export interface FragmentSpec {
  /**
   * Sampler names and the dtype each holds. Each gets `float read<Name>(int i)` and
   * `int read<Name>i(int i)`; the second is exact for int32 inputs (R32I textures), which
   * integer kernels use so values past 2^24 keep every bit.
   */
  readonly inputs: Readonly<Record<string, DType>>;
  /**
   * Dtype of the output. For int32 the body returns `int` (written to an R32I texture as
   * is); otherwise it returns `float`, converted to 0/1 for bool.
   */
  readonly outDtype: DType;
  /** Uniforms and helper functions the body uses. */
  readonly declarations: string;
  /** Body of `compute(int i)`: the value of output element i (flat row-major index). */
  readonly compute: string;
}

/**
 * Helpers every program gets, plus the uniform `uOne` (always 1.0): compilers may fold
 * arithmetic with literals in ways IEEE forbids, never arithmetic with an opaque uniform.
 * NaN and infinity are recognised from their bits because GLSL does not promise IEEE
 * comparisons (some compilers fold `x != x` to false); they are made the same way because
 * GLSL has no literal for them. `toInt32` is JavaScript's ToInt32 (truncate, NaN and ±∞ to
 * 0, wrap modulo 2^32), the conversion the CPU backend's Int32Array stores perform.
 */
const HELPERS = `
float nanValue() { return uintBitsToFloat(0x7fc00000u); }
float infValue() { return uintBitsToFloat(0x7f800000u); }
bool isNaN(float x) { return (floatBitsToUint(x) & 0x7fffffffu) > 0x7f800000u; }
bool isInf(float x) { return (floatBitsToUint(x) & 0x7fffffffu) == 0x7f800000u; }
bool truthy(float x) { return x != 0.0 || isNaN(x); }
int toInt32(float v) {
  if (isNaN(v) || isInf(v)) return 0;
  v = trunc(v);
  if (abs(v) >= 2147483648.0) {
    v -= 4294967296.0 * floor(v / 4294967296.0);
    if (v >= 2147483648.0) v -= 4294967296.0;
  }
  return int(v);
}
`;

/**
 * The GLSL type `compute` returns for an output of `dtype`: int for int32, float otherwise.
 *
 * @example
 * ```ts
 * valueType("int32"); // "int"
 * ```
 */
export function valueType(dtype: DType): "int" | "float" {
  return dtype === "int32" ? "int" : "float";
}

/**
 * The GLSL function that reads input `name` in the representation an output of `dtype`
 * needs: `read<Name>i` (exact int) for int32, `read<Name>` (float) otherwise.
 *
 * @example
 * ```ts
 * reader("X", "int32"); // "readXi"
 * ```
 */
export function reader(name: string, dtype: DType): string {
  return dtype === "int32" ? `read${name}i` : `read${name}`;
}

/**
 * A `return` of the float expression `expr` as a value of `outDtype`: converted by
 * `toInt32` for int32, unchanged otherwise.
 *
 * @example
 * ```ts
 * returnFloat("sigmoidJS(z)", "int32"); // "return toInt32(sigmoidJS(z));"
 * ```
 */
export function returnFloat(expr: string, outDtype: DType): string {
  return outDtype === "int32" ? `return toInt32(${expr});` : `return ${expr};`;
}

function inputDeclarations(name: string, dtype: DType): string {
  const coords = "ivec2(i & ROW_MASK, i >> ROW_SHIFT)";
  if (dtype === "int32") {
    return (
      `uniform highp isampler2D ${name};\n` +
      `int read${name}i(int i) { return texelFetch(${name}, ${coords}, 0).r; }\n` +
      `float read${name}(int i) { return float(read${name}i(i)); }`
    );
  }
  return (
    `uniform highp sampler2D ${name};\n` +
    `float read${name}(int i) { return texelFetch(${name}, ${coords}, 0).r; }\n` +
    `int read${name}i(int i) { return int(read${name}(i)); }`
  );
}

/**
 * The complete GLSL ES 3.00 fragment source for `spec` on a device whose tensor textures are
 * `2^rowShift` texels wide. Output element i is the texel at (i mod W, i div W); fragments past
 * the tensor's end (the unused tail of the last row) write 0.
 *
 * @example
 * ```ts
 * fragmentSource({ inputs: { X: "float32" }, outDtype: "float32", declarations: "", compute: "return readX(i);" }, 12);
 * ```
 */
export function fragmentSource(spec: FragmentSpec, rowShift: number): string {
  const reads = Object.entries(spec.inputs)
    .map(([name, dtype]) => inputDeclarations(name, dtype))
    .join("\n");
  const isInt = spec.outDtype === "int32";
  const T = valueType(spec.outDtype);
  const store = spec.outDtype === "bool" ? "truthy(v) ? 1.0 : 0.0" : "v";
  return `#version 300 es
precision highp float;
precision highp int;
#define ROW_SHIFT ${rowShift}
#define ROW_MASK ${(1 << rowShift) - 1}
uniform int uOutSize;
uniform float uOne;
out ${isInt ? "ivec4" : "vec4"} fragColor;
${HELPERS}
${reads}
${spec.declarations}
${T} compute(int i) {
${spec.compute}
}
void main() {
  int i = (int(gl_FragCoord.y) << ROW_SHIFT) + int(gl_FragCoord.x);
  ${T} v = ${isInt ? "0" : "0.0"};
  if (i < uOutSize) v = compute(i);
  fragColor = ${isInt ? "ivec4" : "vec4"}(${store}, 0, 0, 0);
}
`;
}
