import {
  ArgumentError,
  add,
  elu,
  full,
  matmul,
  memory,
  ones,
  randomNormal,
  relu,
  ShapeError,
  sigmoid,
  softmax,
  type Tensor,
  tanh,
  tensor,
  tidy,
  type Variable,
  variable,
  zeros,
} from "@tapegrad/core";
import {
  Activation,
  Dense,
  Dropout,
  ELU,
  Flatten,
  LeakyReLU,
  Linear,
  Maxout,
  Module,
  maxout,
  parameter,
  ReLU,
  Reshape,
  Sequential,
  Sigmoid,
  Softmax,
  StateDictError,
  sequential,
  Tanh,
} from "@tapegrad/nn";
import { describe, expect, test } from "vitest";
import { checkLeaks, expectClose, vals } from "./module_helpers.js";

checkLeaks();

class Affine extends Module {
  readonly w: ReturnType<typeof parameter>;
  readonly b = parameter(zeros([2]), "b");
  constructor(seed = 0) {
    super();
    this.w = parameter(randomNormal([3, 2], { seed }), "w");
  }
  forward(x: Tensor): Tensor {
    using xw = matmul(x, this.w);
    return add(xw, this.b);
  }
}

function frozenZeros(): Variable {
  using init = zeros([2]);
  return variable(init, { trainable: false });
}

class Nested extends Module {
  readonly scale = parameter(ones([1]), "scale");
  readonly encoder = new Dense(3, 4, { seed: 1 });
  readonly blocks = [new Dense(4, 4, { seed: 2 }), new ReLU(), new Dense(4, 2, { seed: 3, useBias: false })];
  readonly heads = { left: new Affine(4), right: new Dense(2, 1, { seed: 5 }) };
  readonly frozen = frozenZeros();
  readonly notes = "strings, numbers and functions are not members";
  readonly helper = () => 1;
  forward(x: Tensor): Tensor {
    return x.clone();
  }
}

describe("registration by discovery", () => {
  test("namedParameters walks fields, arrays and plain objects in definition order", () => {
    using m = new Nested();
    expect(m.namedParameters().map(([n]) => n)).toEqual([
      "scale",
      "encoder.kernel",
      "encoder.bias",
      "blocks.0.kernel",
      "blocks.0.bias",
      "blocks.2.kernel",
      "heads.left.w",
      "heads.left.b",
      "heads.right.kernel",
      "heads.right.bias",
    ]);
    expect(m.parameters()).toEqual(m.namedParameters().map(([, v]) => v));
    expect(m.parameters()[1]).toBe(m.encoder.kernel);
    expect(m.children().map(([n]) => n)).toEqual([
      "encoder",
      "blocks.0",
      "blocks.1",
      "blocks.2",
      "heads.left",
      "heads.right",
    ]);
  });

  test("non-trainable Variables are in the state dict but not in parameters()", () => {
    using m = new Nested();
    expect(Object.keys(m.stateDict())).toContain("frozen");
    expect(m.namedParameters().map(([n]) => n)).not.toContain("frozen");
    expect(m.stateDict()["frozen"]).toBe(m.frozen);
  });

  test("a shared layer or tied Variable is reported once, and a back-reference does not loop", () => {
    class Tied extends Module {
      readonly a = new Dense(2, 2, { seed: 0 });
      readonly again = this.a;
      readonly alias: unknown[] = [];
      forward(x: Tensor): Tensor {
        return this.again.forward(x);
      }
    }
    using m = new Tied();
    m.alias.push(m, m.a.kernel);
    expect(m.namedParameters().map(([n]) => n)).toEqual(["a.kernel", "a.bias"]);
    expect(m.children().map(([n]) => n)).toEqual(["a"]);
  });

  test("dispose frees every parameter, trainable or not", () => {
    const before = memory().numTensors;
    const m = new Nested();
    expect(memory().numTensors).toBe(before + 11);
    m.dispose();
    expect(memory().numTensors).toBe(before);
    expect(m.encoder.kernel.isDisposed).toBe(true);
  });

  test("parameter() consumes its initial value without a leak", () => {
    const before = memory().numTensors;
    const init = full([2], 3);
    const p = parameter(init, "p");
    expect(init.isDisposed).toBe(true);
    expect(vals(p)).toEqual([3, 3]);
    expect(p.trainable).toBe(true);
    expect(p.name).toBe("p");
    p.dispose();
    expect(memory().numTensors).toBe(before);
  });
});

describe("train / eval", () => {
  test("modes propagate to every descendant", () => {
    using m = new Nested();
    expect(m.training).toBe(true);
    expect(m.eval()).toBe(m);
    expect([m.training, m.encoder.training, m.blocks[1]?.training, m.heads.left.training]).toEqual([
      false,
      false,
      false,
      false,
    ]);
    m.train();
    expect(m.heads.right.training).toBe(true);
    m.train(false);
    expect(m.heads.right.training).toBe(false);
  });

  test("Dropout drops and rescales in training mode and is the identity in eval mode", () => {
    const drop = new Dropout(0.25, 123);
    using x = ones([100, 100]);
    using y = drop.call(x);
    const v = vals(y);
    const kept = v.filter((e) => e !== 0);
    for (const e of kept) expect(e).toBeCloseTo(1 / 0.75, 6);
    expect(kept.length / v.length).toBeGreaterThan(0.72);
    expect(kept.length / v.length).toBeLessThan(0.78);
    drop.eval();
    using z = drop.call(x);
    expect(vals(z).every((e) => e === 1)).toBe(true);
  });

  test("Dropout with the same seed draws the same masks; a model's eval() reaches it", () => {
    using x = ones([4, 8]);
    const a = new Dropout(0.5, 7);
    const b = new Dropout(0.5, 7);
    using ya = a.call(x);
    using yb = b.call(x);
    expect(vals(ya)).toEqual(vals(yb));
    using model = sequential(new Dense(8, 8, { seed: 0 }), new Dropout(0.9, 1));
    model.eval();
    using y1 = model.call(x);
    using y2 = model.call(x);
    expect(vals(y1)).toEqual(vals(y2));
    expect(() => new Dropout(1)).toThrow(/rate 1/);
  });
});

describe("state dicts", () => {
  test("round trip: loading one model's state dict into another copies the values", () => {
    using a = new Nested();
    using b = new Nested();
    using z = zeros([3, 2]);
    b.heads.left.w.assign(z);
    const before = memory().numTensors;
    b.loadStateDict(a.stateDict());
    expect(memory().numTensors).toBe(before);
    for (const [name, t] of Object.entries(a.stateDict())) {
      expect(vals(b.stateDict()[name] as Tensor), name).toEqual(vals(t));
    }
    // The values were copied in: reassigning the source leaves the target alone.
    using one = ones([4]);
    a.encoder.bias?.assign(one);
    expect(vals(b.encoder.bias as Tensor)).toEqual([0, 0, 0, 0]);
  });

  test("strict loading names every missing key, unexpected key and mismatch, and changes nothing", () => {
    using m = new Affine(1);
    const w0 = vals(m.w);
    using wrong = zeros([2, 3]);
    using extra = ones([1]);
    const err = (() => {
      try {
        m.loadStateDict({ w: wrong, bogus: extra });
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(StateDictError);
    const e = err as StateDictError;
    expect(e.missingKeys).toEqual(["b"]);
    expect(e.unexpectedKeys).toEqual(["bogus"]);
    expect(e.mismatched).toEqual([{ key: "w", expected: "float32[3,2]", got: "float32[2,3]" }]);
    expect(e.message).toMatch(/missing keys: b/);
    expect(e.message).toMatch(/unexpected keys: bogus/);
    expect(e.message).toMatch(/w: expected float32\[3,2\], got float32\[2,3\]/);
    expect(vals(m.w)).toEqual(w0);
  });

  test("non-strict loading skips missing and unexpected keys but not shape mismatches", () => {
    using m = new Affine(1);
    using b = full([2], 5);
    using extra = ones([1]);
    m.loadStateDict({ b, bogus: extra }, { strict: false });
    expect(vals(m.b)).toEqual([5, 5]);
    using bad = zeros([3]);
    expect(() => m.loadStateDict({ b: bad }, { strict: false })).toThrow(StateDictError);
    expect(vals(m.b)).toEqual([5, 5]);
  });

  test("a dict that is not a record, or an entry that is not a tensor, is refused before anything changes", () => {
    using m = new Affine(1);
    const w0 = vals(m.w);
    expect(() => m.loadStateDict(null as never)).toThrow(ArgumentError);
    expect(() => m.loadStateDict(null as never)).toThrow(
      /^loadStateDict: got null, expected a record of tensors by name$/,
    );
    expect(() => m.loadStateDict(m.w as never)).toThrow(/^loadStateDict: got an object \(Variable\)/);
    using b = zeros([2]);
    expect(() => m.loadStateDict({ w: 3 as never, b })).toThrow(StateDictError);
    expect(() => m.loadStateDict({ w: 3 as never, b })).toThrow(/ {2}w: expected float32\[3,2\], got number 3/);
    expect(vals(m.w)).toEqual(w0);
  });

  test("float values of another float dtype are converted; int into float is a mismatch", () => {
    using m = new Affine(1);
    using w = full([3, 2], 0.5, "float64");
    using b = full([2], 2, "float64");
    m.loadStateDict({ w, b });
    expect(m.w.dtype).toBe("float32");
    expect(vals(m.w)).toEqual([0.5, 0.5, 0.5, 0.5, 0.5, 0.5]);
    using bi = zeros([2], "int32");
    expect(() => m.loadStateDict({ w, b: bi })).toThrow(/b: expected float32\[2\], got int32\[2\]/);
  });
});

describe("Dense", () => {
  test("computes act(x·W + b) with the Keras kernel layout, fused and unfused", () => {
    using x = tensor([
      [1, -2, 0.5],
      [0, 1, -1],
    ]);
    for (const [activation, fn] of [
      ["linear", (t: Tensor) => t.clone()],
      ["relu", relu],
      ["sigmoid", sigmoid],
      ["tanh", tanh],
      ["elu", (t: Tensor) => elu(t)],
      ["softmax", (t: Tensor) => softmax(t)],
    ] as const) {
      using layer = new Dense(3, 4, { activation, seed: 3, biasInitializer: (s) => full(s, 0.1) });
      expect(layer.kernel.shape).toEqual([3, 4]);
      using y = layer.call(x);
      using xw = matmul(x, layer.kernel);
      using z = add(xw, layer.bias as Tensor);
      using expected = fn(z);
      expect(y.shape).toEqual([2, 4]);
      expectClose(y, vals(expected), 5, activation);
    }
  });

  test("takes a custom activation function, no bias, and inputs of any rank", () => {
    using layer = new Dense(3, 2, { useBias: false, activation: (t) => t.mul(2), seed: 0 });
    expect(layer.bias).toBeNull();
    expect(layer.namedParameters().map(([n]) => n)).toEqual(["kernel"]);
    using x = randomNormal([2, 5, 3], { seed: 1 });
    using y = layer.call(x);
    expect(y.shape).toEqual([2, 5, 2]);
    using flat = x.reshape([10, 3]);
    using xw = matmul(flat, layer.kernel);
    expectClose(
      y,
      vals(xw).map((v) => 2 * v),
    );
    expect(layer.outputShape([-1, 5, 3])).toEqual([-1, 5, 2]);
  });

  test("rejects a wrong input width with a message naming it", () => {
    using layer = new Dense(3, 2, { seed: 0 });
    using x = zeros([2, 4]);
    expect(() => layer.call(x)).toThrow(ShapeError);
    expect(() => layer.call(x)).toThrow(/last dimension 3, got float32\[2,4\]/);
    expect(() => new Dense(0, 2)).toThrow(/inFeatures 0/);
    expect(() => new Dense(2, 2, { activation: "swish" as "relu" })).toThrow(/unknown/);
  });

  test("float64 parameters for gradient checks", () => {
    using layer = new Dense(2, 2, { dtype: "float64", seed: 0 });
    expect([layer.kernel.dtype, layer.bias?.dtype]).toEqual(["float64", "float64"]);
  });
});

describe("Sequential and shape layers", () => {
  test("Sequential chains layers, frees intermediates, and add() appends", () => {
    using model = new Sequential([new Dense(4, 8, { activation: "relu", seed: 0 })]);
    expect(model.add(new Dense(8, 2, { seed: 1 }))).toBe(model);
    expect(model.namedParameters().map(([n]) => n)).toEqual([
      "layers.0.kernel",
      "layers.0.bias",
      "layers.1.kernel",
      "layers.1.bias",
    ]);
    using x = randomNormal([3, 4], { seed: 2 });
    const before = memory().numTensors;
    using y = model.call(x);
    expect(memory().numTensors).toBe(before + 1);
    using h = (model.layers[0] as Module).call(x);
    using expected = (model.layers[1] as Module).call(h);
    expect(vals(y)).toEqual(vals(expected));
    using empty = sequential();
    using same = empty.call(x);
    expect(vals(same)).toEqual(vals(x));
  });

  test("Sequential refuses a layer that is not a Module, naming its position", () => {
    using dense = new Dense(2, 2, { seed: 0 });
    expect(() => new Sequential([dense, relu as never])).toThrow(ArgumentError);
    expect(() => new Sequential([dense, relu as never])).toThrow(
      /^Sequential: layer 1 is function relu, expected a Module$/,
    );
    expect(() => new Sequential(dense as never)).toThrow(/^Sequential: got an object \(Dense\), expected an array/);
    using model = sequential(dense);
    expect(() => model.add(3 as never)).toThrow(/^Sequential: the added layer is number 3, expected a Module$/);
    expect(model.layers).toHaveLength(1);
  });

  test("Flatten and Reshape keep the batch axis", () => {
    using x = randomNormal([2, 3, 4], { seed: 0 });
    const flatten = new Flatten();
    using f = flatten.call(x);
    expect(f.shape).toEqual([2, 12]);
    expect(flatten.outputShape([-1, 3, 4])).toEqual([-1, 12]);
    const reshape = new Reshape([4, -1]);
    using r = reshape.call(f);
    expect(r.shape).toEqual([2, 4, 3]);
    expect(reshape.outputShape([-1, 12])).toEqual([-1, 4, 3]);
    expect(vals(r)).toEqual(vals(x));
    expect(() => new Reshape([-1, -1])).toThrow(/at most one -1/);
  });

  test("activation layers match the functions", () => {
    using x = tensor([
      [-2, -0.5, 0, 1.5],
      [3, -1, 2, -4],
    ]);
    const cases: Array<[Module, (t: Tensor) => number[]]> = [
      [new Sigmoid(), (t) => vals(sigmoid(t))],
      [new Tanh(), (t) => vals(tanh(t))],
      [new ReLU(), (t) => vals(t).map((v) => Math.max(v, 0))],
      [new LeakyReLU(0.1), (t) => vals(t).map((v) => (v > 0 ? v : 0.1 * v))],
      [new LeakyReLU(), (t) => vals(t).map((v) => (v > 0 ? v : 0.3 * v))],
      [new ELU(0.5), (t) => vals(t).map((v) => (v > 0 ? v : 0.5 * Math.expm1(v)))],
      [new Linear(), (t) => vals(t)],
      [new Activation("softplus"), (t) => vals(t).map((v) => Math.log1p(Math.exp(v)))],
      [new Softmax(0), (t) => vals(softmax(t, 0))],
    ];
    for (const [layer, expected] of cases) {
      const want = tidy(() => expected(x));
      using y = layer.call(x);
      expect(y.shape).toEqual(x.shape);
      expectClose(y, want, 5, layer.constructor.name);
      expect(layer.outputShape([-1, 4])).toEqual([-1, 4]);
    }
  });

  test("maxout picks the largest of each unit's pieces; the Maxout layer is Dense then maxout", () => {
    using x = tensor([[1, 5, -2, -3, 0, 0.5]]);
    using m2 = maxout(x, 2);
    expect(vals(m2)).toEqual([5, -2, 0.5]);
    using m3 = maxout(x, 3);
    expect(vals(m3)).toEqual([5, 0.5]);
    expect(() => maxout(x, 4)).toThrow(/divisible/);
    using layer = new Maxout(6, 2, 3, { seed: 0 });
    expect(layer.namedParameters().map(([n, p]) => [n, p.shape])).toEqual([
      ["dense.kernel", [6, 6]],
      ["dense.bias", [6]],
    ]);
    using y = layer.call(x);
    using z = layer.dense.call(x);
    using expected = maxout(z, 3);
    expect(y.shape).toEqual([1, 2]);
    expect(vals(y)).toEqual(vals(expected));
    expect(layer.outputShape([-1, 6])).toEqual([-1, 2]);
  });

  test("the default outputShape runs forward once on zeros, in eval mode, and frees everything", () => {
    class Doubler extends Module {
      readonly inner = new Dropout(0.5, 0);
      forward(x: Tensor): Tensor {
        if (this.inner.training) throw new Error("traced in training mode");
        using d = this.inner.call(x);
        return d.reshape([x.shape[0] as number, -1, 2]);
      }
    }
    const m = new Doubler();
    expect(m.outputShape([-1, 3, 4])).toEqual([-1, 6, 2]);
    expect(m.training).toBe(true);
    expect(m.inner.training).toBe(true);
  });
});
