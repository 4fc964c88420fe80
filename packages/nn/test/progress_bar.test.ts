import { ProgressBar, type TrainingContext } from "@tapegrad/nn";
import { describe, expect, it } from "vitest";
import { checkLeaks } from "./module_helpers.js";
import { Affine } from "./training_helpers.js";

checkLeaks();

function drive(bar: ProgressBar, clock: { t: number }): void {
  const model = new Affine([[1]], [0]);
  const ctx: TrainingContext = { model, epochs: 20, batchSize: 100, samples: 600, steps: 6, stopTraining: false };
  bar.onTrainBegin({}, ctx);
  bar.onEpochBegin(2);
  for (let b = 0; b < 6; b++) {
    clock.t += 1000;
    bar.onBatchEnd(b, { batch: b, size: 100, loss: 0.05 - b * 0.002 });
  }
  clock.t += 100;
  bar.onEpochEnd(2, { loss: 0.045, val_loss: 0.0398 });
  model.dispose();
}

describe("ProgressBar", () => {
  it("prints one Keras-style line per epoch without a terminal", () => {
    const out: string[] = [];
    const clock = { t: 0 };
    drive(new ProgressBar({ verbose: 1, write: (s) => out.push(s), isTTY: false, now: () => clock.t }), clock);
    expect(out).toEqual(["Epoch 3/20 - 6.1s - 100 samples/s - loss: 0.0450 - val_loss: 0.0398\n"]);
  });

  it("redraws a bar with \\r on a terminal, with speed, running loss and ETA", () => {
    const out: string[] = [];
    const clock = { t: 0 };
    drive(new ProgressBar({ write: (s) => out.push(s), isTTY: true, now: () => clock.t, width: 10 }), clock);
    expect(out[0]).toBe("Epoch 3/20\n");
    expect(out[1]).toBe("\r[>.........] 1/6 - samples/s: 100 - loss: 0.0500 - ETA: 5s");
    expect(out[2]).toMatch(/^\r\[==>.......\] 2\/6 - samples\/s: 100 - loss: 0\.0490 - ETA: 4s$/);
    expect(out.at(-2)).toMatch(
      /^\r\[==========\] 6\/6 - 6\.1s - 100 samples\/s - loss: 0\.0450 - val_loss: 0\.0398 *$/,
    );
    expect(out.at(-1)).toBe("\n");
  });

  it("groups thousands and uses scientific notation for tiny values", () => {
    const out: string[] = [];
    const clock = { t: 0 };
    const bar = new ProgressBar({ verbose: 2, write: (s) => out.push(s), now: () => clock.t });
    const model = new Affine([[1]], [0]);
    bar.onTrainBegin({}, { model, epochs: 1, batchSize: 60000, samples: 60000, steps: 1, stopTraining: false });
    bar.onEpochBegin(0);
    clock.t += 2000;
    bar.onBatchEnd(0, { batch: 0, size: 60000, loss: 0.00012 });
    bar.onEpochEnd(0, { loss: 0.00012 });
    expect(out).toEqual(["Epoch 1/1 - 2.0s - 30,000 samples/s - loss: 1.2000e-4\n"]);
    model.dispose();
  });

  it("measures samples/s over the batches only, not the validation after them", () => {
    const out: string[] = [];
    const clock = { t: 0 };
    const bar = new ProgressBar({ verbose: 2, write: (s) => out.push(s), now: () => clock.t });
    const model = new Affine([[1]], [0]);
    bar.onTrainBegin({}, { model, epochs: 1, batchSize: 100, samples: 200, steps: 2, stopTraining: false });
    bar.onEpochBegin(0);
    for (let b = 0; b < 2; b++) {
      clock.t += 1000;
      bar.onBatchEnd(b, { batch: b, size: 100, loss: 0.5 });
    }
    // Validation as long as the training itself: the epoch takes 4 s, the 200 samples 2 s.
    clock.t += 2000;
    bar.onEpochEnd(0, { loss: 0.5, val_loss: 0.4 });
    expect(out).toEqual(["Epoch 1/1 - 4.0s - 100 samples/s - loss: 0.5000 - val_loss: 0.4000\n"]);
    model.dispose();
  });
});
