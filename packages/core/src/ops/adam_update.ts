import type { AdamHyper } from "../backend.js";
import { assertDType, FLOAT_DTYPES } from "../dtype.js";
import { getOpObserver, makeTensor, prepareInputs } from "../engine.js";
import { ArgumentError, DTypeError, ShapeError } from "../errors.js";
import { shapesEqual } from "../shape.js";
import type { Tensor } from "../tensor.js";
import { add, div, mul, sub } from "./binary.js";
import { sqrt } from "./unary.js";

/**
 * What {@link adamUpdate} returns: the next parameter value and moment estimates, as fresh
 * tensors the caller owns (typically written back with `Variable.assign`).
 *
 * @example
 * ```ts
 * const next: AdamUpdate = adamUpdate(p, g, m, v, hyper);
 * p.assign(next.param);
 * ```
 */
export interface AdamUpdate {
  readonly param: Tensor;
  readonly m: Tensor;
  readonly v: Tensor;
}

/**
 * One Adam step for one parameter, with the bias corrections folded into `stepSize`
 * (α·√(1 − β₂ᵗ)/(1 − β₁ᵗ), Kingma & Ba Section 2):
 *
 * ```
 * m' = m + (g − m)(1 − β₁)
 * v' = v + (g² − v)(1 − β₂)
 * param' = param − stepSize · m' / (√v' + ε)
 * ```
 *
 * Twelve elementwise ops composed; a backend with `fused.adamUpdate` does them in one pass
 * over the four arrays, which is most of an optimizer step's cost. The composed form runs
 * whenever autograd is differentiating an input, so recorded gradients never depend on it.
 *
 * @example
 * ```ts
 * const next = tidy(() => adamUpdate(p, g, m, v, { stepSize: 1e-3, beta1: 0.9, beta2: 0.999, epsilon: 1e-7 }));
 * ```
 */
export function adamUpdate(param: Tensor, grad: Tensor, m: Tensor, v: Tensor, hyper: AdamHyper): AdamUpdate {
  const inputs = [param, grad, m, v];
  const backend = prepareInputs("adamUpdate", inputs);
  for (const t of inputs) {
    assertDType("adamUpdate", t.dtype, FLOAT_DTYPES);
    if (t.dtype !== param.dtype) throw new DTypeError(`adamUpdate: operands mix ${param.dtype} and ${t.dtype}`);
    if (!shapesEqual(t.shape, param.shape)) {
      throw new ShapeError(`adamUpdate: operand ${t.describe()} differs from the parameter ${param.describe()}`);
    }
  }
  for (const key of ["stepSize", "beta1", "beta2", "epsilon"] as const) {
    if (typeof hyper[key] !== "number") throw new ArgumentError(`adamUpdate: ${key} must be a number`);
  }
  if (!getOpObserver()?.tracks(inputs)) {
    const ids = backend.fused?.adamUpdate?.(param, grad, m, v, hyper);
    if (ids !== undefined) {
      return {
        param: makeTensor(ids[0], param.shape, param.dtype, backend),
        m: makeTensor(ids[1], param.shape, param.dtype, backend),
        v: makeTensor(ids[2], param.shape, param.dtype, backend),
      };
    }
  }
  using gm = sub(grad, m);
  using gmScaled = mul(gm, 1 - hyper.beta1);
  const m1 = add(m, gmScaled);
  using g2 = mul(grad, grad);
  using g2v = sub(g2, v);
  using g2vScaled = mul(g2v, 1 - hyper.beta2);
  const v1 = add(v, g2vScaled);
  using step = mul(m1, hyper.stepSize);
  using root = sqrt(v1);
  using denominator = add(root, hyper.epsilon);
  using delta = div(step, denominator);
  return { param: sub(param, delta), m: m1, v: v1 };
}
