import { grad, valueAndGrad, vjp } from "@tapegrad/autograd";
import { add, dispose, getOpObserver, isFloat, mul, square, sum, type Tensor } from "@tapegrad/core";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { live, make } from "./helpers.js";
import { type Built, OP_CASES } from "./op_cases.js";

function floatPositions(xs: readonly Tensor[]): number[] {
  return xs.flatMap((x, i) => (isFloat(x.dtype) ? [i] : []));
}

/** A scalar from f: the sum of its output times fixed weights, so no cotangent is uniform. */
function scalarOf(b: Built): (...xs: Tensor[]) => Tensor {
  return (...xs) => {
    const y = b.f(...xs);
    return sum(mul(y, add(y, 0.5)));
  };
}

function samples(arb: fc.Arbitrary<Built>, n = 2): Built[] {
  return fc.sample(arb, { numRuns: n, seed: 7 });
}

describe("after valueAndGrad the only new live tensors are its outputs", () => {
  for (const op of OP_CASES) {
    it(op.name, () => {
      for (const b of samples(op.arb)) {
        const xs = make(b.specs);
        const argnums = floatPositions(xs);
        const before = live();
        const { value, grad: g } = valueAndGrad(scalarOf(b), { argnums })(...xs);
        expect(live()).toBe(before + 1 + argnums.length);
        expect(getOpObserver()).toBe(null);
        dispose([value, g, xs]);
      }
    });
  }
});

describe("the same holds for nested, second-order use", () => {
  for (const op of OP_CASES) {
    it(op.name, () => {
      const [b] = samples(op.arb, 1) as [Built];
      const xs = make(b.specs);
      const argnums = floatPositions(xs);
      const inner = grad(scalarOf(b), { argnums });
      // A gradient penalty: Σ‖∂f/∂xᵢ‖², differentiated again.
      const penalty = (...ys: Tensor[]): Tensor => {
        const gs = inner(...ys);
        return gs.map((g) => sum(square(g))).reduce((a, c) => add(a, c));
      };
      const before = live();
      const { value, grad: g } = valueAndGrad(penalty, { argnums })(...xs);
      expect(live()).toBe(before + 1 + argnums.length);
      dispose([value, g, xs]);
    });
  }
});

describe("vjp frees its tape on dispose", () => {
  it("leaves only the value and the pulled-back gradients", () => {
    for (const op of OP_CASES) {
      const [b] = samples(op.arb, 1) as [Built];
      const xs = make(b.specs);
      const floats = floatPositions(xs);
      const before = live();
      const r = vjp(
        (...fs: Tensor[]) => b.f(...xs.map((x, i) => (floats.includes(i) ? (fs[floats.indexOf(i)] as Tensor) : x))),
        ...floats.map((i) => xs[i] as Tensor),
      );
      const zero = mul(r.value, 0);
      const ct = add(zero, 1);
      const gs = r.pullback(ct);
      r.dispose();
      dispose([zero, ct]);
      expect(live(), op.name).toBe(before + 1 + floats.length);
      dispose([r.value, gs, xs]);
    }
  });
});
