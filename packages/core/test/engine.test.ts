import {
  add,
  BackendError,
  dense,
  getBackend,
  getOpObserver,
  type OpAttrs,
  type OpObserver,
  relu,
  setBackend,
  setOpObserver,
  sigmoid,
  sum,
  type Tensor,
  tensor,
  where,
} from "@tapegrad/core";
import { describe, expect, test } from "vitest";
import { backend, checkLeaks, numTensors, vals, withoutFused } from "./helpers.js";

checkLeaks();

function recording(tracks = true): { observer: OpObserver; ops: { op: string; attrs: OpAttrs; n: number }[] } {
  const ops: { op: string; attrs: OpAttrs; n: number }[] = [];
  return {
    ops,
    observer: {
      tracks: () => tracks,
      record: (op: string, inputs: readonly Tensor[], _output: Tensor, attrs: OpAttrs) => {
        ops.push({ op, attrs, n: inputs.length });
      },
    },
  };
}

function observed<T>(observer: OpObserver, fn: () => T): T {
  const previous = setOpObserver(observer);
  try {
    return fn();
  } finally {
    expect(setOpObserver(previous)).toBe(observer);
  }
}

describe("the op observer", () => {
  test("sees each primitive with its attributes", () => {
    using x = tensor([
      [1, -2],
      [3, 4],
    ]);
    const { observer, ops } = recording();
    observed(observer, () => {
      using _s = sum(x, 1, true);
      using _r = relu(x);
    });
    expect(ops.map((o) => o.op)).toEqual(["sum", "reshape", "greater", "where"]);
    expect(ops[0]?.attrs).toEqual({ axes: [1] });
    expect(ops[1]?.attrs).toEqual({ shape: [2, 1] });
    expect(ops[3]?.n).toBe(3);
  });

  test("sees a composite with its own rule as one op, fused or composed", () => {
    for (const fused of [true, false]) {
      const { observer, ops } = recording();
      const run = () => {
        using x = tensor([[1, 2]]);
        using w = tensor([[1], [2]]);
        observed(observer, () => {
          using _s = sigmoid(x);
          using _d = dense(x, w, null, "tanh");
        });
      };
      if (fused) run();
      else withoutFused(run);
      expect(ops.map((o) => o.op)).toEqual(["sigmoid", "dense"]);
      expect(ops[1]?.attrs).toEqual({ activation: "tanh", hasBias: false });
    }
  });

  test("records nothing for inputs it does not track, and setOpObserver restores the previous one", () => {
    using x = tensor([1, 2]);
    const { observer, ops } = recording(false);
    observed(observer, () => {
      using _y = add(x, 1);
      expect(getOpObserver()).toBe(observer);
    });
    expect(ops).toEqual([]);
    expect(getOpObserver()).toBeNull();
  });
});

describe("backends", () => {
  test("a tensor from another backend is a BackendError naming the op, and nothing leaks", () => {
    using x = tensor([1, 2]);
    const before = numTensors();
    withoutFused(() => {
      expect(() => add(x, 1)).toThrow(BackendError);
      expect(() => add(x, 1)).toThrow(/^add: tensor #\d+ lives on backend "cpu" but the current backend is "cpu"/);
    });
    expect(numTensors()).toBe(before);
  });

  test("setBackend refuses what is not a Backend, naming what is missing, and keeps the current one", async () => {
    expect(() => setBackend(null as never)).toThrow(BackendError);
    expect(() => setBackend(null as never)).toThrow(
      /^setBackend: got null, expected a Backend such as cpu\(\) from "@tapegrad\/backend-cpu"$/,
    );
    expect(() => setBackend({} as never)).toThrow(
      /^setBackend: the object has no name; no capabilities.dtypes; no write, read, readSync, .*, scatterAdd; expected a Backend/,
    );
    const withoutMatmul = new Proxy(backend, {
      get: (target, prop) => (prop === "matmul" ? undefined : Reflect.get(target, prop)),
    });
    expect(() => setBackend(withoutMatmul as never)).toThrow(/^setBackend: the object has no matmul; expected/);
    await expect(setBackend(Promise.resolve("cpu" as never))).rejects.toThrow(/^setBackend: got string/);
    expect(getBackend()).toBe(backend);
  });

  test("setBackend accepts a promise for backends that start asynchronously", async () => {
    const result = setBackend(Promise.resolve(backend));
    expect(result).toBeInstanceOf(Promise);
    await result;
    expect(getBackend()).toBe(backend);
  });

  test("where broadcasts condition and both branches together", () => {
    using c = tensor([[true], [false]]);
    using a = tensor([1, 2, 3]);
    using y = where(c, a, -1);
    expect([y.shape, vals(y)]).toEqual([
      [2, 3],
      [1, 2, 3, -1, -1, -1],
    ]);
    using i = tensor([1, 2, 3], { dtype: "int32" });
    using yi = where(c, i, 0.5);
    expect([yi.dtype, vals(yi)]).toEqual(["float32", [1, 2, 3, 0.5, 0.5, 0.5]]);
    using f = tensor([1]);
    expect(() => where(f, a, 0)).toThrow(/^where: condition has dtype float32, expected bool$/);
    using bad = tensor([true, false]);
    expect(() => where(bad, a, 0)).toThrow(/^where: shapes \[2\] and \[3\] do not broadcast$/);
  });
});
