import type { FusedActivation } from "../backend.js";
import { assertDType, FLOAT_DTYPES } from "../dtype.js";
import { runComposite } from "../engine.js";
import { ArgumentError, DTypeError, ShapeError } from "../errors.js";
import type { Tensor } from "../tensor.js";
import { relu, sigmoid } from "./activations.js";
import { add } from "./binary.js";
import { clone } from "./cast.js";
import { matmul } from "./matmul.js";
import { tanh } from "./unary.js";

/**
 * A fully connected layer's forward pass, act(x·W + b), as one op: backends may run it as a
 * single fused kernel, and its gradient rule takes the activation's derivative from the
 * output (relu: y > 0, sigmoid: y(1 − y), tanh: 1 − y²), so training never re-runs it.
 *
 * @example
 * ```ts
 * const h = dense(x, w, b, "relu"); // x [batch, in], w [in, out], b [out]
 * ```
 */
export function dense(x: Tensor, w: Tensor, b: Tensor | null, activation: FusedActivation = "linear"): Tensor {
  if (!["linear", "relu", "sigmoid", "tanh"].includes(activation)) {
    throw new ArgumentError(`dense: activation "${activation}" is not one of linear, relu, sigmoid, tanh`);
  }
  if (x.rank !== 2 || w.rank !== 2) {
    throw new ShapeError(`dense: expected 2-D input and weights, got ${x.describe()} and ${w.describe()}`);
  }
  if (x.shape[1] !== w.shape[0]) {
    throw new ShapeError(`dense: inner dimensions differ: ${x.describe()} x ${w.describe()}`);
  }
  if (b !== null && (b.rank !== 1 || b.shape[0] !== w.shape[1])) {
    throw new ShapeError(`dense: bias ${b.describe()} does not match ${w.shape[1]} outputs`);
  }
  for (const t of b === null ? [x, w] : [x, w, b]) assertDType("dense", t.dtype, FLOAT_DTYPES);
  if (x.dtype !== w.dtype || (b !== null && b.dtype !== x.dtype)) {
    throw new DTypeError(`dense: operands mix dtypes ${x.dtype}, ${w.dtype}${b ? `, ${b.dtype}` : ""}`);
  }
  const inputs = b === null ? [x, w] : [x, w, b];
  const shape = [x.shape[0] as number, w.shape[1] as number];
  return runComposite(
    "dense",
    inputs,
    { activation, hasBias: b !== null },
    () => {
      using z = matmul(x, w);
      using zb = b === null ? clone(z) : add(z, b);
      switch (activation) {
        case "relu":
          return relu(zb);
        case "sigmoid":
          return sigmoid(zb);
        case "tanh":
          return tanh(zb);
        default:
          return clone(zb);
      }
    },
    { kernel: (k) => k.fused?.matmulBiasAct?.(x, w, b, activation, false, false), shape, dtype: x.dtype },
  );
}
