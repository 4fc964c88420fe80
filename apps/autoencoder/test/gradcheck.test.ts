import { gradcheck, grads, valueAndGrads } from "@tapegrad/autograd";
import { cpu } from "@tapegrad/backend-cpu";
import { dense, dispose, relu, setBackend, type Tensor, tensor } from "@tapegrad/core";
import { categoricalCrossentropy } from "@tapegrad/nn";
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import {
  type Architecture,
  buildAutoencoder,
  buildClassifier,
  EXPERIMENTS,
  functionalForward,
  type LossName,
  lossFunction,
} from "../src/models.js";
import type { ModelId } from "../src/reference.js";

beforeAll(() => setBackend(cpu()));

// The lecture's architectures with every width scaled down, so a full Jacobian check (two
// evaluations per parameter) takes milliseconds; depth, activations and losses are unchanged.
const SMALL: Record<ModelId, Architecture> = {
  L1: { widths: [12, 5, 3, 5, 12], output: "linear" },
  L2: { widths: [12, 5, 3, 5, 12], output: "sigmoid" },
  L3: { widths: [12, 5, 3, 5, 12], output: "sigmoid" },
  L4: { widths: [10, 8, 6, 4, 2, 4, 6, 8, 10], output: "sigmoid" },
};

function paramCount(widths: readonly number[]): number {
  let n = 0;
  for (let i = 0; i + 1 < widths.length; i++)
    n += (widths[i] as number) * (widths[i + 1] as number) + (widths[i + 1] as number);
  return n;
}

// Every (model, loss) pair the experiments train: L3 trains with MSE, then BCE.
const CASES: [ModelId, LossName][] = (Object.keys(EXPERIMENTS) as ModelId[]).flatMap((id) =>
  [...new Set(EXPERIMENTS[id].phases.map((p) => p.loss))].map((loss) => [id, loss] as [ModelId, LossName]),
);

const nonZero = fc
  .tuple(fc.double({ min: 0.05, max: 0.9, noNaN: true }), fc.boolean())
  .map(([m, negative]) => (negative ? -m : m));

/**
 * The smallest |pre-activation| of any relu unit: finite differences straddle relu's kink when
 * a unit sits within eps of 0, where the derivative is undefined, so such cases are skipped.
 */
function minAbsPreActivation(params: readonly Tensor[], x: Tensor): number {
  let h = x.clone();
  let min = Infinity;
  for (let i = 0; i + 2 < params.length; i += 2) {
    const z = dense(h, params[i] as Tensor, params[i + 1] as Tensor, "linear");
    for (const v of z.dataSync()) min = Math.min(min, Math.abs(v));
    h.dispose();
    h = relu(z);
    z.dispose();
  }
  h.dispose();
  return min;
}

const caseArb = fc.constantFrom(...CASES).chain(([id, loss]) => {
  const widths = SMALL[id].widths;
  const inW = widths[0] as number;
  return fc.record({
    id: fc.constant(id),
    loss: fc.constant(loss),
    batch: fc.integer({ min: 1, max: 3 }),
    // Weights as glorot would scale them; inputs are grey levels away from 0 and 1 like MNIST's.
    // Magnitudes bounded away from 0: all-zero shrinks would sit every relu exactly on its kink.
    weights: fc.array(nonZero, {
      minLength: paramCount(widths),
      maxLength: paramCount(widths),
    }),
    pixels: fc.array(fc.double({ min: 0.02, max: 0.98, noNaN: true }), { minLength: 3 * inW, maxLength: 3 * inW }),
  });
});

function splitParams(model: ReturnType<typeof buildAutoencoder>, flat: readonly number[]): Tensor[] {
  let k = 0;
  return model.parameters().map((p) => {
    const values = Float64Array.from(flat.slice(k, k + p.size));
    k += p.size;
    return tensor(values, { shape: [...p.shape], dtype: "float64" });
  });
}

describe("gradients of the app's models", () => {
  it("every parameter's gradient passes gradcheck for L1-L4 losses and architectures", () => {
    fc.assert(
      fc.property(caseArb, ({ id, loss, batch, weights, pixels }) => {
        const arch = SMALL[id];
        const inW = arch.widths[0] as number;
        const model = buildAutoencoder(arch, { dtype: "float64" });
        const params = splitParams(model, weights);
        const x = tensor(Float64Array.from(pixels.slice(0, batch * inW)), { shape: [batch, inW], dtype: "float64" });
        const lossFn = lossFunction(loss);
        try {
          fc.pre(minAbsPreActivation(params, x) > 1e-4);
          const result = gradcheck((...ps: Tensor[]) => lossFn(x, functionalForward(model, ps, x)), params, {
            raise: false,
            atol: 1e-6,
            rtol: 1e-4,
          });
          expect(result.ok, result.report).toBe(true);
          expect(result.checked).toBe(paramCount(arch.widths));
        } finally {
          dispose([...params, x]);
          model.dispose();
        }
      }),
      { numRuns: 12 },
    );
  });

  it("the Module's own forward and gradients are the checked function's", () => {
    fc.assert(
      fc.property(fc.constantFrom(...CASES), fc.integer({ min: 0, max: 1000 }), ([id, loss], seed) => {
        const arch = SMALL[id];
        const inW = arch.widths[0] as number;
        const model = buildAutoencoder(arch, { dtype: "float64", seed });
        const x = tensor(
          Float64Array.from({ length: 2 * inW }, (_, i) => ((i * 37 + seed) % 97) / 100 + 0.01),
          { shape: [2, inW], dtype: "float64" },
        );
        const lossFn = lossFunction(loss);
        const params = model.parameters();
        const viaModule = valueAndGrads(() => lossFn(x, model.call(x)), params);
        const viaFunction = grads(() => lossFn(x, functionalForward(model, params, x)), params);
        try {
          const y1 = model.call(x);
          const y2 = functionalForward(model, params, x);
          expect([...y1.dataSync()]).toEqual([...y2.dataSync()]);
          dispose([y1, y2]);
          viaModule.grads.forEach((g, i) => {
            const a = g.dataSync();
            const b = (viaFunction[i] as Tensor).dataSync();
            for (let j = 0; j < a.length; j++) expect(a[j]).toBeCloseTo(b[j] as number, 12);
          });
        } finally {
          dispose([viaModule.value, ...viaModule.grads, ...viaFunction, x]);
          model.dispose();
        }
      }),
      { numRuns: 8 },
    );
  });

  it("functionalForward refuses a parameter list of the wrong length", () => {
    const model = buildAutoencoder(SMALL.L1, { dtype: "float64" });
    const x = tensor(new Float64Array(12), { shape: [1, 12], dtype: "float64" });
    expect(() => functionalForward(model, model.parameters().slice(1), x)).toThrow(
      /functionalForward: got 7 tensors, expected one per parameter \(8\)/,
    );
    x.dispose();
    model.dispose();
  });

  it("the classifier's categorical cross-entropy gradient passes gradcheck", () => {
    const model = buildClassifier({ widths: [8, 5, 4, 3], dtype: "float64", seed: 3 });
    const x = tensor(
      Float64Array.from({ length: 16 }, (_, i) => ((i * 13) % 17) / 17),
      { shape: [2, 8], dtype: "float64" },
    );
    const y = tensor(new Float64Array([1, 0, 0, 0, 0, 1]), { shape: [2, 3], dtype: "float64" });
    const params = model.parameters().map((p) => p.clone());
    // Softmax output + categorical cross-entropy, the classify command's loss.
    const result = gradcheck((...ps: Tensor[]) => categoricalCrossentropy(y, functionalForward(model, ps, x)), params, {
      raise: false,
    });
    expect(result.ok, result.report).toBe(true);
    dispose([...params, x, y]);
    model.dispose();
  });
});
