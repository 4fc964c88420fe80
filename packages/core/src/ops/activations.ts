import { assertDType, FLOAT_DTYPES } from "../dtype.js";
import { prepareInputs, runComposite } from "../engine.js";
import type { Tensor } from "../tensor.js";
import { add, greater, maximum, minimum, mul, sub } from "./binary.js";
import { abs, exp, log1p, neg, tanh } from "./unary.js";
import { where } from "./where.js";

// Composites free their intermediates as they go: `using` disposes each at block end.

/**
 * Logistic sigmoid 1 / (1 + e^-x), computed stably as (tanh(x/2) + 1) / 2. Has its own
 * gradient rule σ(1 − σ) and may run as a backend's fused kernel.
 *
 * @example
 * ```ts
 * sigmoid(tensor([0])); // [0.5]
 * ```
 */
export function sigmoid(x: Tensor): Tensor {
  assertDType("sigmoid", x.dtype, FLOAT_DTYPES);
  return runComposite(
    "sigmoid",
    [x],
    {},
    () => {
      using half = mul(x, 0.5);
      using t = tanh(half);
      using s = add(t, 1);
      return mul(s, 0.5);
    },
    { kernel: (b) => b.fused?.sigmoid?.(x), shape: x.shape, dtype: x.dtype },
  );
}

/**
 * max(x, 0). Its gradient at 0 is 0, as in PyTorch and TensorFlow.
 *
 * @example
 * ```ts
 * relu(tensor([-1, 2])); // [0, 2]
 * ```
 */
export function relu(x: Tensor): Tensor {
  prepareInputs("relu", [x]);
  assertDType("relu", x.dtype, ["int32", ...FLOAT_DTYPES]);
  using positive = greater(x, 0);
  return where(positive, x, 0);
}

/**
 * x for x > 0, alpha·x otherwise.
 *
 * @example
 * ```ts
 * leakyRelu(tensor([-1, 2]), 0.1); // [-0.1, 2]
 * ```
 */
export function leakyRelu(x: Tensor, alpha = 0.2): Tensor {
  prepareInputs("leakyRelu", [x]);
  assertDType("leakyRelu", x.dtype, FLOAT_DTYPES);
  using positive = greater(x, 0);
  using scaled = mul(x, alpha);
  return where(positive, x, scaled);
}

/**
 * x for x > 0, alpha·(e^x − 1) otherwise (Clevert et al. 2015).
 *
 * @example
 * ```ts
 * elu(tensor([-1, 2])); // [-0.632, 2]
 * ```
 */
export function elu(x: Tensor, alpha = 1): Tensor {
  prepareInputs("elu", [x]);
  assertDType("elu", x.dtype, FLOAT_DTYPES);
  using positive = greater(x, 0);
  // exp of min(x, 0), so the unused branch never overflows into a NaN gradient.
  using clamped = minimum(x, 0);
  using e = exp(clamped);
  using em1 = sub(e, 1);
  using negative = mul(em1, alpha);
  return where(positive, x, negative);
}

/**
 * log(1 + e^x), computed as max(x, 0) + log1p(e^-|x|) so it never overflows; its own
 * gradient rule is sigmoid(x).
 *
 * @example
 * ```ts
 * softplus(tensor([0])); // [0.693]
 * ```
 */
export function softplus(x: Tensor): Tensor {
  assertDType("softplus", x.dtype, FLOAT_DTYPES);
  return runComposite("softplus", [x], {}, () => {
    using pos = maximum(x, 0);
    using a = abs(x);
    using na = neg(a);
    using e = exp(na);
    using l = log1p(e);
    return add(pos, l);
  });
}

/**
 * The binary cross-entropy of `labels` against sigmoid(`logits`), elementwise, without ever
 * forming the probabilities: max(x, 0) − x·z + log1p(e^−|x|). Its own gradient rule is
 * (sigmoid(x) − z) for the logits.
 *
 * @example
 * ```ts
 * sigmoidCrossEntropyWithLogits(tensor([0]), tensor([1])); // [0.693]
 * ```
 */
export function sigmoidCrossEntropyWithLogits(logits: Tensor, labels: Tensor): Tensor {
  assertDType("sigmoidCrossEntropyWithLogits", logits.dtype, FLOAT_DTYPES, "logits");
  assertDType("sigmoidCrossEntropyWithLogits", labels.dtype, FLOAT_DTYPES, "labels");
  return runComposite("sigmoidCrossEntropyWithLogits", [logits, labels], {}, () => {
    using pos = maximum(logits, 0);
    using xz = mul(logits, labels);
    using a = abs(logits);
    using na = neg(a);
    using e = exp(na);
    using l = log1p(e);
    using d = sub(pos, xz);
    return add(d, l);
  });
}
