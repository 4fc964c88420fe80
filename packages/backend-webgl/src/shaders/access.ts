import { type Shape, sizeOf, stridesOf } from "@tapegrad/core";
import type { UniformValues } from "../dispatch.js";
import { intArrayUniform, offsetExpression } from "./indexing.js";

/**
 * How an elementwise kernel finds an operand's element for output element i, cheapest first:
 * `same` (same size as the output: index i), `scalar` (index 0), `tile` (the operand's shape
 * is a suffix of the output's, as a bias is: index i mod size) and `strided` (general NumPy
 * broadcasting through per-axis strides, 0 on broadcast axes). Bias adds and same-shape
 * arithmetic, nearly all of training, never pay for per-axis index math.
 *
 * @example
 * ```ts
 * accessOf([784], [8, 784]); // "tile"
 * ```
 */
export type Access = "same" | "scalar" | "tile" | "strided";

/**
 * The cheapest {@link Access} that reads `shape` broadcast to `outShape`.
 *
 * @example
 * ```ts
 * accessOf([8, 1], [8, 784]); // "strided"
 * ```
 */
export function accessOf(shape: Shape, outShape: Shape): Access {
  const size = sizeOf(shape);
  if (size === sizeOf(outShape)) return "same";
  if (size === 1) return "scalar";
  let first = 0;
  while (first < shape.length && shape[first] === 1) first++;
  const core = shape.slice(first);
  const tail = outShape.slice(outShape.length - core.length);
  if (core.every((d, k) => d === tail[k])) return "tile";
  return "strided";
}

/**
 * Strides of `shape` broadcast to `outShape` (right-aligned; 0 where the operand repeats).
 *
 * @example
 * ```ts
 * broadcastStrides([3, 1], [2, 3, 4]); // [0, 1, 0]
 * ```
 */
export function broadcastStrides(shape: Shape, outShape: Shape): number[] {
  const strides = stridesOf(shape);
  const offset = outShape.length - shape.length;
  return outShape.map((d, k) => {
    const j = k - offset;
    return j < 0 || (shape[j] === 1 && d !== 1) ? 0 : (strides[j] as number);
  });
}

/**
 * GLSL uniform declarations operand `name` needs for `access` at output rank `rank`.
 *
 * @example
 * ```ts
 * accessDeclarations("B", "tile", 2); // "uniform int uBSize;"
 * ```
 */
export function accessDeclarations(name: string, access: Access, rank: number): string {
  if (access === "tile") return `uniform int u${name}Size;`;
  if (access === "strided") return intArrayUniform(`u${name}Strides`, rank);
  return "";
}

/**
 * GLSL expression for operand `name`'s flat index of output element `i`; `strided` uses the
 * coordinates c0… that {@link coordsFromIndex} declares.
 *
 * @example
 * ```ts
 * accessIndex("A", "same", 2); // "i"
 * ```
 */
export function accessIndex(name: string, access: Access, rank: number): string {
  switch (access) {
    case "same":
      return "i";
    case "scalar":
      return "0";
    case "tile":
      return `i % u${name}Size`;
    case "strided":
      return offsetExpression(rank, `u${name}Strides`);
  }
}

/**
 * Uniform values for operand `name` read through `access`.
 *
 * @example
 * ```ts
 * accessUniforms("B", "tile", [784], [8, 784]); // { uBSize: 784 }
 * ```
 */
export function accessUniforms(name: string, access: Access, shape: Shape, outShape: Shape): UniformValues {
  if (access === "tile") return { [`u${name}Size`]: sizeOf(shape) };
  if (access === "strided") {
    const s = broadcastStrides(shape, outShape);
    return { [`u${name}Strides`]: s.length === 0 ? [0] : s };
  }
  return {};
}
