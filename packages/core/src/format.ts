import type { DType, TypedArray } from "./dtype.js";
import type { Shape } from "./shape.js";

const EDGE = 3;
const THRESHOLD = 1000;

function formatValue(v: number, dtype: DType): string {
  if (dtype === "bool") return v !== 0 ? "true" : "false";
  if (dtype === "int32") return String(v);
  if (Number.isNaN(v)) return "nan";
  if (!Number.isFinite(v)) return v > 0 ? "inf" : "-inf";
  if (Number.isInteger(v) && Math.abs(v) < 1e16) return `${v}.`;
  const a = Math.abs(v);
  if (a < 1e-4 || a >= 1e16) return v.toExponential(4);
  const precision = dtype === "float64" ? 8 : 5;
  if (a < 1) return String(Number(v.toPrecision(precision)));
  // Keep every integer digit: toPrecision would print 123456.7 as 123460.
  const decimals = Math.max(0, precision - (Math.floor(Math.log10(a)) + 1));
  const fixed = v.toFixed(decimals);
  return fixed.includes(".") ? fixed.replace(/0+$/, "") : `${fixed}.`;
}

/**
 * NumPy-style text for a tensor's values: nested brackets, aligned columns, and `...` in
 * place of the middle of any axis longer than 6 when the tensor has over 1000 elements.
 *
 * @example
 * ```ts
 * formatTensor(new Float32Array([1, 2, 3, 4]), [2, 2], "float32");
 * // "tensor([[1., 2.],\n        [3., 4.]], dtype=float32)"
 * ```
 */
export function formatTensor(values: TypedArray, shape: Shape, dtype: DType): string {
  const summarize = values.length > THRESHOLD;
  const strides: number[] = [];
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    strides[i] = s;
    s *= shape[i] as number;
  }
  const shown = (dim: number): number[] => {
    const n = shape[dim] as number;
    if (!summarize || n <= 2 * EDGE) return Array.from({ length: n }, (_, i) => i);
    return [...Array.from({ length: EDGE }, (_, i) => i), -1, ...Array.from({ length: EDGE }, (_, i) => n - EDGE + i)];
  };
  const cells: string[] = [];
  const visit = (dim: number, offset: number): void => {
    if (dim === shape.length) {
      cells.push(formatValue(values[offset] as number, dtype));
      return;
    }
    for (const i of shown(dim)) if (i >= 0) visit(dim + 1, offset + i * (strides[dim] as number));
  };
  visit(0, 0);
  const width = Math.max(0, ...cells.map((c) => c.length));
  let k = 0;
  const prefix = "tensor(";
  const render = (dim: number, indent: string): string => {
    if (dim === shape.length) return (cells[k++] as string).padStart(width);
    const parts = shown(dim).map((i) => (i < 0 ? "..." : render(dim + 1, `${indent} `)));
    const sep = dim === shape.length - 1 ? ", " : `,${"\n".repeat(shape.length - 1 - dim)}${indent} `;
    return `[${parts.join(sep)}]`;
  };
  const body = render(0, " ".repeat(prefix.length));
  return `${prefix}${body}, dtype=${dtype})`;
}
