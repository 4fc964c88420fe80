import { valueAndGrads } from "@tapegrad/autograd";
import { dispose, gather, memory, Rng, type Tensor, tensor, tidy } from "@tapegrad/core";
import {
  Adam,
  type Callback,
  EarlyStopping,
  evaluate,
  fit,
  type Logs,
  meanSquaredError,
  predict,
  SGD,
} from "@tapegrad/nn";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { Affine, regressionData, values } from "./training_helpers.js";

const W0 = [[0.1], [-0.3]];
const B0 = [0.05];

let data: { x: Tensor; y: Tensor };
let val: { x: Tensor; y: Tensor };
beforeEach(() => {
  data = regressionData(10);
  val = regressionData(6);
});
afterEach(() => {
  dispose([data.x, data.y, val.x, val.y]);
});

/** fit's shuffle, written out from its documentation: Fisher–Yates over Rng(seed), every epoch. */
function permutationFor(n: number, rng: Rng): Int32Array {
  const order = Int32Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = rng.nextInt(i + 1);
    [order[i], order[j]] = [order[j] as number, order[i] as number];
  }
  return order;
}

describe("fit", () => {
  it("trains: the loss falls, History has loss, val_loss, metrics and epochs", async () => {
    const model = new Affine(W0, B0);
    const history = await fit(model, data.x, data.y, {
      loss: "mse",
      optimizer: new SGD(model.parameters(), { learningRate: 0.1 }),
      epochs: 30,
      batchSize: 4,
      seed: 1,
      validationData: [val.x, val.y],
      metrics: ["mae"],
      verbose: 0,
    });
    expect(history.epoch).toEqual(Array.from({ length: 30 }, (_, i) => i));
    expect(Object.keys(history.history).sort()).toEqual(["loss", "mae", "val_loss", "val_mae"]);
    const loss = history.history.loss as number[];
    expect(loss).toHaveLength(30);
    expect(loss[29]).toBeLessThan((loss[0] as number) * 0.7);
    expect(history.history.val_loss).toHaveLength(30);
    model.dispose();
  });

  it("records the sample-weighted mean of batch losses while weights change (Keras), matching a hand loop", async () => {
    const seed = 123;
    const lr = 0.1;
    const fitted = new Affine(W0, B0);
    const history = await fit(fitted, data.x, data.y, {
      loss: meanSquaredError,
      optimizer: new SGD(fitted.parameters(), { learningRate: lr }),
      epochs: 3,
      batchSize: 4, // 10 samples: batches of 4, 4, 2
      seed,
      verbose: 0,
    });

    const manual = new Affine(W0, B0);
    const opt = new SGD(manual.parameters(), { learningRate: lr });
    const rng = new Rng(seed);
    const epochLosses: number[] = [];
    for (let epoch = 0; epoch < 3; epoch++) {
      const order = permutationFor(10, rng);
      let total = 0;
      for (let start = 0; start < 10; start += 4) {
        const size = Math.min(4, 10 - start);
        total +=
          tidy(() => {
            const idx = tensor(order.subarray(start, start + size), { dtype: "int32" });
            const xb = gather(data.x, idx);
            const yb = gather(data.y, idx);
            const { value, grads } = valueAndGrads(() => meanSquaredError(yb, manual.call(xb)), manual.parameters());
            opt.step(grads);
            return value.item() as number;
          }) * size;
      }
      epochLosses.push(total / 10);
    }
    const recorded = history.history.loss as number[];
    for (const [i, v] of epochLosses.entries()) expect(recorded[i]).toBeCloseTo(v, 6);
    expect(values(fitted.w)).toEqual(values(manual.w));
    expect(values(fitted.b)).toEqual(values(manual.b));
    opt.dispose();
    fitted.dispose();
    manual.dispose();
  });

  it("computes validation after the epoch with evaluate, in eval mode", async () => {
    const model = new Affine(W0, B0);
    const seen: Array<{ val: number; now: number; training: boolean }> = [];
    let modeDuringBatches = true;
    await fit(model, data.x, data.y, {
      loss: "mse",
      optimizer: "sgd",
      epochs: 2,
      batchSize: 5,
      validationData: [val.x, val.y],
      verbose: 0,
      callbacks: [
        {
          onBatchEnd: () => {
            modeDuringBatches &&= model.training;
          },
          onEpochEnd: (_e, logs) => {
            const now = evaluate(model, val.x, val.y, { loss: "mse", batchSize: 5 }).loss as number;
            seen.push({ val: logs.val_loss as number, now, training: model.training });
          },
        },
      ],
    });
    expect(modeDuringBatches).toBe(true);
    for (const s of seen) {
      expect(s.val).toBe(s.now);
      expect(s.training).toBe(true);
    }
    model.dispose();
  });

  it("calls callbacks in Keras's order and accepts a function as an epoch-end callback", async () => {
    const model = new Affine(W0, B0);
    const events: string[] = [];
    const cb: Callback = {
      onTrainBegin: () => void events.push("trainBegin"),
      onEpochBegin: (e) => void events.push(`epochBegin ${e}`),
      onBatchBegin: (b, logs) => void events.push(`batchBegin ${b} size ${logs.size}`),
      onBatchEnd: async (b, logs) => {
        await Promise.resolve();
        events.push(`batchEnd ${b} ${typeof logs.loss}`);
      },
      onEpochEnd: (e, logs) => void events.push(`epochEnd ${e} ${Object.keys(logs).join(",")}`),
      onTrainEnd: () => void events.push("trainEnd"),
    };
    await fit(model, data.x, data.y, {
      loss: "mse",
      optimizer: "sgd",
      epochs: 2,
      batchSize: 6,
      shuffle: false,
      verbose: 0,
      callbacks: [cb, (e: number) => void events.push(`fn ${e}`)],
    });
    expect(events).toEqual([
      "trainBegin",
      "epochBegin 0",
      "batchBegin 0 size 6",
      "batchEnd 0 number",
      "batchBegin 1 size 4",
      "batchEnd 1 number",
      "epochEnd 0 loss",
      "fn 0",
      "epochBegin 1",
      "batchBegin 0 size 6",
      "batchEnd 0 number",
      "batchBegin 1 size 4",
      "batchEnd 1 number",
      "epochEnd 1 loss",
      "fn 1",
      "trainEnd",
    ]);
    model.dispose();
  });

  it("lets a callback stop training", async () => {
    const model = new Affine(W0, B0);
    const history = await fit(model, data.x, data.y, {
      loss: "mse",
      optimizer: "sgd",
      epochs: 10,
      verbose: 0,
      callbacks: [
        (epoch, _logs, ctx) => {
          if (epoch === 2) ctx.stopTraining = true;
        },
      ],
    });
    expect(history.epoch).toEqual([0, 1, 2]);
    model.dispose();
  });

  it("keeps the live-tensor count flat across epochs, with validation and EarlyStopping(restoreBestWeights)", async () => {
    const model = new Affine(W0, B0);
    const optimizer = new Adam(model.parameters(), { learningRate: 0.05 });
    const counts: Array<[number, number]> = [];
    let atBegin = 0;
    const before = memory().numTensors;
    await fit(model, data.x, data.y, {
      loss: "mse",
      optimizer,
      epochs: 4,
      batchSize: 3,
      validationData: [val.x, val.y],
      metrics: ["mae", "mse"],
      verbose: 0,
      callbacks: [
        new EarlyStopping({ monitor: "val_loss", patience: 10, restoreBestWeights: true }),
        {
          onEpochBegin: () => {
            atBegin = memory().numTensors;
          },
          onEpochEnd: () => {
            counts.push([atBegin, memory().numTensors]);
          },
        },
      ],
    });
    expect(counts).toHaveLength(4);
    for (const [b, e] of counts) expect(e).toBe(b);
    expect(memory().numTensors).toBe(before);
    // a named optimizer is created and disposed by fit
    await fit(model, data.x, data.y, { loss: "mse", optimizer: "adadelta", epochs: 2, verbose: 0 });
    expect(memory().numTensors).toBe(before);
    const p = predict(model, data.x, { batchSize: 3 });
    expect(p.shape).toEqual([10, 1]);
    p.dispose();
    evaluate(model, data.x, data.y, { loss: "mse", metrics: ["mae"], batchSize: 4 });
    expect(memory().numTensors).toBe(before);
    optimizer.dispose();
    model.dispose();
  });

  it("EarlyStopping stops after `patience` epochs without improvement and restores the best weights", async () => {
    const model = new Affine(W0, B0);
    const stop = new EarlyStopping({ monitor: "loss", mode: "max", patience: 1, restoreBestWeights: true });
    // The loss falls every epoch, so in "max" mode epoch 0 is the best and epoch 1 is worse.
    const history = await fit(model, data.x, data.y, {
      loss: "mse",
      optimizer: new SGD(model.parameters(), { learningRate: 0.1 }),
      epochs: 10,
      batchSize: 5,
      seed: 9,
      verbose: 0,
      callbacks: [stop],
    });
    expect(history.epoch).toEqual([0, 1]);
    expect(stop.stoppedEpoch).toBe(1);
    expect(stop.bestEpoch).toBe(0);

    const oneEpoch = new Affine(W0, B0);
    await fit(oneEpoch, data.x, data.y, {
      loss: "mse",
      optimizer: new SGD(oneEpoch.parameters(), { learningRate: 0.1 }),
      epochs: 1,
      batchSize: 5,
      seed: 9,
      verbose: 0,
    });
    expect(values(model.w)).toEqual(values(oneEpoch.w));
    expect(values(model.b)).toEqual(values(oneEpoch.b));
    model.dispose();
    oneEpoch.dispose();
  });

  it("EarlyStopping follows Keras's minDelta and patience counting", () => {
    const model = new Affine(W0, B0);
    const stop = new EarlyStopping({ monitor: "val_loss", patience: 2, minDelta: 0.01 });
    const ctx = { model, epochs: 10, batchSize: 1, samples: 1, steps: 1, stopTraining: false };
    stop.onTrainBegin({}, ctx);
    const losses = [1.0, 0.995, 0.9, 0.895, 0.899];
    losses.forEach((v, epoch) => {
      if (!ctx.stopTraining) stop.onEpochEnd(epoch, { val_loss: v } as Logs, ctx);
    });
    // 0.995 is not 0.01 better (wait 1); 0.9 is (reset); 0.895 (wait 1); 0.899 (wait 2: stop)
    expect(stop.stoppedEpoch).toBe(4);
    expect(stop.best).toBe(0.9);
    stop.onTrainEnd();
    expect(() => stop.onEpochEnd(0, { loss: 1 }, ctx)).toThrow(
      /monitored log "val_loss" is not among the logs \(loss\)/,
    );
    expect(() => new EarlyStopping({ patience: -1 })).toThrow(/patience must be a non-negative integer/);
    expect(() => new EarlyStopping({ monitr: "loss" } as never)).toThrow(/unknown option "monitr"/);
    model.dispose();
  });

  it("refuses a second concurrent fit on the same model", async () => {
    const model = new Affine(W0, B0);
    const first = fit(model, data.x, data.y, { loss: "mse", optimizer: "sgd", epochs: 3, verbose: 0 });
    await expect(fit(model, data.x, data.y, { loss: "mse", optimizer: "sgd", verbose: 0 })).rejects.toThrow(
      /already being trained by another fit call/,
    );
    await first;
    // and allows it again once the first has finished
    await fit(model, data.x, data.y, { loss: "mse", optimizer: "sgd", verbose: 0 });
    model.dispose();
  });

  it("rejects bad options with clear errors", async () => {
    const model = new Affine(W0, B0);
    const base = { loss: "mse", optimizer: "sgd", verbose: 0 } as const;
    const bad = (opts: object) => fit(model, data.x, data.y, { ...base, ...opts });
    await expect(bad({ batch_size: 4 })).rejects.toThrow(/unknown option "batch_size"; known: loss, optimizer/);
    await expect(bad({ epochs: 0 })).rejects.toThrow(/epochs must be a positive integer, got number 0/);
    await expect(bad({ batchSize: 2.5 })).rejects.toThrow(/batchSize must be a positive integer/);
    await expect(bad({ loss: "mse2" })).rejects.toThrow(/unknown loss "mse2"/);
    await expect(bad({ optimizer: "adamm" })).rejects.toThrow(/unknown optimizer "adamm"/);
    await expect(bad({ optimizer: {} })).rejects.toThrow(/optimizer must be an Optimizer or a name/);
    await expect(bad({ verbose: 3 })).rejects.toThrow(/verbose must be 0, 1 or 2/);
    await expect(bad({ validationData: [val.x] })).rejects.toThrow(/validationData must be a pair/);
    await expect(bad({ metrics: ["mae", "mae"] })).rejects.toThrow(/two values would be logged as "mae"/);
    await expect(fit(model, data.x, val.y, base)).rejects.toThrow(/different numbers of samples/);
    await expect(fit(model, data.x, data.y, { optimizer: "sgd" } as never)).rejects.toThrow(/options.loss is required/);
    expect(() => evaluate(model, data.x, data.y, { loss: "mse", batch: 3 } as never)).toThrow(/unknown option "batch"/);
    model.dispose();
  });

  it("continues identically from saved model and optimizer state", async () => {
    const opts = { loss: "mse", epochs: 2, batchSize: 3, seed: 5, verbose: 0 } as const;
    const a = new Affine(W0, B0);
    const optA = new Adam(a.parameters(), { learningRate: 0.05 });
    await fit(a, data.x, data.y, { ...opts, optimizer: optA });
    // save
    const modelState = Object.fromEntries(Object.entries(a.stateDict()).map(([k, v]) => [k, v.clone()]));
    const optState = optA.stateDict();
    // continue the original
    await fit(a, data.x, data.y, { ...opts, optimizer: optA });
    // restore into fresh objects and continue the same way
    const b = new Affine([[0], [0]], [0]);
    b.loadStateDict(modelState);
    const optB = new Adam(b.parameters());
    optB.loadStateDict(optState);
    await fit(b, data.x, data.y, { ...opts, optimizer: optB });
    expect(values(b.w)).toEqual(values(a.w));
    expect(values(b.b)).toEqual(values(a.b));
    expect(optB.iterations).toBe(optA.iterations);
    dispose(modelState);
    dispose(Object.values(optState).filter((v): v is Tensor => typeof v !== "number"));
    for (const o of [optA, optB]) o.dispose();
    a.dispose();
    b.dispose();
  });
});
