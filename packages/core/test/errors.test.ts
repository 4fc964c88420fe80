import * as core from "@tapegrad/core";
import {
  ArgumentError,
  DisposedError,
  div,
  elu,
  exp,
  leakyRelu,
  logicalAnd,
  OP_CATALOGUE,
  opInfo,
  reshape,
  squeeze,
  sum,
  TapegradError,
  type Tensor,
  tensor,
  where,
  zeros,
} from "@tapegrad/core";
import { describe, expect, it, test } from "vitest";
import { checkLeaks, numTensors } from "./helpers.js";

checkLeaks();

const idx = () => tensor([0, 1], { dtype: "int32" });

/** Every op, called with `x` (a float32 [2,2] tensor) as its first tensor input. */
const calls: Record<string, (x: Tensor, live: Tensor) => unknown> = {
  neg: (x) => core.neg(x),
  exp: (x) => core.exp(x),
  log: (x) => core.log(x),
  log1p: (x) => core.log1p(x),
  sqrt: (x) => core.sqrt(x),
  abs: (x) => core.abs(x),
  sign: (x) => core.sign(x),
  sin: (x) => core.sin(x),
  cos: (x) => core.cos(x),
  tanh: (x) => core.tanh(x),
  reciprocal: (x) => core.reciprocal(x),
  floor: (x) => core.floor(x),
  ceil: (x) => core.ceil(x),
  round: (x) => core.round(x),
  add: (x, l) => core.add(l, x),
  sub: (x) => core.sub(x, 1),
  mul: (x, l) => core.mul(x, l),
  div: (x, l) => core.div(l, x),
  pow: (x) => core.pow(2, x),
  maximum: (x, l) => core.maximum(x, l),
  minimum: (x, l) => core.minimum(x, l),
  equal: (x, l) => core.equal(x, l),
  notEqual: (x, l) => core.notEqual(x, l),
  less: (x, l) => core.less(x, l),
  lessEqual: (x, l) => core.lessEqual(x, l),
  greater: (x, l) => core.greater(x, l),
  greaterEqual: (x, l) => core.greaterEqual(x, l),
  logicalAnd: (x, l) => core.logicalAnd(l, x),
  logicalOr: (x, l) => core.logicalOr(x, l),
  where: (x, l) => {
    using c = core.greater(l, 0);
    return core.where(c, x, l);
  },
  cast: (x) => core.cast(x, "int32"),
  sum: (x) => core.sum(x),
  max: (x) => core.max(x, 0),
  min: (x) => core.min(x, [0, 1], true),
  argmax: (x) => core.argmax(x),
  argmin: (x) => core.argmin(x),
  matmul: (x, l) => core.matmul(l, x),
  reshape: (x) => core.reshape(x, [4]),
  transpose: (x) => core.transpose(x),
  broadcastTo: (x) => core.broadcastTo(x, [3, 2, 2]),
  slice: (x) => core.slice(x, [1, 0]),
  pad: (x) =>
    core.pad(x, [
      [1, 1],
      [0, 0],
    ]),
  concat: (x, l) => core.concat([l, x]),
  gather: (x) => {
    using i = idx();
    return core.gather(x, i);
  },
  scatterAdd: (x) => {
    using i = idx();
    return core.scatterAdd(x, i, 0, [2, 2]);
  },
  sigmoid: (x) => core.sigmoid(x),
  softplus: (x) => core.softplus(x),
  logSumExp: (x) => core.logSumExp(x),
  softmax: (x) => core.softmax(x),
  logSoftmax: (x) => core.logSoftmax(x),
  sigmoidCrossEntropyWithLogits: (x, l) => core.sigmoidCrossEntropyWithLogits(x, l),
  dense: (x, l) => core.dense(l, x, null, "relu"),
  relu: (x) => core.relu(x),
  leakyRelu: (x) => core.leakyRelu(x),
  elu: (x) => core.elu(x),
  square: (x) => core.square(x),
  clip: (x) => core.clip(x, 0, 1),
  mean: (x) => core.mean(x),
  variance: (x) => core.variance(x),
  std: (x) => core.std(x),
  logSigmoid: (x) => core.logSigmoid(x),
  selu: (x) => core.selu(x),
  gelu: (x) => core.gelu(x),
  silu: (x) => core.silu(x),
  softsign: (x) => core.softsign(x),
  relu6: (x) => core.relu6(x),
  hardSigmoid: (x) => core.hardSigmoid(x),
  norm: (x) => core.norm(x),
  expandDims: (x) => core.expandDims(x),
  squeeze: (x) => core.squeeze(x),
  flatten: (x) => core.flatten(x),
  stack: (x, l) => core.stack([l, x]),
  split: (x) => core.split(x, 2),
  clone: (x) => core.clone(x),
  tile: (x) => core.tile(x, [2, 1]),
  unstack: (x) => core.unstack(x),
  isNaN: (x) => core.isNaN(x),
  isFinite: (x) => core.isFinite(x),
  activationGrad: (x, l) => core.activationGrad(l, x, "sigmoid"),
  adamUpdate: (x, l) => core.adamUpdate(l, l, l, x, { stepSize: 0.1, beta1: 0.9, beta2: 0.999, epsilon: 1e-7 }),
};

describe("a disposed input", () => {
  test("every op in the catalogue throws a DisposedError that names it, and allocates nothing", () => {
    const names = OP_CATALOGUE.map((op) => op.name);
    // logicalNot takes bool, so it gets its own disposed tensor below.
    expect(Object.keys(calls).sort()).toEqual(names.filter((n) => n !== "logicalNot").sort());
    using live = tensor([
      [1, 2],
      [3, 4],
    ]);
    const gone = tensor([
      [5, 6],
      [7, 8],
    ]);
    gone.dispose();
    const before = numTensors();
    for (const [name, call] of Object.entries(calls)) {
      // clone is reshape(x, x.shape); the rest name themselves.
      const shown = name === "clone" ? "reshape" : name;
      expect(() => call(gone, live), name).toThrow(DisposedError);
      expect(() => call(gone, live), name).toThrow(
        new RegExp(`^${shown}: input tensor #\\d+ float32\\[2,2\\] was disposed$`),
      );
      expect(numTensors(), name).toBe(before);
    }
    const b = tensor([true]);
    b.dispose();
    expect(() => core.logicalNot(b)).toThrow(/^logicalNot: input tensor #\d+ bool\[1\] was disposed$/);
    expect(numTensors()).toBe(before);
  });

  test("regression: ops that cast both operands freed neither cast when the second was disposed", () => {
    using i = tensor([1, 2], { dtype: "int32" });
    const gone = tensor([3, 4], { dtype: "int32" });
    gone.dispose();
    using c = tensor([true, false]);
    const before = numTensors();
    // int32 / int32 casts both to float32; logicalAnd casts both to bool.
    expect(() => div(i, gone)).toThrow(/^div: input tensor #\d+ int32\[2\] was disposed$/);
    expect(() => logicalAnd(i, gone)).toThrow(/^logicalAnd: input/);
    expect(() => where(c, i, gone)).toThrow(/^where: input/);
    expect(() => where(c, 0.5, gone)).toThrow(/^where: input/);
    expect(numTensors()).toBe(before);
  });
});

describe("the op catalogue", () => {
  test("every catalogued op is an exported function, and names are unique", () => {
    const names = OP_CATALOGUE.map((op) => op.name);
    expect(new Set(names).size).toBe(names.length);
    for (const name of names) {
      expect(typeof (core as Record<string, unknown>)[name], name).toBe("function");
      expect(opInfo(name)?.name).toBe(name);
    }
    expect(opInfo("nope")).toBeUndefined();
  });

  test("entries are consistent: primitives own a rule iff differentiable; fused names exist", () => {
    for (const op of OP_CATALOGUE) {
      if (op.kind === "primitive") expect(op.ownRule, op.name).toBe(op.differentiable);
      if (!op.differentiable) expect(op.ownRule, op.name).toBe(false);
      if (op.fused !== undefined)
        expect(["sigmoid", "softmax", "matmulBiasAct", "activationGrad", "adamUpdate"]).toContain(op.fused);
    }
    expect(opInfo("softmax")?.fused).toBe("softmax");
    expect(opInfo("gelu")).toEqual({ name: "gelu", kind: "composite", differentiable: true, ownRule: false });
  });

  test("every error tapegrad throws on purpose is a TapegradError with the class name", () => {
    using x = tensor([1, 2]);
    try {
      core.reshape(x, [3]);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(TapegradError);
      expect((e as Error).name).toBe("ShapeError");
    }
  });
});

describe("non-tensor arguments", () => {
  it("name the op, the argument and what was expected", () => {
    expect(() => exp([1, 2] as unknown as Tensor)).toThrow(
      new ArgumentError("exp: input 0 is an array, expected a Tensor"),
    );
    expect(() => sum(null as unknown as Tensor)).toThrow(new ArgumentError("sum: input 0 is null, expected a Tensor"));
    const x = zeros([2, 3]);
    expect(() => reshape(x, "a" as unknown as number[])).toThrow(
      new ArgumentError("reshape: shape is string, expected an array of dimensions"),
    );
    expect(() => leakyRelu(x, Number.NaN)).toThrow(
      new ArgumentError("leakyRelu: alpha is number, expected a finite number"),
    );
    expect(() => elu(x, "a" as unknown as number)).toThrow(
      new ArgumentError("elu: alpha is string, expected a finite number"),
    );
    x.dispose();
  });

  it("squeeze takes a single axis as a number", () => {
    const x = zeros([1, 3, 1]);
    const y = squeeze(x, 0);
    expect(y.shape).toEqual([3, 1]);
    x.dispose();
    y.dispose();
  });
});
