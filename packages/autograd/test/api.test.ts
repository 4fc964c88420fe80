import {
  customGrad,
  GradientError,
  grad,
  grads,
  noGrad,
  stopGradient,
  valueAndGrad,
  valueAndGrads,
  vjp,
} from "@tapegrad/autograd";
import {
  add,
  cast,
  DisposedError,
  dispose,
  exp,
  getOpObserver,
  matmul,
  mul,
  type OpObserver,
  ones,
  setOpObserver,
  sigmoid,
  square,
  sum,
  TapegradError,
  type Tensor,
  tensor,
  tidy,
  variable,
} from "@tapegrad/core";
import { describe, expect, it } from "vitest";
import { f64, live } from "./helpers.js";

const arr = (t: Tensor): unknown => t.toArray();
const close = (t: Tensor, expected: number[], digits = 10): void => {
  const got = Array.from(t.dataSync());
  expect(got.length).toBe(expected.length);
  got.forEach((v, i) => {
    expect(v).toBeCloseTo(expected[i] as number, digits);
  });
};

describe("grad and valueAndGrad", () => {
  it("differentiates a scalar function of one tensor", () => {
    const x = f64([1, 2, 3], [3]);
    const dx = grad((x) => sum(square(x)))(x);
    expect(arr(dx)).toEqual([2, 4, 6]);
    expect(dx.dtype).toBe("float64");
    dispose([x, dx]);
  });

  it("picks arguments with argnums (one or a list)", () => {
    const a = f64([1, 2], [2]);
    const b = f64([3, 5], [2]);
    const f = (a: Tensor, b: Tensor) => sum(mul(a, b));
    expect(arr(grad(f, { argnums: 1 })(a, b))).toEqual([1, 2]);
    const [da, db] = grad(f, { argnums: [0, 1] })(a, b);
    expect(arr(da as Tensor)).toEqual([3, 5]);
    expect(arr(db as Tensor)).toEqual([1, 2]);
    const { value, grad: g } = valueAndGrad(f, { argnums: [1, 0] })(a, b);
    expect(value.item()).toBe(13);
    expect(g.map(arr)).toEqual([
      [1, 2],
      [3, 5],
    ]);
  });

  it("returns zeros of the input's shape and dtype when the output does not depend on it", () => {
    const x = f64([1, 2], [2]);
    const y = f64([4], [1]);
    const [dx, dy] = grad((x: Tensor, _y: Tensor) => sum(x), { argnums: [0, 1] })(x, y);
    expect(arr(dy as Tensor)).toEqual([0]);
    expect(arr(dx as Tensor)).toEqual([1, 1]);
    const dc = grad((_x: Tensor) => tensor(3, { dtype: "float64" }))(x);
    expect(arr(dc)).toEqual([0, 0]);
  });

  it("returns gradients in the input's dtype across casts (float32 input, float64 compute)", () => {
    const x = tensor([1, 2], { dtype: "float32" });
    const dx = grad((x) => sum(square(cast(x, "float64"))))(x);
    expect(dx.dtype).toBe("float32");
    expect(arr(dx)).toEqual([2, 4]);
  });

  it("undoes broadcasting: a bias added to every row gets the column sums", () => {
    const x = f64([1, 2, 3, 4, 5, 6], [3, 2]);
    const b = f64([10, 20], [2]);
    const db = grad((b: Tensor) => sum(mul(add(x, b), x)))(b);
    expect(db.shape).toEqual([2]);
    expect(arr(db)).toEqual([9, 12]);
  });

  it("accumulates a tensor used twice; argnums are positions, so f(x, x) has two arguments", () => {
    const x = f64([3], []);
    expect(grad((x) => mul(x, x))(x).item()).toBe(6);
    const [d0, d1] = grad((a: Tensor, b: Tensor) => mul(a, b), { argnums: [0, 1] })(x, x);
    expect([(d0 as Tensor).item(), (d1 as Tensor).item()]).toEqual([3, 3]);
    // grads works on tensors (PyTorch-like): the same tensor twice gets the total derivative twice.
    const [g0, g1] = grads(() => mul(x, x), [x, x]);
    expect([(g0 as Tensor).item(), (g1 as Tensor).item()]).toEqual([6, 6]);
    expect(g0).not.toBe(g1);
  });

  it("differentiates only through the argument, not through the same tensor closed over", () => {
    const x = f64([3], []);
    expect(grad((a: Tensor) => mul(a, x))(x).item()).toBe(3);
  });

  it("differentiates the identity (f returns its own argument)", () => {
    const x = f64([2], []);
    const { value, grad: dx } = valueAndGrad((x) => x)(x);
    expect(value.item()).toBe(2);
    value.dispose();
    expect(x.isDisposed).toBe(false);
    expect(dx.item()).toBe(1);
  });

  it("takes a one-element non-rank-0 output as a scalar", () => {
    const x = f64([1, 2], [1, 2]);
    const w = f64([3, 4], [2, 1]);
    expect(arr(grad((w: Tensor) => matmul(x, w))(w))).toEqual([[1], [2]]);
  });

  it("works on Variables, before and after assign", () => {
    const w = variable(f64([1, 2], [2]));
    expect(arr(grads(() => sum(square(w)), [w])[0] as Tensor)).toEqual([2, 4]);
    w.assign(f64([5, 6], [2]));
    expect(arr(grads(() => sum(square(w)), [w])[0] as Tensor)).toEqual([10, 12]);
  });
});

describe("grads and valueAndGrads", () => {
  const w = f64([1, 2, 3, 4], [2, 2]);
  const b = f64([0.5, -0.5], [2]);
  const x = f64([1, -1], [1, 2]);
  const loss = () => sum(square(add(matmul(x, w), b)));

  it("returns an array for an array and a record for a record", () => {
    const list = grads(loss, [w, b]);
    const rec = grads(loss, { w, b });
    expect(Array.isArray(list)).toBe(true);
    expect(Object.keys(rec)).toEqual(["w", "b"]);
    expect(arr(rec.w)).toEqual(arr(list[0] as Tensor));
    expect(arr(rec.b)).toEqual(arr(list[1] as Tensor));
    // z = x·w + b = [-1.5, -2.5]; dL/dz = 2z; dL/db = 2z; dL/dw = xᵀ·2z
    expect(arr(rec.b)).toEqual([-3, -5]);
    expect(arr(rec.w)).toEqual([
      [-3, -5],
      [3, 5],
    ]);
  });

  it("valueAndGrads returns the loss too", () => {
    const { value, grads: g } = valueAndGrads(loss, { w, b });
    expect(value.item()).toBeCloseTo(8.5, 12);
    expect(g.b.shape).toEqual([2]);
  });
});

describe("errors", () => {
  it("refuses a non-scalar output, naming the shape and vjp", () => {
    const x = f64([1, 2], [2]);
    expect(() => grad((x) => exp(x))(x)).toThrow(GradientError);
    expect(() => grad((x) => exp(x))(x)).toThrow(/float64\[2\].*vjp/);
    expect(() => grads(() => exp(x), [x])).toThrow(/non-scalar/);
  });

  it("refuses gradients with respect to int32 and bool tensors", () => {
    const i = tensor([1, 2], { dtype: "int32" });
    const bits = tensor([true, false]);
    expect(() => grad((i) => sum(i))(i)).toThrow(GradientError);
    expect(() => grad((i) => sum(i))(i)).toThrow(/int32\[2\].*float32 and float64/);
    expect(() => grads(() => sum(bits), { bits })).toThrow(/params\.bits is bool\[2\]/);
    expect(() => vjp((i) => i, i)).toThrow(GradientError);
  });

  it("refuses an int output", () => {
    const x = f64([1.5], []);
    expect(() => grad((x) => cast(x, "int32"))(x)).toThrow(/only float outputs/);
  });

  it("refuses a disposed input with a DisposedError", () => {
    const x = f64([1], []);
    x.dispose();
    expect(() => grad((x) => x)(x)).toThrow(DisposedError);
  });

  it("refuses argnums out of range and a function that returns no tensor", () => {
    const x = f64([1], []);
    expect(() => grad((x) => x, { argnums: 2 })(x)).toThrow(/argnums 2 is out of range/);
    expect(() => grad((() => 3) as unknown as (x: Tensor) => Tensor)(x)).toThrow(/returned number/);
  });

  it("refuses a misplaced argument with a GradientError naming the API, before running anything", () => {
    const x = f64([1], []);
    const notAFunction = 3 as unknown as (x: Tensor) => Tensor;
    expect(() => grad(notAFunction)).toThrow(/^grad: f is number, expected a function$/);
    expect(() => valueAndGrad(notAFunction)).toThrow(/^valueAndGrad: f is number, expected a function$/);
    expect(() => grads(notAFunction as never, [x])).toThrow(/^grads: f is number, expected a function$/);
    expect(() => vjp(notAFunction, x)).toThrow(/^vjp: f is number, expected a function$/);
    expect(() => customGrad(notAFunction as never, (dy) => [dy])).toThrow(/^customGrad: forward is number/);
    expect(() => customGrad((x: Tensor) => ({ value: x }), null as never)).toThrow(
      /^customGrad: backward is null, expected a function$/,
    );
    expect(() => noGrad([] as never)).toThrow(/^noGrad: fn is an array, expected a function$/);
    expect(() => stopGradient(2 as never)).toThrow(/^stopGradient: x is number, expected a Tensor$/);
    expect(() => grads(() => sum(x), null as never)).toThrow(
      /^grads: params is null, expected a list or a record of tensors/,
    );
    expect(() => valueAndGrads(() => sum(x), x as never)).toThrow(
      /^valueAndGrads: params is a single Tensor float64\[\], expected a list or a record/,
    );
    expect(() => grad((x) => x)([1] as never)).toThrow(/^grad: argument 0 is an array, expected a Tensor$/);
    for (const f of [() => grad(notAFunction), () => stopGradient(2 as never)]) expect(f).toThrow(GradientError);
    const gone = f64([1], []);
    gone.dispose();
    expect(() => stopGradient(gone)).toThrow(DisposedError);
  });

  it("every error is a TapegradError", () => {
    expect(new GradientError("x")).toBeInstanceOf(TapegradError);
  });

  it("leaves no observer and no tensors behind when f throws", () => {
    const x = f64([1], []);
    const before = live();
    expect(() =>
      grad((x) => {
        exp(x);
        throw new Error("boom");
      })(x),
    ).toThrow("boom");
    expect(getOpObserver()).toBe(null);
    expect(live()).toBe(before);
  });
});

describe("vjp", () => {
  it("pulls back a cotangent of any shape, repeatedly, until dispose", () => {
    const x = f64([1, 2, 3], [3]);
    const r = vjp((x) => mul(x, x), x);
    expect(arr(r.value)).toEqual([1, 4, 9]);
    const [d1] = r.pullback(f64([1, 1, 1], [3]));
    const [d2] = r.pullback(f64([1, 0, 2], [3]));
    expect(arr(d1 as Tensor)).toEqual([2, 4, 6]);
    expect(arr(d2 as Tensor)).toEqual([2, 0, 12]);
    r.dispose();
    expect(() => r.pullback(f64([1, 1, 1], [3]))).toThrow(/after dispose/);
    r.dispose();
  });

  it("checks the cotangent's shape and dtype", () => {
    const x = f64([1, 2], [2]);
    using r = vjp((x) => exp(x), x);
    expect(() => r.pullback(f64([1], [1]))).toThrow(/cotangent is float64\[1\], expected the value's float64\[2\]/);
    expect(() => r.pullback(tensor([1, 1]))).toThrow(GradientError);
  });

  it("keeps working after the caller disposes the inputs and the value", () => {
    const x = f64([0, 1], [2]);
    const r = vjp((x) => exp(x), x);
    x.dispose();
    r.value.dispose();
    const [dx] = r.pullback(f64([1, 1], [2]));
    close(dx as Tensor, [1, Math.E]);
    r.dispose();
  });

  it("never hands out one of the inputs as its value", () => {
    const x = f64([1], []);
    const r = vjp((x) => x, x);
    expect(r.value).not.toBe(x);
    r.value.dispose();
    expect(x.isDisposed).toBe(false);
    r.dispose();
  });
});

describe("noGrad and stopGradient", () => {
  it("noGrad hides ops from the tape", () => {
    const x = f64([2], []);
    // d/dx (x · c) with c = x² computed without gradient: c = 4
    expect(
      grad((x) =>
        mul(
          x,
          noGrad(() => square(x)),
        ),
      )(x).item(),
    ).toBe(4);
  });

  it("a gradient taken inside noGrad still works and leaves the outer tape alone", () => {
    const x = f64([3], []);
    const dx = grad((x) => {
      const inner = noGrad(() => grad((y: Tensor) => mul(y, y))(x));
      return mul(x, inner); // inner = 2x = 6, a constant here
    })(x);
    expect(dx.item()).toBe(6);
  });

  it("stopGradient makes a constant view", () => {
    const x = f64([2], []);
    expect(grad((x) => mul(x, stopGradient(x)))(x).item()).toBe(2);
    const s = stopGradient(x);
    expect(s).not.toBe(x);
    expect(s.item()).toBe(2);
  });

  it("installs no observer outside a gradient computation", () => {
    expect(getOpObserver()).toBe(null);
    const x = f64([1], []);
    let seen: OpObserver | null = null;
    grad((x) => {
      seen = getOpObserver();
      return exp(x);
    })(x);
    expect(seen).not.toBe(null);
    expect(getOpObserver()).toBe(null);
  });

  it("restores a previously installed observer", () => {
    const mine: OpObserver = { tracks: () => false, record: () => {} };
    setOpObserver(mine);
    try {
      grad((x: Tensor) => exp(x))(f64([1], []));
      expect(getOpObserver()).toBe(mine);
    } finally {
      setOpObserver(null);
    }
  });
});

describe("higher order", () => {
  it("grad(grad(f)) for exp, tanh, sigmoid", () => {
    const x = f64([0.3], []);
    const d2 = (f: (x: Tensor) => Tensor) => grad(grad(f))(x).item() as number;
    expect(d2(exp)).toBeCloseTo(Math.exp(0.3), 12);
    const s = 1 / (1 + Math.exp(-0.3));
    expect(d2(sigmoid)).toBeCloseTo(s * (1 - s) * (1 - 2 * s), 12);
  });

  it("third derivative of x⁴ is 24x", () => {
    const x = f64([2], []);
    const f = (x: Tensor) => mul(square(x), square(x));
    expect(grad(grad(grad(f)))(x).item()).toBeCloseTo(48, 10);
  });

  it("grads inside valueAndGrad (a gradient penalty)", () => {
    const w = f64([1, -2], [2]);
    // L(w) = |∇_w Σ w³|² = Σ (3w²)² = 9 Σ w⁴; dL/dw = 36 w³
    const dw = grad((w: Tensor) => {
      const g = grad((v: Tensor) => sum(mul(v, square(v))))(w);
      return sum(square(g));
    })(w);
    expect(arr(dw)).toEqual([36, -288]);
  });
});

describe("customGrad", () => {
  it("uses the custom backward and its saved residuals", () => {
    const clipGrad = customGrad(
      (x: Tensor) => ({ value: mul(x, 1), save: [ones(x.shape, x.dtype)] }),
      (dy, [one]) => [mul(dy, mul(one as Tensor, 0.5))],
    );
    const x = f64([1, 2], [2]);
    expect(arr(grad((x) => sum(clipGrad(x)))(x))).toEqual([0.5, 0.5]);
  });

  it("frees what forward made, and the saved residuals after the gradient", () => {
    const f = customGrad(
      (x: Tensor) => {
        const e = exp(x);
        return { value: mul(e, 2), save: [e] };
      },
      (dy, [e]) => [mul(dy, mul(e as Tensor, 2))],
    );
    const x = f64([0, 1], [2]);
    const before = live();
    const { value, grad: dx } = valueAndGrad((x) => sum(f(x)))(x);
    close(dx, [2, 2 * Math.E]);
    expect(live()).toBe(before + 2);
    dispose([value, dx]);
  });

  it("can return dy itself and an input (identity and pass-through)", () => {
    const id = customGrad(
      (a: Tensor, b: Tensor) => ({ value: add(a, b) }),
      (dy) => [dy, dy],
    );
    const a = f64([1], []);
    const b = f64([2], []);
    const [da, db] = grad((a: Tensor, b: Tensor) => mul(id(a, b), 3), { argnums: [0, 1] })(a, b);
    expect([(da as Tensor).item(), (db as Tensor).item()]).toEqual([3, 3]);
    expect(a.isDisposed || b.isDisposed).toBe(false);
  });

  it("is differentiable twice through its inputs", () => {
    const cube = customGrad(
      (x: Tensor) => ({ value: mul(x, square(x)) }),
      (dy, _saved, [x]) => [mul(dy, mul(square(x), 3))],
    );
    const x = f64([2], []);
    expect(grad(grad(cube))(x).item()).toBe(12);
  });

  it("a backward returning the wrong number of gradients is a GradientError", () => {
    const bad = customGrad(
      (x: Tensor) => ({ value: exp(x) }),
      (dy) => [dy, dy],
    );
    expect(() => grad(bad)(f64([1], []))).toThrow(/returned 2 gradients for 1 inputs/);
  });

  it("a gradient of the wrong dtype is a GradientError", () => {
    const bad = customGrad(
      (x: Tensor) => ({ value: exp(x) }),
      (dy) => [cast(dy, "float32")],
    );
    expect(() => grad(bad)(f64([1], []))).toThrow(/gradient for input 0 is float32/);
  });

  it("leaves everything tidy inside the user's tidy", () => {
    const x = f64([1, 2], [2]);
    const before = live();
    tidy(() => {
      grad((x) => sum(exp(x)))(x);
    });
    expect(live()).toBe(before);
  });
});
