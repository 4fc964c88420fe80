import { assertDType, NUMERIC_DTYPES, promoteTypes } from "../dtype.js";
import { prepareInputs, runOp } from "../engine.js";
import { ShapeError } from "../errors.js";
import { broadcastShapes, formatShape } from "../shape.js";
import type { Tensor } from "../tensor.js";
import { withCasts } from "./operand.js";

/**
 * Options of {@link matmul}: transpose the last two axes of an operand inside the kernel
 * (no transposed copy is made).
 *
 * @example
 * ```ts
 * const opts: MatmulOptions = { transposeB: true };
 * ```
 */
export interface MatmulOptions {
  transposeA?: boolean;
  transposeB?: boolean;
}

/**
 * Matrix product of the last two axes, batched over the leading axes with broadcasting.
 *
 * @example
 * ```ts
 * matmul(ones([256, 784]), ones([784, 128])).shape; // [256, 128]
 * matmul(x, w, { transposeB: true }); // x · wᵀ
 * ```
 */
export function matmul(a: Tensor, b: Tensor, options: MatmulOptions = {}): Tensor {
  const transposeA = options.transposeA ?? false;
  const transposeB = options.transposeB ?? false;
  if (a.rank < 2 || b.rank < 2) {
    throw new ShapeError(`matmul: operands must have rank >= 2, got ${formatShape(a.shape)} x ${formatShape(b.shape)}`);
  }
  assertDType("matmul", a.dtype, NUMERIC_DTYPES, "first operand");
  assertDType("matmul", b.dtype, NUMERIC_DTYPES, "second operand");
  const [m, ka] = lastTwo(a.shape, transposeA);
  const [kb, n] = lastTwo(b.shape, transposeB);
  if (ka !== kb) {
    const t = (flag: boolean) => (flag ? "ᵀ" : "");
    throw new ShapeError(
      `matmul: inner dimensions differ: ${formatShape(a.shape)}${t(transposeA)} x ${formatShape(b.shape)}${t(transposeB)}`,
    );
  }
  const batch = broadcastShapes("matmul", a.shape.slice(0, -2), b.shape.slice(0, -2));
  const outShape = [...batch, m, n];
  const dtype = promoteTypes(a.dtype, b.dtype);
  prepareInputs("matmul", [a, b]);
  return withCasts([a, b], dtype, ([ca, cb]) =>
    runOp(
      "matmul",
      [ca, cb],
      { transposeA, transposeB },
      (k) => k.matmul(ca, cb, transposeA, transposeB, outShape),
      outShape,
      dtype,
    ),
  );
}

function lastTwo(shape: readonly number[], transposed: boolean): [number, number] {
  const r = shape[shape.length - 2] as number;
  const c = shape[shape.length - 1] as number;
  return transposed ? [c, r] : [r, c];
}
