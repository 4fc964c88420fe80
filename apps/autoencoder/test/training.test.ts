import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { cpu } from "@tapegrad/backend-cpu";
import { memory, setBackend, slice } from "@tapegrad/core";
import { loadModel } from "@tapegrad/nn/node";
import { PNG } from "pngjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { disposeData, loadData, type MnistData, trainAutoencoder, writeRunArtifacts } from "../src/experiments.js";
import { buildModel } from "../src/models.js";
import { DATA_BOUNDS } from "../src/reference.js";

let data: MnistData;

beforeAll(async () => {
  setBackend(cpu());
  // A small fixed subset: the first 500 training and 500 test images.
  data = await loadData({ trainLimit: 500, testLimit: 500 });
});

afterAll(() => disposeData(data));

function decodePng(path: string): PNG {
  return PNG.sync.read(readFileSync(path));
}

describe("short training on 500 images (lecture setup: Adadelta lr 1.0, batch 100)", () => {
  // Bands recorded from runs of this exact setup (seed 0); they are wide enough for another
  // summation order, narrow enough to catch a wrong learning rate or a broken gradient.
  it("L1 (linear, MSE): the loss falls, within its recorded band, and leaves no tensor behind", async () => {
    const before = memory().numTensors;
    const { model, history } = await trainAutoencoder({ model: "L1", epochs: 2, verbose: false }, data);
    model.dispose();
    expect(memory().numTensors).toBe(before);
    expect(history.loss[1]).toBeLessThan(history.loss[0] as number);
    expect(history.val_loss[1]).toBeLessThan(history.val_loss[0] as number);
    expect(history.loss[1]).toBeGreaterThan(0.095);
    expect(history.loss[1]).toBeLessThan(0.115);
  });

  it("L3 (MSE, then BCE with a fresh optimizer): both phases fall, BCE above the data's floor", async () => {
    const { model, history } = await trainAutoencoder({ model: "L3", epochs: 2, verbose: false }, data);
    model.dispose();
    expect(history.phase).toEqual(["mse", "mse", "bce", "bce"]);
    const [m1, m2, b1, b2] = history.loss as [number, number, number, number];
    expect(m2).toBeLessThan(m1);
    expect(b2).toBeLessThan(b1);
    expect(m2).toBeGreaterThan(0.22);
    expect(m2).toBeLessThan(0.235);
    for (const v of [b1, b2]) expect(v).toBeGreaterThan(DATA_BOUNDS.bceFloor.train);
    for (const v of history.val_loss.slice(2)) expect(v).toBeGreaterThan(DATA_BOUNDS.bceFloor.test);
  });

  it("L4 (deep, BCE) trains, and a run writes valid pictures, history and weights that load back", async () => {
    const before = memory().numTensors;
    const result = await trainAutoencoder({ model: "L4", epochs: 2, verbose: false }, data);
    const { model, history } = result;
    // Throughput counts training batches only: validation after each epoch takes extra time.
    expect(result.samplesPerSecond).toBeGreaterThan((2 * 500) / result.seconds);
    expect(history.loss[1]).toBeLessThan(history.loss[0] as number);
    for (const v of history.loss) expect(v).toBeGreaterThan(DATA_BOUNDS.bceFloor.train);
    expect(history.loss[1]).toBeLessThan(0.7);

    const out = mkdtempSync(join(tmpdir(), "tapegrad-ae-"));
    const files = await writeRunArtifacts(out, "L4", result, data.test, { withReference: true });
    const names = files.map((f) => f.slice(out.length + 1)).sort();
    expect(names).toEqual(["history.json", "latent.png", "loss.png", "reconstructions.png", "weights.safetensors"]);
    for (const f of files) expect(existsSync(f)).toBe(true);

    const loss = decodePng(join(out, "loss.png"));
    expect([loss.width, loss.height]).toEqual([800, 500]);
    // Ten digits at 28 × 3 = 84 px with 4 px gaps, after the row labels; two rows plus a title.
    const recon = decodePng(join(out, "reconstructions.png"));
    expect(recon.width).toBeGreaterThan(10 * 88);
    expect(recon.width).toBeLessThan(10 * 88 + 140);
    expect(recon.height).toBe(30 + 4 + 2 * 88);
    const latent = decodePng(join(out, "latent.png"));
    expect(latent.height).toBeGreaterThan(10 * 84);

    const saved = JSON.parse(readFileSync(join(out, "history.json"), "utf8"));
    expect(saved.model).toBe("L4");
    expect(saved.history.loss).toEqual(history.loss);

    const reloaded = await loadModel(join(out, "weights.safetensors"), buildModel("L4", { seed: 99 }));
    {
      using x = slice(data.test.images, [0, 0], [3, 784]);
      using a = model.call(x);
      using b = reloaded.call(x);
      expect([...b.dataSync()]).toEqual([...a.dataSync()]);
    }
    reloaded.dispose();
    model.dispose();
    expect(memory().numTensors).toBe(before);
  });
});
