import type { FusedActivation } from "../backend.js";
import { assertDType, FLOAT_DTYPES } from "../dtype.js";
import { prepareInputs, runFusable } from "../engine.js";
import { ArgumentError, DTypeError, ShapeError } from "../errors.js";
import { shapesEqual } from "../shape.js";
import type { Tensor } from "../tensor.js";
import { square } from "./arithmetic.js";
import { greater, mul, sub } from "./binary.js";
import { clone } from "./cast.js";
import { where } from "./where.js";

/**
 * The backward step of an activation taken from its output: dy ⊙ act'(z) where y = act(z)
 * (relu: y > 0 ? dy : 0, sigmoid: dy·y(1 − y), tanh: dy·(1 − y²), linear: dy). This is what a
 * dense layer's gradient rule needs, so it never keeps z or re-runs the activation. Backends
 * may compute it in one fused pass; while autograd differentiates dy or y (higher-order
 * gradients) it runs as the primitives above, so gradients never depend on the fused kernel.
 *
 * @example
 * ```ts
 * const y = relu(z);
 * const dz = activationGrad(dy, y, "relu"); // dy where z > 0, else 0
 * ```
 */
export function activationGrad(dy: Tensor, y: Tensor, activation: FusedActivation): Tensor {
  prepareInputs("activationGrad", [dy, y]);
  if (!["linear", "relu", "sigmoid", "tanh"].includes(activation)) {
    throw new ArgumentError(`activationGrad: activation "${activation}" is not one of linear, relu, sigmoid, tanh`);
  }
  assertDType("activationGrad", dy.dtype, FLOAT_DTYPES);
  if (dy.dtype !== y.dtype) throw new DTypeError(`activationGrad: dy is ${dy.dtype} but y is ${y.dtype}`);
  if (!shapesEqual(dy.shape, y.shape)) {
    throw new ShapeError(`activationGrad: dy ${dy.describe()} and y ${y.describe()} differ in shape`);
  }
  if (activation === "linear") return clone(dy);
  return runFusable(
    "activationGrad",
    [dy, y],
    () => {
      switch (activation) {
        case "relu": {
          using positive = greater(y, 0);
          return where(positive, dy, 0);
        }
        case "sigmoid": {
          using oneMinus = sub(1, y);
          using d = mul(y, oneMinus);
          return mul(dy, d);
        }
        default: {
          using y2 = square(y);
          using d = sub(1, y2);
          return mul(dy, d);
        }
      }
    },
    { kernel: (b) => b.fused?.activationGrad?.(dy, y, activation), shape: dy.shape, dtype: dy.dtype },
  );
}
