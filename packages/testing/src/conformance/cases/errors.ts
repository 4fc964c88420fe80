import * as core from "@tapegrad/core";
import {
  ArgumentError,
  DisposedError,
  type DType,
  DTypeError,
  ShapeError,
  type TapegradError,
  type Tensor,
} from "@tapegrad/core";
import type { ConformanceCase } from "../harness.js";

type ErrorClass = new (message: string) => TapegradError;

interface ErrorSpec {
  readonly op: string;
  readonly title: string;
  /** Dtypes the inputs need (float32 is always needed). */
  readonly dtypes?: readonly DType[];
  readonly needsSyncRead?: boolean;
  readonly error: ErrorClass;
  /** The message must contain this (the op's name, then what went wrong). */
  readonly message: string | RegExp;
  /** Makes the inputs (they are freed after the case). */
  readonly inputs: () => Tensor[];
  readonly call: (...xs: Tensor[]) => unknown;
}

const f = (shape: number[]) => core.zeros(shape);
const i32 = (shape: number[]) => core.zeros(shape, "int32");

const SPECS: readonly ErrorSpec[] = [
  {
    op: "add",
    title: "add of shapes that do not broadcast",
    error: ShapeError,
    message: "add: shapes [2] and [3] do not broadcast",
    inputs: () => [f([2]), f([3])],
    call: (a, b) => core.add(a as Tensor, b as Tensor),
  },
  {
    op: "add",
    title: "add of mixed dtypes that do not broadcast",
    dtypes: ["int32"],
    error: ShapeError,
    message: /^add: /,
    inputs: () => [i32([2]), f([3])],
    call: (a, b) => core.add(a as Tensor, b as Tensor),
  },
  {
    op: "add",
    title: "add of two numbers",
    error: ArgumentError,
    message: /^add: /,
    inputs: () => [],
    call: () => core.add(1 as unknown as Tensor, 2),
  },
  {
    op: "matmul",
    title: "matmul with different inner dimensions",
    error: ShapeError,
    message: "matmul: inner dimensions differ: [2,3] x [4,5]",
    inputs: () => [f([2, 3]), f([4, 5])],
    call: (a, b) => core.matmul(a as Tensor, b as Tensor),
  },
  {
    op: "matmul",
    title: "matmul of a vector",
    error: ShapeError,
    message: /^matmul: /,
    inputs: () => [f([3]), f([3, 2])],
    call: (a, b) => core.matmul(a as Tensor, b as Tensor),
  },
  {
    op: "matmul",
    title: "matmul with batch dims that do not broadcast, mixed dtypes",
    dtypes: ["int32"],
    error: ShapeError,
    message: /^matmul: /,
    inputs: () => [i32([2, 2, 3]), f([3, 3, 4])],
    call: (a, b) => core.matmul(a as Tensor, b as Tensor),
  },
  {
    op: "log",
    title: "log of int32",
    dtypes: ["int32"],
    error: DTypeError,
    message: /^log: /,
    inputs: () => [i32([2])],
    call: (x) => core.log(x as Tensor),
  },
  {
    op: "logicalNot",
    title: "logicalNot of a float",
    error: DTypeError,
    message: /^logicalNot: /,
    inputs: () => [f([2])],
    call: (x) => core.logicalNot(x as Tensor),
  },
  {
    op: "where",
    title: "where with a float condition",
    error: DTypeError,
    message: /^where: /,
    inputs: () => [f([2]), f([2]), f([2])],
    call: (c, a, b) => core.where(c as Tensor, a as Tensor, b as Tensor),
  },
  {
    op: "where",
    title: "where with number operands and shapes that do not broadcast",
    dtypes: ["bool"],
    error: ShapeError,
    message: /^where: /,
    inputs: () => [core.zeros([2], "bool"), f([3])],
    call: (c, b) => core.where(c as Tensor, 1, b as Tensor),
  },
  {
    op: "cast",
    title: "cast to an unknown dtype",
    error: DTypeError,
    message: /^cast: /,
    inputs: () => [f([2])],
    call: (x) => core.cast(x as Tensor, "float16" as DType),
  },
  {
    op: "sum",
    title: "sum over an axis out of range",
    error: ArgumentError,
    message: "sum: axis 5 is out of range for rank 2",
    inputs: () => [f([2, 2])],
    call: (x) => core.sum(x as Tensor, 5),
  },
  {
    op: "sum",
    title: "sum over a repeated axis",
    error: ArgumentError,
    message: /^sum: /,
    inputs: () => [f([2, 2])],
    call: (x) => core.sum(x as Tensor, [0, -2]),
  },
  {
    op: "max",
    title: "max over an empty axis",
    error: ArgumentError,
    message: /^max: /,
    inputs: () => [f([2, 0])],
    call: (x) => core.max(x as Tensor, 1),
  },
  {
    op: "argmax",
    title: "argmax over an empty axis",
    error: ArgumentError,
    message: /^argmax: /,
    inputs: () => [f([0, 2])],
    call: (x) => core.argmax(x as Tensor, 0),
  },
  {
    op: "variance",
    title: "variance of int32",
    dtypes: ["int32"],
    error: DTypeError,
    message: /^variance: /,
    inputs: () => [i32([3])],
    call: (x) => core.variance(x as Tensor),
  },
  {
    op: "logSumExp",
    title: "logSumExp over an axis out of range",
    error: ArgumentError,
    message: /^logSumExp: /,
    inputs: () => [f([2, 2])],
    call: (x) => core.logSumExp(x as Tensor, 3),
  },
  {
    op: "softmax",
    title: "softmax of int32",
    dtypes: ["int32"],
    error: DTypeError,
    message: /^softmax: /,
    inputs: () => [i32([2])],
    call: (x) => core.softmax(x as Tensor),
  },
  {
    op: "sigmoidCrossEntropyWithLogits",
    title: "sigmoid cross-entropy with labels that do not broadcast (fails midway)",
    error: ShapeError,
    message: /do not broadcast/,
    inputs: () => [f([2]), f([3])],
    call: (x, z) => core.sigmoidCrossEntropyWithLogits(x as Tensor, z as Tensor),
  },
  {
    op: "clip",
    title: "clip with lo > hi",
    error: ArgumentError,
    message: /^clip: /,
    inputs: () => [f([2])],
    call: (x) => core.clip(x as Tensor, 1, 0),
  },
  {
    op: "dense",
    title: "dense with an unknown activation",
    error: ArgumentError,
    message: /^dense: /,
    inputs: () => [f([2, 3]), f([3, 4])],
    call: (x, w) => core.dense(x as Tensor, w as Tensor, null, "gelu" as "relu"),
  },
  {
    op: "dense",
    title: "dense with a bias of the wrong size",
    error: ShapeError,
    message: /^dense: /,
    inputs: () => [f([2, 3]), f([3, 4]), f([3])],
    call: (x, w, b) => core.dense(x as Tensor, w as Tensor, b as Tensor),
  },
  {
    op: "dense",
    title: "dense with mixed dtypes",
    dtypes: ["float64"],
    error: DTypeError,
    message: /^dense: /,
    inputs: () => [f([2, 3]), core.zeros([3, 4], "float64")],
    call: (x, w) => core.dense(x as Tensor, w as Tensor, null),
  },
  {
    op: "reshape",
    title: "reshape to a different size",
    error: ShapeError,
    message: /^reshape: /,
    inputs: () => [f([2, 3])],
    call: (x) => core.reshape(x as Tensor, [4, 2]),
  },
  {
    op: "transpose",
    title: "transpose with a bad permutation",
    error: ArgumentError,
    message: /^transpose: /,
    inputs: () => [f([2, 3])],
    call: (x) => core.transpose(x as Tensor, [0, 0]),
  },
  {
    op: "broadcastTo",
    title: "broadcastTo an incompatible shape",
    error: ShapeError,
    message: /^broadcastTo: /,
    inputs: () => [f([2, 3])],
    call: (x) => core.broadcastTo(x as Tensor, [3, 3]),
  },
  {
    op: "slice",
    title: "slice past the end",
    error: ArgumentError,
    message: /^slice: /,
    inputs: () => [f([4])],
    call: (x) => core.slice(x as Tensor, [2], [3]),
  },
  {
    op: "pad",
    title: "pad with a negative padding",
    error: ArgumentError,
    message: /^pad: /,
    inputs: () => [f([2])],
    call: (x) => core.pad(x as Tensor, [[-1, 0]]),
  },
  {
    op: "concat",
    title: "concat of shapes that differ off the axis",
    dtypes: ["int32"],
    error: ShapeError,
    message: /^concat: /,
    inputs: () => [f([2, 3]), i32([2, 4])],
    call: (a, b) => core.concat([a as Tensor, b as Tensor], 0),
  },
  {
    op: "concat",
    title: "concat of nothing",
    error: ArgumentError,
    message: /^concat: /,
    inputs: () => [],
    call: () => core.concat([]),
  },
  {
    op: "gather",
    title: "gather at an index out of range",
    dtypes: ["int32"],
    needsSyncRead: true,
    error: ArgumentError,
    message: "gather: index 3 is out of range [0, 3)",
    inputs: () => [f([3, 2]), core.tensor([0, 3], { dtype: "int32" })],
    call: (x, i) => core.gather(x as Tensor, i as Tensor),
  },
  {
    op: "gather",
    title: "gather with float indices",
    error: DTypeError,
    message: /^gather: /,
    inputs: () => [f([3, 2]), f([2])],
    call: (x, i) => core.gather(x as Tensor, i as Tensor),
  },
  {
    op: "scatterAdd",
    title: "scatterAdd with updates of the wrong shape",
    dtypes: ["int32"],
    error: ShapeError,
    message: /^scatterAdd: /,
    inputs: () => [f([3]), core.tensor([0, 1], { dtype: "int32" })],
    call: (u, i) => core.scatterAdd(u as Tensor, i as Tensor, 0, [4]),
  },
  {
    op: "split",
    title: "split into unequal parts",
    error: ArgumentError,
    message: /^split: /,
    inputs: () => [f([5])],
    call: (x) => core.split(x as Tensor, 2),
  },
  {
    op: "squeeze",
    title: "squeeze of an axis that is not 1",
    error: ArgumentError,
    message: /^squeeze: /,
    inputs: () => [f([2, 1])],
    call: (x) => core.squeeze(x as Tensor, [0]),
  },
  {
    op: "stack",
    title: "stack of nothing",
    error: ArgumentError,
    message: /^stack: /,
    inputs: () => [],
    call: () => core.stack([]),
  },
  {
    op: "tensor",
    title: "tensor with values that do not fill the shape",
    error: ShapeError,
    message: /^tensor: /,
    inputs: () => [],
    call: () => core.tensor([1, 2, 3], { shape: [2, 2] }),
  },
  {
    op: "full",
    title: "full with a negative dimension",
    error: ArgumentError,
    message: /^full: /,
    inputs: () => [],
    call: () => core.full([2, -1], 0),
  },
  {
    op: "arange",
    title: "arange with step 0",
    error: ArgumentError,
    message: /^arange: /,
    inputs: () => [],
    call: () => core.arange(0, 3, 0),
  },
  {
    op: "add",
    title: "add of a disposed tensor",
    error: DisposedError,
    message: /^add: input tensor #\d+ float32\[2\] was disposed/,
    inputs: () => {
      const x = f([2]);
      x.dispose();
      return [x, f([2])];
    },
    call: (a, b) => core.add(a as Tensor, b as Tensor),
  },
];

/**
 * Error cases: invalid shapes, dtypes, axes and arguments throw core's typed errors (with the
 * op's name in the message) before any kernel runs, and leave memory exactly as it was — even
 * when the op had already made temporaries (number operands, casts, composite steps).
 *
 * @example
 * ```ts
 * ERROR_CASES.find((c) => c.op === "matmul")?.title; // "matmul with different inner dimensions"
 * ```
 */
export const ERROR_CASES: readonly ConformanceCase[] = SPECS.map((spec) => ({
  group: "errors",
  op: spec.op,
  title: spec.title,
  dtypes: ["float32", ...(spec.dtypes ?? [])],
  run: async (ctx) => {
    if (spec.needsSyncRead && !ctx.backend.capabilities.syncRead) {
      ctx.skip("core checks indices only where the backend reads synchronously");
    }
    const inputs = spec.inputs();
    try {
      const before = core.memory();
      let thrown: unknown;
      try {
        // A call that wrongly succeeds must not leak what it returned.
        core.dispose(spec.call(...inputs) as core.TensorContainer);
      } catch (e) {
        thrown = e;
      }
      const after = core.memory();
      if (!(thrown instanceof spec.error)) {
        const got = thrown === undefined ? "no error" : `${(thrown as Error).name}: ${(thrown as Error).message}`;
        throw new Error(`${spec.title}: expected ${spec.error.name}, got ${got}`);
      }
      const ok = typeof spec.message === "string" ? thrown.message === spec.message : spec.message.test(thrown.message);
      if (!ok) throw new Error(`${spec.title}: message "${thrown.message}" does not match ${String(spec.message)}`);
      if (after.numTensors !== before.numTensors || after.numDataBuffers !== before.numDataBuffers) {
        throw new Error(
          `${spec.title}: the failed call changed memory: ${before.numTensors} → ${after.numTensors} tensors, ` +
            `${before.numDataBuffers} → ${after.numDataBuffers} buffers`,
        );
      }
    } finally {
      for (const t of inputs) t.dispose();
    }
  },
}));
