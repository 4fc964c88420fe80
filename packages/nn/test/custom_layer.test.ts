import { gradcheck, valueAndGrads } from "@tapegrad/autograd";
import {
  add,
  type DType,
  dispose,
  matmul,
  mean,
  memory,
  mul,
  randomNormal,
  square,
  sub,
  sum,
  type Tensor,
  tanh,
  tidy,
  type Variable,
  zeros,
} from "@tapegrad/core";
import { Dense, functionalCall, glorotUniform, Module, parameter, Sequential } from "@tapegrad/nn";
import { describe, expect, test } from "vitest";
import { checkLeaks, vals } from "./module_helpers.js";

checkLeaks();

/** A gated affine layer written in plain tensor ops: tanh(x·W) ⊙ g + b. Two Variables and a gain vector. */
class Gated extends Module {
  readonly weight: Variable;
  readonly shift: Variable;

  constructor(inFeatures: number, units: number, seed: number, dtype: DType = "float32") {
    super();
    this.weight = parameter(glorotUniform([inFeatures, units], { rng: seed, dtype }), "weight");
    this.shift = parameter(zeros([units], dtype), "shift");
  }

  forward(x: Tensor): Tensor {
    using xw = matmul(x, this.weight);
    using t = tanh(xw);
    using scaled = mul(t, 1.5);
    return add(scaled, this.shift);
  }
}

function mse(model: Module, x: Tensor, y: Tensor): Tensor {
  using pred = model.call(x);
  using diff = sub(pred, y);
  using sq = square(diff);
  return mean(sq);
}

describe("a custom layer end to end", () => {
  test("inside Sequential, trained with an inline SGD loop: the loss falls and nothing leaks", () => {
    using model = new Sequential([new Gated(4, 8, 1), new Dense(8, 2, { seed: 2 })]);
    expect(model.namedParameters().map(([n]) => n)).toEqual([
      "layers.0.weight",
      "layers.0.shift",
      "layers.1.kernel",
      "layers.1.bias",
    ]);
    using x = randomNormal([32, 4], { seed: 3 });
    using w = randomNormal([4, 2], { seed: 4 });
    using y = tidy(() => tanh(matmul(x, w)));
    const params = model.parameters();
    const baseline = memory().numTensors;
    const losses: number[] = [];
    for (let step = 0; step < 30; step++) {
      const { value, grads } = valueAndGrads(() => mse(model, x, y), params);
      losses.push(value.item() as number);
      params.forEach((p, i) => {
        using update = mul(grads[i] as Tensor, 0.2);
        using next = sub(p, update);
        p.assign(next);
      });
      dispose([value, grads]);
      expect(memory().numTensors).toBe(baseline);
    }
    expect(losses.at(-1)).toBeLessThan(0.5 * (losses[0] as number));
    for (let i = 1; i < losses.length; i++) expect(losses[i]).toBeLessThan((losses[i - 1] as number) + 1e-6);
  });

  test("gradcheck in float64: with respect to the input and to the layer's own parameters", () => {
    using layer = new Gated(3, 2, 5, "float64");
    using x = randomNormal([4, 3], { seed: 6, dtype: "float64" });
    expect(gradcheck((input) => tidy(() => sum(layer.call(input))), [x]).ok).toBe(true);
    const names = layer.namedParameters().map(([n]) => n);
    const before = vals(layer.weight);
    const result = gradcheck(
      (weight, shift) =>
        tidy(() => {
          const y = functionalCall(
            layer,
            { [names[0] as string]: weight as Tensor, [names[1] as string]: shift as Tensor },
            x,
          );
          return sum(mul(y, y));
        }),
      layer.parameters(),
    );
    expect(result.ok).toBe(true);
    expect(result.checked).toBeGreaterThan(0);
    // functionalCall swapped the fields only for the call.
    expect(layer.weight.name).toBe("weight");
    expect(vals(layer.weight)).toEqual(before);
  });

  test("a Dense layer with a non-fused activation and a Sequential gradcheck in fast mode", () => {
    using model = new Sequential([
      new Dense(3, 4, { activation: "elu", seed: 0, dtype: "float64" }),
      new Dense(4, 2, { activation: "tanh", seed: 1, dtype: "float64" }),
    ]);
    using x = randomNormal([5, 3], { seed: 2, dtype: "float64" });
    const entries = model.namedParameters();
    const f = (...ps: Tensor[]) =>
      tidy(() =>
        sum(square(functionalCall(model, Object.fromEntries(entries.map(([n], i) => [n, ps[i] as Tensor])), x))),
      );
    expect(gradcheck(f, model.parameters(), { mode: "full" }).ok).toBe(true);
    expect(gradcheck(f, model.parameters(), { mode: "fast" }).ok).toBe(true);
  });

  test("functionalCall rejects unknown names and wrong shapes, and restores fields when forward throws", () => {
    using layer = new Gated(3, 2, 0);
    using bad = zeros([2, 2]);
    using x = zeros([1, 3]);
    expect(() => functionalCall(layer, { nope: bad }, x)).toThrow(/no parameter "nope"; it has weight, shift/);
    expect(() => functionalCall(layer, { weight: bad }, x)).toThrow(/"weight" is float32\[3,2\], got float32\[2,2\]/);
    using wrongX = zeros([1, 5]);
    using w = zeros([3, 2]);
    expect(() => functionalCall(layer, { weight: w }, wrongX)).toThrow();
    expect(layer.weight).not.toBe(w);
    expect(layer.parameters()).toHaveLength(2);
  });
});
