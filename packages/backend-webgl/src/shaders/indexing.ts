/**
 * GLSL for turning a flat row-major index into coordinates: declares `int c0 … c{rank-1}` from
 * `index`, using the row-major strides in the int array uniform `strides`. Integer division
 * runs once per axis per fragment, not once per fetched element.
 *
 * @example
 * ```ts
 * coordsFromIndex(2, "uOutStrides", "i");
 * // int c0; int c1; { int r_ = i; c0 = r_ / uOutStrides[0]; r_ -= c0 * uOutStrides[0]; c1 = r_; }
 * ```
 */
export function coordsFromIndex(rank: number, strides: string, index: string, prefix = "c"): string {
  if (rank === 0) return "";
  const lines: string[] = [];
  for (let d = 0; d < rank; d++) lines.push(`int ${prefix}${d};`);
  lines.push(`{ int r_ = ${index};`);
  for (let d = 0; d < rank - 1; d++) {
    lines.push(`${prefix}${d} = r_ / ${strides}[${d}]; r_ -= ${prefix}${d} * ${strides}[${d}];`);
  }
  lines.push(`${prefix}${rank - 1} = r_; }`);
  return lines.join("\n");
}

/**
 * GLSL expression for the flat offset `base + Σ c_d · strides[d]` of coordinates made by
 * {@link coordsFromIndex}. A zero stride repeats an element (broadcasting).
 *
 * @example
 * ```ts
 * offsetExpression(2, "uAStrides", "uABase"); // "uABase + c0 * uAStrides[0] + c1 * uAStrides[1]"
 * ```
 */
export function offsetExpression(rank: number, strides: string, base = "0", prefix = "c"): string {
  const terms = [base];
  for (let d = 0; d < rank; d++) terms.push(`${prefix}${d} * ${strides}[${d}]`);
  return terms.join(" + ");
}

/**
 * Declaration of an int array uniform of `length` entries; GLSL forbids empty arrays, so a
 * rank-0 operand still declares one (unused) entry.
 *
 * @example
 * ```ts
 * intArrayUniform("uOutStrides", 0); // "uniform int uOutStrides[1];"
 * ```
 */
export function intArrayUniform(name: string, length: number): string {
  return `uniform int ${name}[${Math.max(length, 1)}];`;
}

/**
 * Row-major strides padded to at least one entry, as values for {@link intArrayUniform}.
 *
 * @example
 * ```ts
 * uniformArray([]); // [0]
 * ```
 */
export function uniformArray(values: readonly number[]): readonly number[] {
  return values.length === 0 ? [0] : values;
}
