import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { dispose, type Tensor, tensor } from "@tapegrad/core";
import { Dense, SafetensorsError, StateDictError, sequential } from "@tapegrad/nn";
import { loadModel, loadSafetensors, saveModel, saveSafetensors } from "@tapegrad/nn/node";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { checkLeaks, vals } from "./module_helpers.js";

checkLeaks();

let dir = "";
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "tapegrad-nn-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("safetensors files", () => {
  test("saveSafetensors / loadSafetensors round trip", async () => {
    const path = join(dir, "tensors.safetensors");
    const dict = {
      w: tensor([
        [1, 2],
        [3, 4],
      ]),
      flag: tensor([true, false]),
      n: tensor([7], { dtype: "int32" }),
    };
    await saveSafetensors(path, dict, { note: "hi" });
    const { tensors, metadata } = await loadSafetensors(path);
    expect(metadata).toEqual({ note: "hi" });
    for (const [k, t] of Object.entries(dict)) expect(vals(tensors[k] as Tensor)).toEqual(vals(t));
    dispose([dict, tensors]);
    // The temporary file was renamed into place, not left behind.
    expect(await readdir(dir)).toEqual(["tensors.safetensors"]);
  });

  test("saveModel / loadModel restore a model's weights; a wrong model is refused untouched", async () => {
    const path = join(dir, "model.safetensors");
    using a = sequential(new Dense(4, 3, { activation: "relu", seed: 1 }), new Dense(3, 2, { seed: 2 }));
    using b = sequential(new Dense(4, 3, { activation: "relu", seed: 8 }), new Dense(3, 2, { seed: 9 }));
    await saveModel(path, a);
    expect(await loadModel(path, b)).toBe(b);
    for (const [name, t] of Object.entries(a.stateDict())) expect(vals(b.stateDict()[name] as Tensor)).toEqual(vals(t));

    using c = sequential(new Dense(4, 5, { seed: 3 }));
    const before = vals(c.stateDict()["layers.0.kernel"] as Tensor);
    await expect(loadModel(path, c)).rejects.toThrow(StateDictError);
    expect(vals(c.stateDict()["layers.0.kernel"] as Tensor)).toEqual(before);
  });

  test("a corrupt file is a SafetensorsError", async () => {
    const path = join(dir, "bad.safetensors");
    await writeFile(path, new Uint8Array([200, 0, 0, 0, 0, 0, 0, 0, 123]));
    await expect(loadSafetensors(path)).rejects.toThrow(SafetensorsError);
    expect((await readFile(path)).length).toBe(9);
  });
});
