import { type DType, dispose, memory, type Tensor, tensor, tidy, type Variable, variable } from "@tapegrad/core";
import { Adadelta, Adagrad, Adam, AdamW, getOptimizer, type Optimizer, RMSprop, SGD } from "@tapegrad/nn";
import { describe, expect, it } from "vitest";
import { checkLeaks } from "./module_helpers.js";
import { values } from "./training_helpers.js";

checkLeaks();

const P0 = [0.5, -1.25, 2];
/** A fixed gradient sequence with sign changes and differing scales per coordinate. */
const gradAt = (t: number): number[] => [0.1 * (t + 1), -0.2 + 0.15 * t, t % 2 === 0 ? 0.3 : -0.05];
const STEPS = 5;

/**
 * A parameter holding `values`. `variable` shares its initial tensor's storage; `tidy` frees
 * that tensor's handle, so the variable is all that stays alive.
 */
const param = (values: number[], name: string, dtype: DType = "float32"): Variable =>
  tidy(() => variable(tensor(values, { dtype }), { name }));

/** Runs `STEPS` steps of `make(params)` on float64 parameters and returns their values. */
function run(make: (params: Variable[]) => Optimizer): number[] {
  const p = param(P0, "p", "float64");
  const opt = make([p]);
  for (let t = 0; t < STEPS; t++) {
    const g = tensor(gradAt(t), { dtype: "float64" });
    opt.step([g]);
    g.dispose();
  }
  const out = values(p);
  opt.dispose();
  p.dispose();
  return out;
}

/** The same rule written out by hand on plain numbers, one coordinate at a time. */
function byHand(
  rule: (p: number, g: number, s: Record<string, number>, t: number) => number,
  init: Record<string, number> = {},
): number[] {
  return P0.map((p0, i) => {
    let p = p0;
    const s = { ...init };
    for (let t = 0; t < STEPS; t++) p = rule(p, gradAt(t)[i] as number, s, t + 1);
    return p;
  });
}

function expectClose(a: number[], b: number[], digits = 12): void {
  expect(a.length).toBe(b.length);
  for (const [i, v] of a.entries()) expect(v).toBeCloseTo(b[i] as number, digits);
}

describe("optimizers against hand-computed steps", () => {
  it("SGD, plain", () => {
    expectClose(
      run((ps) => new SGD(ps, { learningRate: 0.1 })),
      byHand((p, g) => p - 0.1 * g),
    );
  });

  it("SGD with momentum, dampening and weight decay (PyTorch)", () => {
    const rule = (p: number, g0: number, s: Record<string, number>, t: number) => {
      const g = g0 + 0.01 * p;
      s.b = t === 1 ? g : 0.9 * (s.b as number) + (1 - 0.2) * g;
      return p - 0.05 * (s.b as number);
    };
    expectClose(
      run((ps) => new SGD(ps, { learningRate: 0.05, momentum: 0.9, dampening: 0.2, weightDecay: 0.01 })),
      byHand(rule, { b: 0 }),
    );
  });

  it("SGD with Nesterov momentum (PyTorch)", () => {
    const rule = (p: number, g: number, s: Record<string, number>, t: number) => {
      s.b = t === 1 ? g : 0.9 * (s.b as number) + g;
      return p - 0.05 * (g + 0.9 * (s.b as number));
    };
    expectClose(
      run((ps) => new SGD(ps, { learningRate: 0.05, momentum: 0.9, nesterov: true })),
      byHand(rule),
    );
  });

  const adamRule = (lr: number, wd: number) => (p0: number, g: number, s: Record<string, number>, t: number) => {
    const p = p0 * (1 - lr * wd);
    s.m = 0.9 * (s.m as number) + 0.1 * g;
    s.v = 0.999 * (s.v as number) + 0.001 * g * g;
    const lrT = (lr * Math.sqrt(1 - 0.999 ** t)) / (1 - 0.9 ** t);
    return p - (lrT * (s.m as number)) / (Math.sqrt(s.v as number) + 1e-7);
  };

  it("Adam (Keras 2: bias correction folded into the step, eps 1e-7)", () => {
    expectClose(
      run((ps) => new Adam(ps, { learningRate: 0.01 })),
      byHand(adamRule(0.01, 0), { m: 0, v: 0 }),
    );
  });

  it("AdamW (decoupled decay before the Adam step)", () => {
    expectClose(
      run((ps) => new AdamW(ps, { learningRate: 0.01, weightDecay: 0.1 })),
      byHand(adamRule(0.01, 0.1), { m: 0, v: 0 }),
    );
    expectClose(
      run((ps) => new AdamW(ps, { learningRate: 0.01, weightDecay: 0 })),
      run((ps) => new Adam(ps, { learningRate: 0.01 })),
      15,
    );
  });

  it("Adadelta (Keras 2: lr 1.0, rho 0.95, eps 1e-7 by default)", () => {
    const rule = (p: number, g: number, s: Record<string, number>) => {
      s.a = 0.95 * (s.a as number) + 0.05 * g * g;
      const u = (g * Math.sqrt((s.d as number) + 1e-7)) / Math.sqrt((s.a as number) + 1e-7);
      s.d = 0.95 * (s.d as number) + 0.05 * u * u;
      return p - 1.0 * u;
    };
    expectClose(
      run((ps) => new Adadelta(ps)),
      byHand(rule, { a: 0, d: 0 }),
    );
    const opt = new Adadelta([]);
    expect([opt.learningRate, opt.rho, opt.epsilon]).toEqual([1, 0.95, 1e-7]);
  });

  it("RMSprop (Keras 2: rho 0.9, eps 1e-7)", () => {
    const rule = (p: number, g: number, s: Record<string, number>) => {
      s.a = 0.9 * (s.a as number) + 0.1 * g * g;
      return p - (0.01 * g) / (Math.sqrt(s.a as number) + 1e-7);
    };
    expectClose(
      run((ps) => new RMSprop(ps, { learningRate: 0.01 })),
      byHand(rule, { a: 0 }),
    );
  });

  it("Adagrad (standalone Keras 2.3: accumulator from 0; tf.keras's 0.1 on request)", () => {
    for (const init of [0, 0.1]) {
      const rule = (p: number, g: number, s: Record<string, number>) => {
        s.a = (s.a as number) + g * g;
        return p - (0.1 * g) / (Math.sqrt(s.a as number) + 1e-7);
      };
      expectClose(
        run((ps) => new Adagrad(ps, { learningRate: 0.1, initialAccumulatorValue: init })),
        byHand(rule, { a: init }),
      );
    }
  });

  it("float32 parameters stay float32 and agree with the float64 run", () => {
    const p = param(P0, "p32");
    const opt = new Adam([p], { learningRate: 0.01 });
    for (let t = 0; t < STEPS; t++) {
      const g = tensor(gradAt(t));
      opt.step([g]);
      g.dispose();
    }
    expect(p.dtype).toBe("float32");
    expectClose(values(p), byHand(adamRule(0.01, 0), { m: 0, v: 0 }), 5);
    opt.dispose();
    p.dispose();
  });
});

describe("optimizer state", () => {
  it("steps free every intermediate and skip null gradients", () => {
    const a = param([1, 2], "a");
    const b = param([3], "b");
    const opt = new Adam([a, b]);
    const before = memory().numTensors;
    const g = tensor([0.5, -0.5]);
    opt.step([g, null]);
    g.dispose();
    expect(memory().numTensors).toBe(before);
    expect(values(b)).toEqual([3]);
    expect(opt.iterations).toBe(1);
    opt.dispose();
    dispose([a, b]);
  });

  it("stateDict round trip continues identically; reset returns to a fresh optimizer", () => {
    const makeParam = () => param(P0, "p", "float64");
    const stepN = (opt: Optimizer, from: number, to: number) => {
      for (let t = from; t < to; t++) {
        const g = tensor(gradAt(t), { dtype: "float64" });
        opt.step([g]);
        g.dispose();
      }
    };
    const p1 = makeParam();
    const o1 = new Adadelta([p1]);
    stepN(o1, 0, 2);
    const state = o1.stateDict();
    expect(Object.keys(state).sort()).toEqual([
      "accumulatedGrad.0",
      "accumulatedUpdate.0",
      "iterations",
      "learningRate",
    ]);
    expect(state.iterations).toBe(2);
    const p2 = tidy(() => variable(p1.clone(), { name: "p" }));
    const o2 = new Adadelta([p2]);
    o2.loadStateDict(state);
    dispose(Object.values(state).filter((v): v is Tensor => typeof v !== "number"));
    stepN(o1, 2, 5);
    stepN(o2, 2, 5);
    expect(values(p2)).toEqual(values(p1));

    o2.reset();
    expect(o2.iterations).toBe(0);
    const fresh = o2.stateDict();
    expect(values(fresh["accumulatedGrad.0"] as Tensor)).toEqual([0, 0, 0]);
    dispose(Object.values(fresh).filter((v): v is Tensor => typeof v !== "number"));
    for (const x of [o1, o2]) x.dispose();
    dispose([p1, p2]);
  });

  it("rejects bad state dicts without changing anything", () => {
    const p = param([1, 2], "p");
    const opt = new Adam([p]);
    const wrong = tensor([1, 2, 3]);
    expect(() => opt.loadStateDict({ iterations: 1, learningRate: 0.001, "m.0": wrong })).toThrow(
      /missing "v.0"|"m.0" must be/,
    );
    expect(() => opt.loadStateDict({ iterations: 1, learningRate: 0.001, extra: 1 })).toThrow(/unknown keys extra/);
    expect(opt.iterations).toBe(0);
    wrong.dispose();
    opt.dispose();
    p.dispose();
  });

  it("rejects bad construction and misaligned gradients with clear errors", () => {
    const p = param([1, 2], "p");
    expect(() => new Adam({} as unknown as Variable[])).toThrow(/expected the parameters to update/);
    expect(() => new SGD([p], { learningRate: -1 })).toThrow(/learningRate must be a finite number in \[0, ∞\)/);
    expect(() => new SGD([p], { nesterov: true })).toThrow(/nesterov needs momentum > 0/);
    expect(() => new Adam([p, p])).toThrow(/listed twice/);
    const opt = new RMSprop([p]);
    const g = tensor([1, 2, 3]);
    expect(() => opt.step([])).toThrow(/expected 1 gradients aligned to the parameters, got 0/);
    expect(() => opt.step([g])).toThrow(/gradient 0 is float32\[3\], parameter "p" is float32\[2\]/);
    opt.dispose();
    expect(() => opt.step([g])).toThrow(/disposed/);
    expect(() => getOptimizer("adamm", [p])).toThrow(/unknown optimizer "adamm"; known: sgd, adam/);
    const named = getOptimizer("AdaDelta", [p]);
    expect(named).toBeInstanceOf(Adadelta);
    expect(named.learningRate).toBe(1);
    named.dispose();
    g.dispose();
    p.dispose();
  });
});
