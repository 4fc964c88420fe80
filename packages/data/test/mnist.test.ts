import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { cpu } from "@tapegrad/backend-cpu";
import { ArgumentError, memory, setBackend, slice } from "@tapegrad/core";
import { beforeAll, describe, expect, it } from "vitest";
import { encodeIdx, IdxError } from "../src/index.js";
import { loadMnist } from "../src/node.js";

beforeAll(() => setBackend(cpu()));

function histogram(labels: Uint8Array): number[] {
  const h = new Array<number>(10).fill(0);
  for (const l of labels) h[l] = (h[l] as number) + 1;
  return h;
}

describe("loadMnist", () => {
  it("reads the 60,000 training images as float32 [n, 784] in [0, 1]", async () => {
    const { images, labels, raw } = await loadMnist({ split: "train" });
    expect(images.shape).toEqual([60000, 784]);
    expect(images.dtype).toBe("float32");
    expect(labels.shape).toEqual([60000]);
    expect(labels.dtype).toBe("int32");
    expect([raw.count, raw.rows, raw.cols]).toEqual([60000, 28, 28]);
    // Statistics from the raw bytes (the tensor holds exactly bytes / 255, checked on rows below):
    // reading 47M floats back would only make the test slow.
    let min = 255;
    let max = 0;
    let sum = 0;
    for (const b of raw.images) {
      if (b < min) min = b;
      if (b > max) max = b;
      sum += b;
    }
    expect([min, max]).toEqual([0, 255]);
    // The well-known MNIST mean pixel intensity is 0.1307.
    expect(sum / 255 / raw.images.length).toBeCloseTo(0.1307, 3);
    for (const row of [0, 12345, 59999]) {
      using got = slice(images, [row, 0], [1, 784]);
      const want = Float32Array.from(raw.images.subarray(row * 784, (row + 1) * 784), (b) => b / 255);
      expect(got.dataSync()).toEqual(want);
    }
    using first = slice(images, [0, 0], [1, 784]);
    expect(Math.max(...first.dataSync())).toBe(1);
    const l = labels.dataSync();
    expect(l[0]).toBe(5);
    expect([...l.subarray(0, 5)]).toEqual([5, 0, 4, 1, 9]);
    const h = histogram(raw.labels);
    expect(h.reduce((a, b) => a + b, 0)).toBe(60000);
    // Published training-set counts per digit.
    expect(h).toEqual([5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949]);
    images.dispose();
    labels.dispose();
  });

  it("reads the 10,000 test images, first label 7", async () => {
    const { images, labels, raw } = await loadMnist({ split: "test" });
    expect(images.shape).toEqual([10000, 784]);
    expect(labels.dataSync()[0]).toBe(7);
    const h = histogram(raw.labels);
    expect(Math.min(...h)).toBeGreaterThan(800);
    expect(Math.max(...h)).toBeLessThan(1200);
    images.dispose();
    labels.dispose();
  });

  it("limits to the first n examples", async () => {
    const { images, labels } = await loadMnist({ split: "test", limit: 3 });
    expect(images.shape).toEqual([3, 784]);
    expect(labels.toArray()).toEqual([7, 2, 1]);
    images.dispose();
    labels.dispose();
  });

  it("reads from another dataDir, and names the file that is missing, truncated or inconsistent", async () => {
    const before = memory().numTensors;
    const dir = mkdtempSync(join(tmpdir(), "tapegrad-mnist-"));
    const images = encodeIdx({ dtype: "ubyte", shape: [2, 28, 28], data: new Uint8Array(2 * 784).fill(51) });
    const labels = encodeIdx({ dtype: "ubyte", shape: [2], data: new Uint8Array([3, 8]) });
    writeFileSync(join(dir, "t10k-images-idx3-ubyte"), images);
    writeFileSync(join(dir, "t10k-labels-idx1-ubyte"), labels);
    const small = await loadMnist({ split: "test", dataDir: dir });
    expect(small.images.shape).toEqual([2, 784]);
    expect(small.images.dataSync()[0]).toBeCloseTo(0.2, 6);
    expect(small.labels.toArray()).toEqual([3, 8]);
    small.images.dispose();
    small.labels.dispose();

    const missing = loadMnist({ split: "train", dataDir: dir });
    await expect(missing).rejects.toThrow(ArgumentError);
    await expect(missing).rejects.toThrow(/cannot read .*train-images-idx3-ubyte.*four uncompressed MNIST IDX files/);

    writeFileSync(join(dir, "t10k-images-idx3-ubyte"), images.subarray(0, images.length - 1));
    const truncated = loadMnist({ split: "test", dataDir: dir });
    await expect(truncated).rejects.toThrow(IdxError);
    await expect(truncated).rejects.toThrow(/loadMnist: .*t10k-images-idx3-ubyte: parseIdx: file truncated/);

    writeFileSync(join(dir, "t10k-images-idx3-ubyte"), images);
    writeFileSync(
      join(dir, "t10k-labels-idx1-ubyte"),
      encodeIdx({ dtype: "ubyte", shape: [3], data: new Uint8Array(3) }),
    );
    await expect(loadMnist({ split: "test", dataDir: dir })).rejects.toThrow(
      /labels are ubyte \[3\], expected ubyte \[2\]/,
    );
    expect(memory().numTensors).toBe(before);
  });

  it("rejects bad options", async () => {
    await expect(loadMnist({ split: "valid" as "train" })).rejects.toThrow(/split/);
    await expect(loadMnist({ split: "train", limit: -1 })).rejects.toThrow(/limit/);
  });
});
