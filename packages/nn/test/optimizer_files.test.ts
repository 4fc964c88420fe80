import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { dispose, randomUniform, type Tensor, tensor, tidy, type Variable, variable } from "@tapegrad/core";
import {
  Adadelta,
  Adagrad,
  Adam,
  AdamW,
  Dense,
  fit,
  type Optimizer,
  RMSprop,
  type Sequential,
  SGD,
  sequential,
} from "@tapegrad/nn";
import {
  loadModel,
  loadOptimizer,
  loadSafetensors,
  OptimizerFileError,
  saveModel,
  saveOptimizer,
  saveSafetensors,
} from "@tapegrad/nn/node";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { checkLeaks, vals } from "./module_helpers.js";

checkLeaks();

let dir = "";
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "tapegrad-nn-optimizer-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** An optimizer's state as plain values (tensors read back), for exact comparisons. */
function snapshot(optimizer: Optimizer): Record<string, number | number[]> {
  const state = optimizer.stateDict();
  const out = Object.fromEntries(
    Object.entries(state).map(([k, v]) => [k, typeof v === "number" ? v : vals(v)] as const),
  );
  dispose(Object.values(state).filter((v): v is Tensor => typeof v !== "number"));
  return out;
}

function weights(model: Sequential): Record<string, number[]> {
  return Object.fromEntries(Object.entries(model.stateDict()).map(([k, t]) => [k, vals(t)]));
}

const makeModel = (seed: number) =>
  sequential(new Dense(6, 4, { activation: "tanh", seed }), new Dense(4, 6, { activation: "sigmoid", seed: seed + 1 }));

/** A parameter holding `values`; tidy frees the initial tensor whose storage it shares. */
const param = (values: number[]): Variable => tidy(() => variable(tensor(values), { name: "p" }));

describe("optimizer files", () => {
  test("fit, save model and optimizer, load both into fresh objects: training continues bit for bit", async () => {
    using x = randomUniform([40, 6], { seed: 1 });
    const opts = { loss: "binary_crossentropy", batchSize: 8, epochs: 2, verbose: 0 } as const;

    using a = makeModel(10);
    using optA = new Adam(a.parameters(), { learningRate: 0.02, beta2: 0.99 });
    await fit(a, x, x, { ...opts, optimizer: optA, seed: 3 });
    const modelPath = join(dir, "model.safetensors");
    const optimizerPath = join(dir, "optimizer.safetensors");
    await saveModel(modelPath, a);
    await saveOptimizer(optimizerPath, optA);
    // Uninterrupted: the same objects train on.
    await fit(a, x, x, { ...opts, optimizer: optA, seed: 4 });

    // Resumed: other initial weights, a fresh Adam with the default learning rate.
    using b = await loadModel(modelPath, makeModel(20));
    using optB = await loadOptimizer(optimizerPath, new Adam(b.parameters(), { beta2: 0.99 }));
    expect(optB.iterations).toBe(10);
    expect(optB.learningRate).toBe(0.02);
    await fit(b, x, x, { ...opts, optimizer: optB, seed: 4 });

    expect(weights(b)).toEqual(weights(a));
    expect(snapshot(optB)).toEqual(snapshot(optA));
  });

  test("the file: slot tensors as entries, type, numbers and hyperparameters as JSON metadata", async () => {
    const path = join(dir, "adam.safetensors");
    using p = param([1, 2, 3]);
    using opt = new Adam([p], { learningRate: 0.005 });
    using g = tensor([0.1, -0.2, 0.3]);
    opt.step([g]);
    await saveOptimizer(path, opt);
    const { tensors, metadata } = await loadSafetensors(path);
    expect(Object.keys(tensors).sort()).toEqual(["m.0", "v.0"]);
    dispose(tensors);
    expect(metadata).toEqual({
      format: "tapegrad.optimizer",
      optimizer: "Adam",
      state: JSON.stringify({ iterations: 1, learningRate: 0.005 }),
      hyperparameters: JSON.stringify({ beta1: 0.9, beta2: 0.999, epsilon: 1e-7 }),
    });
  });

  test.each<[string, (params: Variable[]) => Optimizer]>([
    ["SGD (momentum, Nesterov)", (ps) => new SGD(ps, { momentum: 0.9, nesterov: true, learningRate: 0.1 })],
    ["SGD (plain: no slot tensors)", (ps) => new SGD(ps, { weightDecay: 0.01 })],
    ["AdamW", (ps) => new AdamW(ps, { weightDecay: 0.1 })],
    ["Adadelta", (ps) => new Adadelta(ps)],
    ["RMSprop", (ps) => new RMSprop(ps, { rho: 0.8 })],
    ["Adagrad", (ps) => new Adagrad(ps, { initialAccumulatorValue: 0.1 })],
  ])("%s round-trips its state exactly", async (_name, make) => {
    const path = join(dir, "round_trip.safetensors");
    using p = param([0.5, -1, 2]);
    using q = param([0.5, -1, 2]);
    using a = make([p]);
    using b = make([q]);
    for (const values of [
      [0.3, -0.1, 0.2],
      [-0.2, 0.4, 0.1],
    ]) {
      using g = tensor(values);
      a.step([g]);
    }
    await saveOptimizer(path, a);
    expect(await loadOptimizer(path, b)).toBe(b);
    expect(snapshot(b)).toEqual(snapshot(a));
  });

  describe("refuses a file that does not fit, changing nothing", () => {
    /** Asserts that loading `path` into `opt` fails with `message` and leaves `opt` as it was. */
    async function expectRefused(path: string, opt: Optimizer, message: RegExp): Promise<OptimizerFileError> {
      const before = snapshot(opt);
      const error = await loadOptimizer(path, opt).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(OptimizerFileError);
      expect((error as OptimizerFileError).message).toMatch(message);
      expect((error as OptimizerFileError).message).toMatch(/nothing was loaded/);
      expect(snapshot(opt)).toEqual(before);
      return error as OptimizerFileError;
    }

    let adamPath = "";
    beforeAll(async () => {
      adamPath = join(dir, "refuse-adam.safetensors");
      using p = param([1, 2, 3]);
      using opt = new Adam([p], { learningRate: 0.01 });
      using g = tensor([1, 1, 1]);
      opt.step([g]);
      await saveOptimizer(adamPath, opt);
    });

    /** A fresh, stepped optimizer over a parameter of `size`, so "unchanged" is not all zeros. */
    function stepped<O extends Optimizer>(make: (ps: Variable[]) => O, size = 3): { p: Variable; opt: O } {
      const p = param(Array.from({ length: size }, (_, i) => i / 2));
      const opt = make([p]);
      using g = tensor(Array.from({ length: size }, (_, i) => 0.25 - i));
      opt.step([g]);
      return { p, opt };
    }

    test("another optimizer type (AdamW is not Adam)", async () => {
      const { p, opt } = stepped((ps) => new AdamW(ps));
      const e = await expectRefused(adamPath, opt, /holds Adam state, not AdamW state/);
      expect(e.mismatched).toEqual([{ key: "optimizer", expected: "AdamW", got: "Adam" }]);
      opt.dispose();
      p.dispose();
    });

    test("a model file, or any safetensors file without the optimizer metadata", async () => {
      const path = join(dir, "model-not-optimizer.safetensors");
      using model = makeModel(1);
      await saveModel(path, model);
      const { p, opt } = stepped((ps) => new Adam(ps));
      await expectRefused(path, opt, /is not an optimizer file/);
      opt.dispose();
      p.dispose();
    });

    test("parameters of other shapes, and other hyperparameters, each listed", async () => {
      const { p, opt } = stepped((ps) => new Adam(ps, { beta1: 0.8 }), 4);
      const e = await expectRefused(
        adamPath,
        opt,
        /does not fit this Adam; nothing was loaded\n {2}beta1: expected 0.8, got 0.9\n/,
      );
      expect(e.mismatched.map((m) => m.key)).toEqual(["beta1", "m.0", "v.0"]);
      expect(e.message).toContain("m.0: expected float32[4], got float32[3]");
      opt.dispose();
      p.dispose();
    });

    test("missing and unexpected entries", async () => {
      // A file with Adam's metadata that lacks "v.0" and "iterations" and has an extra tensor.
      const { tensors, metadata } = await loadSafetensors(adamPath);
      const path = join(dir, "edited.safetensors");
      const { "v.0": v0, ...rest } = tensors;
      using extra = tensor([1]);
      await saveSafetensors(
        path,
        { ...rest, "m.1": extra },
        { ...metadata, state: JSON.stringify({ learningRate: 0.01, epoch: 3 }) },
      );
      dispose(tensors);
      expect(v0).toBeDefined();
      const { p, opt } = stepped((ps) => new Adam(ps));
      const e = await expectRefused(path, opt, /missing: iterations, v.0\n {2}unexpected: epoch, m.1/);
      expect(e.missingKeys).toEqual(["iterations", "v.0"]);
      expect(e.unexpectedKeys).toEqual(["epoch", "m.1"]);
      expect(e.path).toBe(path);
      opt.dispose();
      p.dispose();
    });

    test("numbers loadStateDict refuses (a fractional iteration count)", async () => {
      const { tensors, metadata } = await loadSafetensors(adamPath);
      const path = join(dir, "fractional.safetensors");
      await saveSafetensors(path, tensors, {
        ...metadata,
        state: JSON.stringify({ iterations: 1.5, learningRate: 1 }),
      });
      dispose(tensors);
      const { p, opt } = stepped((ps) => new Adam(ps));
      const e = await expectRefused(
        path,
        opt,
        /was refused; nothing was loaded\n {2}.*"iterations" must be a non-negative integer/,
      );
      expect(e.cause).toBeInstanceOf(Error);
      opt.dispose();
      p.dispose();
    });
  });

  test("a state that a file cannot hold is refused before anything is written", async () => {
    const path = join(dir, "never-written.safetensors");
    using p = param([1]);
    using opt = new SGD([p]);
    opt.learningRate = Number.POSITIVE_INFINITY;
    await expect(saveOptimizer(path, opt)).rejects.toThrow(/"learningRate" is Infinity; only finite numbers/);
    await expect(readFile(path)).rejects.toThrow(/ENOENT/);
  });
});
