import type { FusedKernels } from "./backend.js";

/**
 * One entry of the op catalogue.
 *
 * @example
 * ```ts
 * const e: OpInfo = { name: "exp", kind: "primitive", differentiable: true, ownRule: true };
 * ```
 */
export interface OpInfo {
  readonly name: string;
  /** A backend kernel, or built from primitives in core. */
  readonly kind: "primitive" | "composite";
  /** Whether gradients flow through it (false for comparisons, rounding, indices, creation). */
  readonly differentiable: boolean;
  /**
   * Whether autograd must hold a rule for this name: every differentiable primitive, and the
   * composites that record as one op for numerical stability or speed.
   */
  readonly ownRule: boolean;
  /** The optional fused kernel a backend may supply for it. */
  readonly fused?: keyof FusedKernels;
}

const prim = (name: string, differentiable = true): OpInfo => ({
  name,
  kind: "primitive",
  differentiable,
  ownRule: differentiable,
});
const comp = (name: string, ownRule = false, fused?: keyof FusedKernels): OpInfo =>
  fused === undefined
    ? { name, kind: "composite", differentiable: true, ownRule }
    : { name, kind: "composite", differentiable: true, ownRule, fused };
const inert = (name: string): OpInfo => ({ name, kind: "composite", differentiable: false, ownRule: false });

/**
 * Every op core offers, with what autograd and backends must provide for it. Tests enumerate
 * it (a differentiable op without a gradient rule or property test fails the suite) and the
 * docs build renders the support matrix from it.
 *
 * @example
 * ```ts
 * OP_CATALOGUE.filter((op) => op.ownRule).map((op) => op.name); // names autograd must cover
 * ```
 */
export const OP_CATALOGUE: readonly OpInfo[] = [
  // Elementwise unary primitives.
  ...["neg", "exp", "log", "log1p", "sqrt", "abs", "sin", "cos", "tanh", "reciprocal"].map((n) => prim(n)),
  ...["sign", "floor", "ceil", "round", "logicalNot"].map((n) => prim(n, false)),
  // Elementwise binary primitives.
  ...["add", "sub", "mul", "div", "pow", "maximum", "minimum"].map((n) => prim(n)),
  ...["equal", "notEqual", "less", "lessEqual", "greater", "greaterEqual", "logicalAnd", "logicalOr"].map((n) =>
    prim(n, false),
  ),
  prim("where"),
  prim("cast"),
  // Reductions.
  prim("sum"),
  prim("max"),
  prim("min"),
  prim("argmax", false),
  prim("argmin", false),
  // Linear algebra.
  prim("matmul"),
  // Movement.
  prim("reshape"),
  prim("transpose"),
  prim("broadcastTo"),
  prim("slice"),
  prim("pad"),
  prim("concat"),
  prim("gather"),
  prim("scatterAdd"),
  // Composites with their own rule.
  comp("sigmoid", true, "sigmoid"),
  comp("softplus", true),
  comp("logSumExp", true),
  comp("softmax", true, "softmax"),
  comp("logSoftmax", true),
  comp("sigmoidCrossEntropyWithLogits", true),
  comp("dense", true, "matmulBiasAct"),
  // Training-step helpers: composites a backend may fuse into one pass.
  comp("activationGrad", false, "activationGrad"),
  { name: "adamUpdate", kind: "composite", differentiable: false, ownRule: false, fused: "adamUpdate" },
  // Composites differentiated through their primitives.
  ...["relu", "leakyRelu", "elu", "square", "clip", "mean", "variance", "std"].map((n) => comp(n)),
  ...["logSigmoid", "selu", "gelu", "silu", "softsign", "relu6", "hardSigmoid", "norm"].map((n) => comp(n)),
  ...["expandDims", "squeeze", "flatten", "stack", "split", "clone", "tile", "unstack"].map((n) => comp(n)),
  ...["isNaN", "isFinite"].map(inert),
];

/**
 * Looks up an op by name.
 *
 * @example
 * ```ts
 * opInfo("softmax")?.fused; // "softmax"
 * ```
 */
export function opInfo(name: string): OpInfo | undefined {
  return OP_CATALOGUE.find((op) => op.name === name);
}
