import { tensor } from "@tapegrad/core";
import {
  binaryAccuracy,
  binaryCrossentropy,
  categoricalAccuracy,
  getMetric,
  mae,
  meanSquaredError,
  mse,
  sparseCategoricalAccuracy,
} from "@tapegrad/nn";
import { describe, expect, it } from "vitest";
import { checkLeaks } from "./module_helpers.js";

checkLeaks();

const read = (t: ReturnType<typeof mse>): number => {
  const v = t.item() as number;
  t.dispose();
  return v;
};

describe("metrics", () => {
  it("binaryAccuracy thresholds at 0.5 (strictly above) or a given threshold", () => {
    const t = tensor([
      [1, 0, 1, 0],
      [1, 1, 0, 0],
    ]);
    const p = tensor([
      [0.9, 0.2, 0.4, 0.6],
      [0.5, 0.51, 0.49, 0],
    ]);
    expect(read(binaryAccuracy(t, p))).toBeCloseTo(5 / 8, 7); // 0.5 is not above 0.5
    expect(read(binaryAccuracy(t, p, 0.3))).toBeCloseTo(6 / 8, 7);
    t.dispose();
    p.dispose();
  });

  it("categoricalAccuracy and sparseCategoricalAccuracy compare argmaxes", () => {
    const t = tensor([
      [0, 1, 0],
      [1, 0, 0],
      [0, 0, 1],
    ]);
    const p = tensor([
      [0.3, 0.6, 0.1],
      [0.2, 0.7, 0.1],
      [0.1, 0.1, 0.8],
    ]);
    const labels = tensor([1, 0, 2], { dtype: "int32" });
    const labelsCol = tensor([[1], [0], [2]]);
    expect(read(categoricalAccuracy(t, p))).toBeCloseTo(2 / 3, 7);
    expect(read(sparseCategoricalAccuracy(labels, p))).toBeCloseTo(2 / 3, 7);
    expect(read(sparseCategoricalAccuracy(labelsCol, p))).toBeCloseTo(2 / 3, 7);
    for (const x of [t, p, labels, labelsCol]) x.dispose();
  });

  it("sparseCategoricalAccuracy checks labels like the sparse loss: shape, integers, tensors", () => {
    const p = tensor([
      [0.3, 0.7],
      [0.6, 0.4],
    ]);
    // Same size, wrong layout: [1, 2] is not [2] or [2, 1].
    const row = tensor([[1, 0]], { dtype: "int32" });
    const half = tensor([0.5, 1]);
    expect(() => sparseCategoricalAccuracy(row, p)).toThrow(
      /^sparseCategoricalAccuracy: yTrue int32\[1,2\] must have yPred's shape without the class axis/,
    );
    expect(() => sparseCategoricalAccuracy(half, p)).toThrow(
      /^sparseCategoricalAccuracy: label 0.5 is not an integer$/,
    );
    expect(() => sparseCategoricalAccuracy(null as never, p)).toThrow(
      /^sparseCategoricalAccuracy: yTrue is null, expected a Tensor$/,
    );
    for (const x of [p, row, half]) x.dispose();
  });

  it("mse and mae are the losses", () => {
    const t = tensor([[1, 2]]);
    const p = tensor([[1, 4]]);
    expect(read(mse(t, p))).toBe(2);
    expect(read(mae(t, p))).toBe(1);
    expect(mse).toBe(meanSquaredError);
    t.dispose();
    p.dispose();
  });

  it("resolves names, including Keras's context-dependent accuracy", () => {
    expect(getMetric("mae").fn).toBe(mae);
    expect(getMetric("binary_accuracy").fn).toBe(binaryAccuracy);
    expect(getMetric(binaryAccuracy).name).toBe("binaryAccuracy");
    const acc = getMetric("accuracy", binaryCrossentropy);
    expect(acc.name).toBe("accuracy");
    const t = tensor([
      [0, 1],
      [1, 0],
    ]);
    const p = tensor([
      [0.2, 0.8],
      [0.6, 0.7],
    ]);
    // with BCE, element-wise thresholding: 3 of 4 right; categorical would say 1 of 2
    expect(read(acc.fn(t, p))).toBeCloseTo(0.75, 7);
    expect(read(getMetric("accuracy", "categorical_crossentropy").fn(t, p))).toBeCloseTo(0.5, 7);
    expect(() => getMetric("acuracy")).toThrow(/unknown metric "acuracy"; known: accuracy/);
    t.dispose();
    p.dispose();
  });
});
