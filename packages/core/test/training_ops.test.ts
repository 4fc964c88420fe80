// activationGrad and adamUpdate: fused (backend kernel) and composed (primitives) give the same
// values; the composed form is what an observer that tracks the inputs sees; errors and leaks.
import {
  activationGrad,
  adamUpdate,
  type FusedActivation,
  type OpAttrs,
  type OpObserver,
  setOpObserver,
  type Tensor,
  tensor,
} from "@tapegrad/core";
import { describe, expect, test } from "vitest";
import { backend, checkLeaks, expectClose, vals } from "./helpers.js";

checkLeaks();

/** Runs `fn` with the backend's fused kernels hidden, so composites take their composed path. */
function withoutFused<T>(fn: () => T): T {
  const target = backend as unknown as { fused: unknown };
  const saved = target.fused;
  target.fused = {};
  try {
    return fn();
  } finally {
    target.fused = saved;
  }
}

/** Records op names while an observer that tracks every input is installed. */
function recorded<T>(fn: () => T): { result: T; ops: string[] } {
  const ops: string[] = [];
  const observer: OpObserver = {
    tracks: () => true,
    record: (op: string, _inputs: readonly Tensor[], _output: Tensor, _attrs: OpAttrs) => {
      ops.push(op);
    },
  };
  const previous = setOpObserver(observer);
  try {
    return { result: fn(), ops };
  } finally {
    setOpObserver(previous);
  }
}

const ACTIVATIONS: readonly FusedActivation[] = ["linear", "relu", "sigmoid", "tanh"];

describe("activationGrad", () => {
  test("gives dy·act'(z) from y, fused and composed alike, in both float dtypes", () => {
    for (const dtype of ["float32", "float64"] as const) {
      using dy = tensor(
        [
          [1.5, -2, 0.25],
          [3, -0.5, 4],
        ],
        { dtype },
      );
      using y = tensor(
        [
          [0.2, 0, -0.1],
          [0.9, 0.5, Number.NaN],
        ],
        { dtype },
      );
      const expected: Record<FusedActivation, (d: number, s: number) => number> = {
        linear: (d) => d,
        relu: (d, s) => (s > 0 ? d : 0),
        sigmoid: (d, s) => d * (s * (1 - s)),
        tanh: (d, s) => d * (1 - s * s),
      };
      const dyv = vals(dy);
      const yv = vals(y);
      for (const act of ACTIVATIONS) {
        const want = dyv.map((d, i) => expected[act](d, yv[i] as number));
        using fused = activationGrad(dy, y, act);
        using composed = withoutFused(() => activationGrad(dy, y, act));
        expect(fused.shape).toEqual([2, 3]);
        expect(fused.dtype).toBe(dtype);
        expectClose(vals(fused), want, { rtol: 1e-6, atol: 1e-7 });
        expectClose(vals(composed), want, { rtol: 1e-6, atol: 1e-7 });
      }
    }
  });

  test("runs as primitives while its inputs are being differentiated", () => {
    using dy = tensor([1, 2]);
    using y = tensor([0.5, 0.25]);
    const { result, ops } = recorded(() => activationGrad(dy, y, "sigmoid"));
    result.dispose();
    expect(ops).toEqual(["sub", "mul", "mul"]);
  });

  test("rejects mismatched shapes, dtypes, integer operands and unknown activations", () => {
    using a = tensor([1, 2]);
    using b = tensor([1, 2, 3]);
    using c = tensor([1, 2], { dtype: "float64" });
    using i = tensor([1, 2], { dtype: "int32" });
    expect(() => activationGrad(a, b, "relu")).toThrow(/activationGrad: .* differ in shape/);
    expect(() => activationGrad(a, c, "relu")).toThrow(/activationGrad: dy is float32 but y is float64/);
    expect(() => activationGrad(i, i, "relu")).toThrow(/activationGrad/);
    expect(() => activationGrad(a, a, "gelu" as FusedActivation)).toThrow(/not one of linear/);
  });
});

describe("adamUpdate", () => {
  const hyper = { stepSize: 0.01, beta1: 0.9, beta2: 0.999, epsilon: 1e-7 };

  test("matches the paper's update, fused and composed alike", () => {
    for (const dtype of ["float32", "float64"] as const) {
      const pv = [0.5, -1, 2, 0];
      const gv = [0.1, -0.2, 0, 3];
      const mv = [0.01, 0, -0.05, 0.2];
      const vv = [0.001, 0.04, 0, 0.5];
      using p = tensor(pv, { dtype });
      using g = tensor(gv, { dtype });
      using m = tensor(mv, { dtype });
      using v = tensor(vv, { dtype });
      const m1 = mv.map((x, i) => x + ((gv[i] as number) - x) * (1 - hyper.beta1));
      const v1 = vv.map((x, i) => x + ((gv[i] as number) ** 2 - x) * (1 - hyper.beta2));
      const p1 = pv.map(
        (x, i) => x - ((m1[i] as number) * hyper.stepSize) / (Math.sqrt(v1[i] as number) + hyper.epsilon),
      );
      for (const run of [
        () => adamUpdate(p, g, m, v, hyper),
        () => withoutFused(() => adamUpdate(p, g, m, v, hyper)),
      ]) {
        const next = run();
        try {
          expect(next.param.dtype).toBe(dtype);
          expectClose(vals(next.param), p1, { rtol: 1e-6, atol: 1e-7 });
          expectClose(vals(next.m), m1, { rtol: 1e-6, atol: 1e-9 });
          expectClose(vals(next.v), v1, { rtol: 1e-6, atol: 1e-9 });
        } finally {
          next.param.dispose();
          next.m.dispose();
          next.v.dispose();
        }
      }
      expect(vals(p)).toEqual(Array.from(Float32Array.from(pv))); // inputs unchanged
    }
  });

  test("runs as primitives while its inputs are being differentiated", () => {
    using p = tensor([1]);
    using g = tensor([1]);
    using m = tensor([0]);
    using v = tensor([0]);
    const { result, ops } = recorded(() => adamUpdate(p, g, m, v, hyper));
    for (const t of [result.param, result.m, result.v]) t.dispose();
    expect(ops).toContain("sqrt");
    expect(ops.length).toBe(12);
  });

  test("rejects operands of other shapes or dtypes", () => {
    using p = tensor([1, 2]);
    using q = tensor([1, 2, 3]);
    using d = tensor([1, 2], { dtype: "float64" });
    expect(() => adamUpdate(p, q, p, p, hyper)).toThrow(/adamUpdate: operand .* differs from the parameter/);
    expect(() => adamUpdate(p, d, p, p, hyper)).toThrow(/adamUpdate: operands mix float32 and float64/);
  });
});
