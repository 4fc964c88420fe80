import { cpu } from "@tapegrad/backend-cpu";
import { ArgumentError, memory, Rng, randomUniform, setBackend } from "@tapegrad/core";
import { type ActivationSpec, Dense, type Sequential } from "@tapegrad/nn";
import { beforeAll, describe, expect, it } from "vitest";
import { buildAutoencoder, buildClassifier, EXPERIMENTS, runLayers } from "../src/models.js";

beforeAll(() => setBackend(cpu()));

/** Each layer as [inputs, units, activation]. */
function shape(model: Sequential): [number, number, ActivationSpec][] {
  return model.layers.map((l) => {
    const d = l as Dense;
    return [d.inFeatures, d.units, d.activation];
  });
}

/** The documented construction: Dense layers drawing in order from one Rng(seed). */
function byHand(widths: number[], activations: ActivationSpec[], seed: number, dtype: "float32" | "float64") {
  const rng = new Rng(seed);
  return activations.map(
    (activation, i) => new Dense(widths[i] as number, widths[i + 1] as number, { activation, rng, dtype }),
  );
}

function sameWeights(model: Sequential, layers: Dense[]): void {
  const expected = layers.flatMap((l) => [l.kernel, l.bias]).map((t) => Array.from(t?.dataSync() ?? []));
  expect(model.parameters().map((p) => Array.from(p.dataSync()))).toEqual(expected);
  for (const l of layers) l.dispose();
}

describe("model builders", () => {
  it("buildAutoencoder: relu hidden layers, the architecture's output, weights from one seeded Rng", () => {
    using model = buildAutoencoder(EXPERIMENTS.L4.architecture, { seed: 3 });
    expect(shape(model)).toEqual([
      [784, 128, "relu"],
      [128, 64, "relu"],
      [64, 32, "relu"],
      [32, 16, "relu"],
      [16, 32, "relu"],
      [32, 64, "relu"],
      [64, 128, "relu"],
      [128, 784, "sigmoid"],
    ]);
    using small = buildAutoencoder({ widths: [6, 3, 6], output: "linear" }, { seed: 5, dtype: "float64" });
    expect(shape(small)).toEqual([
      [6, 3, "relu"],
      [3, 6, "linear"],
    ]);
    sameWeights(small, byHand([6, 3, 6], ["relu", "linear"], 5, "float64"));
  });

  it("buildClassifier: 784-128r-64r-10 softmax by default; other widths on request", () => {
    using clf = buildClassifier({ seed: 1 });
    expect(shape(clf)).toEqual([
      [784, 128, "relu"],
      [128, 64, "relu"],
      [64, 10, "softmax"],
    ]);
    using small = buildClassifier({ widths: [8, 5, 4, 3], seed: 2 });
    sameWeights(small, byHand([8, 5, 4, 3], ["relu", "relu", "softmax"], 2, "float32"));
  });
});

describe("runLayers", () => {
  it("runs the encoder; asking for more layers than the model has names both numbers", () => {
    using model = buildAutoencoder({ widths: [6, 4, 2, 4, 6], output: "sigmoid" }, { seed: 1 });
    using x = randomUniform([3, 6], { seed: 2 });
    using code = runLayers(model, x, 2);
    expect(code.shape).toEqual([3, 2]);
    using all = runLayers(model, x, 4);
    using y = model.call(x);
    expect(Array.from(all.dataSync())).toEqual(Array.from(y.dataSync()));
    const live = memory().numTensors;
    expect(() => runLayers(model, x, 5)).toThrow(ArgumentError);
    expect(() => runLayers(model, x, 5)).toThrow("runLayers: asked for 5 layers, the model has 4");
    expect(memory().numTensors).toBe(live);
  });
});
