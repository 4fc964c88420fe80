import type { DType, Tensor } from "@tapegrad/core";
import * as core from "@tapegrad/core";
import { expectClose } from "../../close.js";
import { typedArrayOf } from "../../description.js";
import type { ConformanceCase, ConformanceContext } from "../harness.js";
import { FLOATS } from "./dtypes.js";

const INF = Number.POSITIVE_INFINITY;
const NAN = Number.NaN;

interface Example {
  readonly op: string;
  readonly title: string;
  /** Inputs as [values, dtype] (the case's float dtype when omitted). */
  readonly inputs: readonly (readonly number[] | readonly [readonly number[], DType])[];
  readonly run: (...xs: Tensor[]) => Tensor;
  readonly expected: readonly number[];
  /** Compare with the transcendental tolerance of the result's dtype instead of exactly. */
  readonly loose?: boolean;
}

// Documented values at the edges, where a kernel that is right on ordinary inputs still goes
// wrong: infinities, NaN propagation, overflow-safe composites, ties.
const EXAMPLES: readonly Example[] = [
  { op: "log", title: "log(0) = -Infinity", inputs: [[0, 1]], run: core.log, expected: [-INF, 0] },
  { op: "exp", title: "exp(±Infinity)", inputs: [[INF, -INF]], run: core.exp, expected: [INF, 0] },
  {
    op: "maximum",
    title: "maximum propagates NaN",
    inputs: [
      [NAN, 1, 2],
      [1, NAN, 1],
    ],
    run: core.maximum,
    expected: [NAN, NAN, 2],
  },
  {
    op: "minimum",
    title: "minimum propagates NaN",
    inputs: [
      [NAN, 1, 2],
      [1, NAN, 1],
    ],
    run: core.minimum,
    expected: [NAN, NAN, 1],
  },
  {
    op: "round",
    title: "round halves to even",
    inputs: [[-2.5, -1.5, -0.5, 0.5, 1.5, 2.5, 3.5]],
    run: core.round,
    expected: [-2, -2, -0, 0, 2, 2, 4],
  },
  {
    op: "round",
    title: "round keeps the sign of zero",
    inputs: [[-0.4, 0.4, -0.5]],
    run: (x) => core.reciprocal(core.round(x)),
    expected: [-INF, INF, -INF],
  },
  { op: "sign", title: "sign of NaN is NaN", inputs: [[NAN]], run: core.sign, expected: [NAN] },
  {
    op: "max",
    title: "max and min propagate NaN",
    inputs: [[1, NAN, 3, 2, 5, 4]],
    run: (x) => {
      const m = core.reshape(x, [2, 3]);
      return core.concat([core.max(m, 1), core.min(m, 1)]);
    },
    expected: [NAN, 5, NAN, 2],
  },
  {
    op: "argmax",
    title: "argmax and argmin pick the first NaN",
    inputs: [[1, NAN, 3, NAN, 5, 4]],
    run: (x) => core.stack([core.argmax(x), core.argmin(x)]),
    expected: [1, 1],
  },
  {
    op: "add",
    title: "int32 arithmetic wraps like C",
    inputs: [
      [[2147483647, -2147483648, 65536], "int32"],
      [[1, -1, 65536], "int32"],
    ],
    run: (a, b) => core.concat([core.add(a, b), core.mul(a, b)]),
    expected: [-2147483648, 2147483647, 131072, 2147483647, -2147483648, 0],
  },
  { op: "sign", title: "sign of 0 is 0", inputs: [[-3, 0, 2]], run: core.sign, expected: [-1, 0, 1] },
  {
    op: "cast",
    title: "cast to int32 truncates toward zero",
    inputs: [[-1.7, -0.5, 0.5, 1.7]],
    run: (x) => core.cast(x, "int32"),
    expected: [-1, 0, 0, 1],
  },
  {
    op: "cast",
    title: "cast to bool: non-zero (NaN included) is true",
    inputs: [[0, -0.5, NAN, INF]],
    run: (x) => core.cast(x, "bool"),
    expected: [0, 1, 1, 1],
  },
  {
    op: "div",
    title: "int32 / int32 is true division",
    inputs: [
      [[7, -7, 1], "int32"],
      [[-2, 2, 3], "int32"],
    ],
    run: core.div,
    expected: [-3.5, -3.5, 1 / 3],
    loose: true,
  },
  {
    op: "pow",
    title: "pow on int32 and 0^0",
    inputs: [
      [[2, 0, -3], "int32"],
      [[10, 0, 3], "int32"],
    ],
    run: core.pow,
    expected: [1024, 1, -27],
  },
  {
    op: "sigmoid",
    title: "sigmoid saturates without NaN",
    inputs: [[-100, 100]],
    run: core.sigmoid,
    expected: [0, 1],
    loose: true,
  },
  {
    op: "softplus",
    title: "softplus of ±100 does not overflow",
    inputs: [[-100, 100]],
    run: core.softplus,
    expected: [0, 100],
    loose: true,
  },
  {
    op: "logSumExp",
    title: "logSumExp of large values is stable",
    inputs: [[1000, 1000]],
    run: (x) => core.logSumExp(x),
    expected: [1000 + Math.LN2],
    loose: true,
  },
  {
    op: "logSumExp",
    title: "logSumExp of an all -Infinity row is -Infinity",
    inputs: [[-INF, -INF]],
    run: (x) => core.logSumExp(x),
    expected: [-INF],
  },
  {
    op: "softmax",
    title: "softmax of large values is stable",
    inputs: [[1000, 0, 1000]],
    run: (x) => core.softmax(x),
    expected: [0.5, 0, 0.5],
    loose: true,
  },
  {
    op: "sigmoidCrossEntropyWithLogits",
    title: "sigmoid cross-entropy of large logits does not overflow",
    inputs: [
      [100, -100, 100],
      [0, 1, 1],
    ],
    run: core.sigmoidCrossEntropyWithLogits,
    expected: [100, 100, 0],
    loose: true,
  },
  {
    op: "sum",
    title: "sum over an empty axis is 0",
    inputs: [[]],
    run: (x) => core.sum(core.reshape(x, [2, 0]), 1),
    expected: [0, 0],
  },
  {
    op: "isFinite",
    title: "isNaN and isFinite",
    inputs: [[NAN, INF, -INF, 1]],
    run: (x) => core.concat([core.cast(core.isNaN(x), "int32"), core.cast(core.isFinite(x), "int32")]),
    expected: [1, 0, 0, 0, 0, 0, 0, 1],
  },
];

function exampleCase(example: Example, dtype: DType): ConformanceCase {
  const dtypes = new Set<DType>([dtype]);
  for (const input of example.inputs) if (input.length === 2 && typeof input[1] === "string") dtypes.add(input[1]);
  return {
    group: "special values",
    op: example.op,
    title: `${example.title} (${dtype})`,
    dtypes: [...dtypes],
    run: async (ctx: ConformanceContext) => {
      const scope = new core.MemoryScope();
      try {
        const y = scope.run(() => {
          const xs = example.inputs.map((input) => {
            const [values, dt] =
              input.length === 2 && typeof input[1] === "string"
                ? (input as readonly [readonly number[], DType])
                : [input as readonly number[], dtype];
            return core.tensor(typedArrayOf(dt, values), { dtype: dt });
          });
          return example.run(...xs);
        });
        const tol = example.loose ? ctx.tolerance("transcendental", y.dtype) : { rtol: 0, atol: 0 };
        expectClose(
          await y.data(),
          example.expected.map((v) => (y.dtype === "float32" ? Math.fround(v) : v)),
          {
            ...tol,
            label: example.title,
          },
        );
      } finally {
        scope.dispose();
      }
    },
  };
}

/**
 * Deterministic edge cases, per float dtype: log(0), exp(±∞), NaN propagation of
 * maximum/minimum and of max/min/argmax/argmin reductions, round-half-to-even and the sign of
 * zero, sign(0) and sign(NaN), int32 wrap-around, cast truncation and NaN → true, integer true
 * division, int32 pow and 0⁰, overflow-safe sigmoid / softplus / logSumExp / softmax /
 * sigmoid cross-entropy, sum over an empty axis, isNaN / isFinite.
 *
 * @example
 * ```ts
 * SPECIAL_VALUE_CASES.map((c) => c.title); // ["log(0) = -Infinity (float32)", ...]
 * ```
 */
export const SPECIAL_VALUE_CASES: readonly ConformanceCase[] = FLOATS.flatMap((dtype) =>
  EXAMPLES.map((e) => exampleCase(e, dtype)),
);
