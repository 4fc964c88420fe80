import { type Tensor, zeros } from "@tapegrad/core";
import {
  Dense,
  Dropout,
  Flatten,
  Module,
  parameter,
  printSummary,
  ReLU,
  Sequential,
  sequential,
  summary,
} from "@tapegrad/nn";
import { describe, expect, test, vi } from "vitest";
import { checkLeaks } from "./module_helpers.js";

checkLeaks();

/** The lecture's dense autoencoder for layer widths `dims` (ReLU inside, sigmoid out). */
function autoencoder(dims: number[]): Sequential {
  return new Sequential(
    dims
      .slice(1)
      .map(
        (units, i) =>
          new Dense(dims[i] as number, units, { activation: i === dims.length - 2 ? "sigmoid" : "relu", seed: i }),
      ),
  );
}

describe("summary", () => {
  test("784-128-64-128-784: 218,192 parameters", () => {
    using model = autoencoder([784, 128, 64, 128, 784]);
    expect(summary(model)).toBe(
      [
        'Model: "sequential"',
        "_________________________________________________________________",
        "Layer (type)                 Output Shape              Param #",
        "=================================================================",
        "dense (Dense)                (None, 128)               100,480",
        "_________________________________________________________________",
        "dense_1 (Dense)              (None, 64)                8,256",
        "_________________________________________________________________",
        "dense_2 (Dense)              (None, 128)               8,320",
        "_________________________________________________________________",
        "dense_3 (Dense)              (None, 784)               101,136",
        "=================================================================",
        "Total params: 218,192",
        "Trainable params: 218,192",
        "Non-trainable params: 0",
        "_________________________________________________________________",
      ].join("\n"),
    );
  });

  test("784-128-64-32-16-32-64-128-784: 223,456 parameters", () => {
    using model = autoencoder([784, 128, 64, 32, 16, 32, 64, 128, 784]);
    expect(summary(model, [784])).toBe(
      [
        'Model: "sequential"',
        "_________________________________________________________________",
        "Layer (type)                 Output Shape              Param #",
        "=================================================================",
        "dense (Dense)                (None, 128)               100,480",
        "_________________________________________________________________",
        "dense_1 (Dense)              (None, 64)                8,256",
        "_________________________________________________________________",
        "dense_2 (Dense)              (None, 32)                2,080",
        "_________________________________________________________________",
        "dense_3 (Dense)              (None, 16)                528",
        "_________________________________________________________________",
        "dense_4 (Dense)              (None, 32)                544",
        "_________________________________________________________________",
        "dense_5 (Dense)              (None, 64)                2,112",
        "_________________________________________________________________",
        "dense_6 (Dense)              (None, 128)               8,320",
        "_________________________________________________________________",
        "dense_7 (Dense)              (None, 784)               101,136",
        "=================================================================",
        "Total params: 223,456",
        "Trainable params: 223,456",
        "Non-trainable params: 0",
        "_________________________________________________________________",
      ].join("\n"),
    );
  });

  test("shape layers, an explicit input shape and non-trainable parameters", () => {
    using model = sequential(new Flatten(), new Dense(784, 10, { seed: 0 }), new Dropout(0.5), new ReLU());
    (model.layers[1] as Dense).bias!.trainable = false;
    const table = summary(model, [28, 28]).split("\n");
    expect(table).toContain("flatten (Flatten)            (None, 784)               0");
    expect(table).toContain("dense (Dense)                (None, 10)                7,850");
    expect(table).toContain("dropout (Dropout)            (None, 10)                0");
    expect(table).toContain("re_lu (ReLU)                 (None, 10)                0");
    expect(table.slice(-4, -1)).toEqual(["Total params: 7,850", "Trainable params: 7,840", "Non-trainable params: 10"]);
  });

  test("a custom model's children are traced through one forward pass", () => {
    class Autoencoder extends Module {
      readonly encoder = new Dense(6, 2, { activation: "relu", seed: 0 });
      readonly decoder = new Dense(2, 6, { activation: "sigmoid", seed: 1 });
      readonly temperature = parameter(zeros([1]), "temperature");
      forward(x: Tensor): Tensor {
        using code = this.encoder.call(x);
        return this.decoder.call(code);
      }
    }
    using model = new Autoencoder();
    const text = summary(model, [6]);
    expect(text.split("\n")[0]).toBe('Model: "autoencoder"');
    expect(text).toMatch(/^encoder \(Dense\) +\(None, 2\) +14$/m);
    expect(text).toMatch(/^decoder \(Dense\) +\(None, 6\) +18$/m);
    // Parameters the model holds itself get a row of their own, so the rows add up.
    expect(text).toMatch(/^\(own parameters\) \(Autoencoder\) +1$/m);
    expect(text).toMatch(/^Total params: 33$/m);
    expect(Object.hasOwn(model.encoder, "forward")).toBe(false);
    // Without an input shape nothing can be traced; the counts are still there.
    expect(summary(model)).toMatch(/^encoder \(Dense\) +\? +14$/m);
  });

  test("printSummary logs the table", () => {
    using model = sequential(new Dense(3, 2, { seed: 0 }));
    const log = vi.spyOn(console, "log").mockImplementation(() => {});
    printSummary(model);
    expect(log).toHaveBeenCalledWith(summary(model));
    log.mockRestore();
  });
});
