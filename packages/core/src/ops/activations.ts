import { assertDType, FLOAT_DTYPES } from "../dtype.js";
import { prepareInputs, runComposite } from "../engine.js";
import { ArgumentError, kindOf } from "../errors.js";
import type { Tensor } from "../tensor.js";
import { add, div, greater, greaterEqual, less, maximum, minimum, mul, sub } from "./binary.js";
import { abs, exp, log1p, neg, tanh } from "./unary.js";
import { where } from "./where.js";

// Composites free their intermediates as they go: `using` disposes each at block end.

/**
 * Logistic sigmoid 1 / (1 + e^-x), computed as 1 / (1 + e^-x) for x ≥ 0 and e^x / (1 + e^x)
 * below, so it never overflows and keeps full relative precision in the left tail. Has its
 * own gradient rule σ(1 − σ) and may run as a backend's fused kernel.
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
      // Not (tanh(x/2) + 1) / 2: that cancels to 0 for x below about -17 in float32.
      using a = abs(x);
      using na = neg(a);
      using e = exp(na);
      using nonNegative = greaterEqual(x, 0);
      using numerator = where(nonNegative, 1, e);
      using denominator = add(e, 1);
      return div(numerator, denominator);
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
  assertFinite("leakyRelu", "alpha", alpha);
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
  assertFinite("elu", "alpha", alpha);
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

/**
 * log(sigmoid(x)) = −softplus(−x), stable for large |x| (never log(0) for very negative x).
 *
 * @example
 * ```ts
 * logSigmoid(tensor([0, -1000])); // [-0.693, -1000]
 * ```
 */
export function logSigmoid(x: Tensor): Tensor {
  prepareInputs("logSigmoid", [x]);
  assertDType("logSigmoid", x.dtype, FLOAT_DTYPES);
  using nx = neg(x);
  using sp = softplus(nx);
  return neg(sp);
}

/** α and λ of SELU (Klambauer et al. 2017), to the precision PyTorch and TensorFlow use. */
const SELU_ALPHA = 1.6732632423543772;
const SELU_SCALE = 1.0507009873554805;

/**
 * Scaled ELU: λ·x for x > 0, λ·α·(e^x − 1) otherwise, with the self-normalizing constants
 * α ≈ 1.6733 and λ ≈ 1.0507.
 *
 * @example
 * ```ts
 * selu(tensor([-1, 1])); // [-1.111, 1.051]
 * ```
 */
export function selu(x: Tensor): Tensor {
  prepareInputs("selu", [x]);
  assertDType("selu", x.dtype, FLOAT_DTYPES);
  using e = elu(x, SELU_ALPHA);
  return mul(e, SELU_SCALE);
}

/**
 * GELU with the tanh approximation, 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³))), as
 * TensorFlow.js and PyTorch's `approximate="tanh"` compute it.
 *
 * @example
 * ```ts
 * gelu(tensor([-1, 0, 1])); // [-0.159, 0, 0.841]
 * ```
 */
export function gelu(x: Tensor): Tensor {
  prepareInputs("gelu", [x]);
  assertDType("gelu", x.dtype, FLOAT_DTYPES);
  using x2 = mul(x, x);
  using x3 = mul(x2, x);
  using c = mul(x3, 0.044715);
  using inner = add(x, c);
  using scaled = mul(inner, Math.sqrt(2 / Math.PI));
  using t = tanh(scaled);
  using onePlus = add(t, 1);
  using half = mul(x, 0.5);
  return mul(half, onePlus);
}

/**
 * SiLU (also called swish): x·sigmoid(x).
 *
 * @example
 * ```ts
 * silu(tensor([0, 1])); // [0, 0.731]
 * ```
 */
export function silu(x: Tensor): Tensor {
  prepareInputs("silu", [x]);
  assertDType("silu", x.dtype, FLOAT_DTYPES);
  using s = sigmoid(x);
  return mul(x, s);
}

/**
 * x / (1 + |x|), a sigmoid-shaped curve in (−1, 1) with polynomial tails.
 *
 * @example
 * ```ts
 * softsign(tensor([-3, 1])); // [-0.75, 0.5]
 * ```
 */
export function softsign(x: Tensor): Tensor {
  prepareInputs("softsign", [x]);
  assertDType("softsign", x.dtype, FLOAT_DTYPES);
  using a = abs(x);
  using d = add(a, 1);
  return div(x, d);
}

/**
 * min(max(x, 0), 6). Its gradient is 1 strictly between 0 and 6 and 0 elsewhere (also at the
 * kinks), as in TensorFlow.
 *
 * @example
 * ```ts
 * relu6(tensor([-1, 3, 8])); // [0, 3, 6]
 * ```
 */
export function relu6(x: Tensor): Tensor {
  prepareInputs("relu6", [x]);
  assertDType("relu6", x.dtype, ["int32", ...FLOAT_DTYPES]);
  using below = less(x, 6);
  using r = relu(x);
  return where(below, r, 6);
}

/**
 * Piecewise-linear sigmoid, relu6(x + 3) / 6: 0 below −3, 1 above 3, slope 1/6 between (as
 * PyTorch, JAX and Keras 3; Keras 2 used slope 0.2).
 *
 * @example
 * ```ts
 * hardSigmoid(tensor([-4, 0, 1.5])); // [0, 0.5, 0.75]
 * ```
 */
export function hardSigmoid(x: Tensor): Tensor {
  prepareInputs("hardSigmoid", [x]);
  assertDType("hardSigmoid", x.dtype, FLOAT_DTYPES);
  using shifted = add(x, 3);
  using r = relu6(shifted);
  return div(r, 6);
}

function assertFinite(op: string, name: string, value: unknown): void {
  if (typeof value !== "number" || !Number.isFinite(value)) {
    throw new ArgumentError(`${op}: ${name} is ${kindOf(value)}, expected a finite number`);
  }
}
