import { assertDType, FLOAT_DTYPES } from "../dtype.js";
import { runComposite } from "../engine.js";
import { normalizeAxes, normalizeAxis } from "../shape.js";
import type { Tensor } from "../tensor.js";
import { add, div, sub } from "./binary.js";
import { max, reducedShape, sum } from "./reduce.js";
import { reshape } from "./reshape.js";
import { finiteOrZero } from "./stop.js";
import { exp, log } from "./unary.js";

/**
 * log Σ e^x over `axis`, stable for large x (the max is subtracted first). Has its own
 * gradient rule: softmax(x).
 *
 * @example
 * ```ts
 * logSumExp(tensor([1000, 1000])); // 1000.693
 * ```
 */
export function logSumExp(x: Tensor, axis: number | readonly number[] = -1, keepDims = false): Tensor {
  assertDType("logSumExp", x.dtype, FLOAT_DTYPES);
  const axes = normalizeAxes("logSumExp", axis, x.rank);
  return runComposite("logSumExp", [x], { axes, keepDims }, () => {
    using m = max(x, axes, true);
    // An all -Infinity row would give NaN from -inf - -inf; shift by 0 there instead.
    using safe = finiteOrZero(m);
    using shifted = sub(x, safe);
    using e = exp(shifted);
    using s = sum(e, axes, true);
    using l = log(s);
    using y = add(l, safe);
    return reshape(y, reducedShape(x.shape, axes, keepDims));
  });
}

/**
 * e^x / Σ e^x along `axis` (default: last). Has its own gradient rule and may run as a
 * backend's fused kernel.
 *
 * @example
 * ```ts
 * softmax(tensor([[1, 1]])); // [[0.5, 0.5]]
 * ```
 */
export function softmax(x: Tensor, axis = -1): Tensor {
  assertDType("softmax", x.dtype, FLOAT_DTYPES);
  const a = normalizeAxis("softmax", axis, x.rank);
  return runComposite(
    "softmax",
    [x],
    { axis: a },
    () => {
      using m = max(x, a, true);
      using safe = finiteOrZero(m);
      using shifted = sub(x, safe);
      using e = exp(shifted);
      using s = sum(e, a, true);
      return div(e, s);
    },
    { kernel: (b) => (a === x.rank - 1 ? b.fused?.softmax?.(x) : undefined), shape: x.shape, dtype: x.dtype },
  );
}

/**
 * log(softmax(x)) along `axis`, computed as x − logSumExp(x) (stable). Has its own rule.
 *
 * @example
 * ```ts
 * logSoftmax(tensor([[0, 0]])); // [[-0.693, -0.693]]
 * ```
 */
export function logSoftmax(x: Tensor, axis = -1): Tensor {
  assertDType("logSoftmax", x.dtype, FLOAT_DTYPES);
  const a = normalizeAxis("logSoftmax", axis, x.rank);
  return runComposite("logSoftmax", [x], { axis: a }, () => {
    using l = logSumExp(x, a, true);
    return sub(x, l);
  });
}
