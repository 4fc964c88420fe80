import { BackendError } from "@tapegrad/core";
import { BINARY_OPS, outputsBool, UNARY_OPS } from "./op_names.js";
import type { ProgramSource } from "./program_cache.js";
import type { Access } from "./shaders/access.js";
import { activationGradSource } from "./shaders/activation_grad.js";
import { adamUpdateSource } from "./shaders/adam_update.js";
import { binarySource } from "./shaders/binary.js";
import { arangeSource, fillSource } from "./shaders/creation.js";
import { gatherSource, scatterAddSource } from "./shaders/gather.js";
import { matmulSource } from "./shaders/matmul.js";
import { argReduceSource, reduceSource } from "./shaders/reduce.js";
import { sigmoidSource, softmaxSource } from "./shaders/softmax.js";
import { concatSource, padSource, stridedCopySource } from "./shaders/strided_copy.js";
import { castSource, unarySource } from "./shaders/unary.js";
import { whereSource } from "./shaders/where.js";

// The operand layouts float32 training meets: same shape, a scalar on either side, a bias
// row, and a general 2-D broadcast (e.g. a column of per-row values).
const BINARY_ACCESS: readonly (readonly [Access, Access])[] = [
  ["same", "same"],
  ["same", "scalar"],
  ["scalar", "same"],
  ["same", "tile"],
  ["tile", "same"],
  ["same", "strided"],
];

type Variants = (rowShift: number) => ProgramSource[];

const ACTIVATIONS = ["linear", "relu", "sigmoid", "tanh"] as const;

const VARIANTS: Record<string, Variants> = {
  ...Object.fromEntries(
    UNARY_OPS.map((op): [string, Variants] => [
      op,
      (s) => [unarySource(op, "float32", op === "logicalNot" ? "bool" : "float32", s)],
    ]),
  ),
  ...Object.fromEntries(
    BINARY_OPS.map((op): [string, Variants] => [
      op,
      (s) =>
        BINARY_ACCESS.map(([a, b]) => binarySource(op, "float32", outputsBool(op) ? "bool" : "float32", a, b, 2, s)),
    ]),
  ),
  where: (s) => [
    whereSource("float32", ["same", "same", "same"], 2, s),
    whereSource("float32", ["same", "same", "scalar"], 2, s),
    whereSource("float32", ["same", "scalar", "same"], 2, s),
  ],
  cast: (s) => [castSource("bool", "float32", s), castSource("float32", "int32", s), castSource("int32", "float32", s)],
  sum: (s) => [reduceSource("sum", "float32", "float32", 0, 1, s), reduceSource("sum", "float32", "float32", 1, 1, s)],
  max: (s) => [reduceSource("max", "float32", "float32", 0, 1, s), reduceSource("max", "float32", "float32", 1, 1, s)],
  min: (s) => [reduceSource("min", "float32", "float32", 0, 1, s), reduceSource("min", "float32", "float32", 1, 1, s)],
  argmax: (s) => [argReduceSource("argmax", "float32", s)],
  argmin: (s) => [argReduceSource("argmin", "float32", s)],
  matmul: (s) => [matmulSource("float32", 0, false, "linear", s)],
  matmulBiasAct: (s) => ACTIVATIONS.map((a) => matmulSource("float32", 0, true, a, s)),
  transpose: (s) => [stridedCopySource("float32", 2, s)],
  broadcastTo: (s) => [stridedCopySource("float32", 2, s)],
  slice: (s) => [stridedCopySource("float32", 2, s)],
  pad: (s) => [padSource("float32", 2, s)],
  concat: (s) => [concatSource("float32", 2, s)],
  gather: (s) => [gatherSource("float32", s)],
  scatterAdd: (s) => [scatterAddSource("float32", s)],
  fill: (s) => [fillSource("float32", s), fillSource("int32", s), fillSource("bool", s)],
  arange: (s) => [arangeSource("float32", false, s), arangeSource("int32", true, s)],
  sigmoid: (s) => [sigmoidSource("float32", s)],
  activationGrad: (s) => ACTIVATIONS.map((a) => activationGradSource(a, "float32", s)),
  adamUpdate: (s) => (["param", "m", "v"] as const).map((part) => adamUpdateSource(part, "float32", s)),
  softmax: (s) => [softmaxSource("float32", s)],
};

/**
 * Names `warmupSources` accepts: every unary and binary op, where, cast, sum, max, min,
 * argmax, argmin, matmul, matmulBiasAct, transpose, broadcastTo, slice, pad, concat, gather,
 * scatterAdd, fill, arange, sigmoid, softmax, activationGrad and adamUpdate.
 *
 * @example
 * ```ts
 * WARMUP_OPS.includes("matmul"); // true
 * ```
 */
export const WARMUP_OPS: readonly string[] = Object.keys(VARIANTS);

/**
 * The programs to compile ahead of use for `ops` (all of {@link WARMUP_OPS} when omitted):
 * the float32 variants a model trains with at ranks up to 2 — other dtypes and ranks compile
 * on first use as usual.
 *
 * @example
 * ```ts
 * warmupSources(["matmul", "add"], 12).length; // 1 + 6
 * ```
 */
export function warmupSources(ops: readonly string[] | undefined, rowShift: number): ProgramSource[] {
  const names = ops ?? WARMUP_OPS;
  const sources: ProgramSource[] = [];
  for (const name of names) {
    const variants = VARIANTS[name];
    if (variants === undefined) {
      throw new BackendError(`webgl: warmup: unknown op "${name}"; known ops: ${WARMUP_OPS.join(", ")}`);
    }
    sources.push(...variants(rowShift));
  }
  return sources;
}
