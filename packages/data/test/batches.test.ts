import { cpu } from "@tapegrad/backend-cpu";
import { ArgumentError, memory, Rng, setBackend, tensor } from "@tapegrad/core";
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { batches, gatherBatch } from "../src/index.js";

beforeAll(() => setBackend(cpu()));

describe("batches", () => {
  it("covers every index exactly once per epoch, in batches of batchSize", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 300 }),
        fc.integer({ min: 1, max: 64 }),
        fc.boolean(),
        fc.integer(),
        (n, size, shuffle, seed) => {
          const all = [...batches(n, size, { shuffle, seed })];
          expect(all.length).toBe(Math.ceil(n / size));
          all.slice(0, -1).forEach((b) => {
            expect(b.length).toBe(size);
          });
          const seen = new Int32Array(n);
          for (const b of all) for (const i of b) seen[i] = (seen[i] as number) + 1;
          expect(seen.every((c) => c === 1)).toBe(true);
          if (!shuffle) expect(all.flatMap((b) => [...b])).toEqual([...Array(n).keys()]);
        },
      ),
    );
  });

  it("is reproducible by seed and differs between seeds and epochs", () => {
    const order = (seed: number | Rng) => [...batches(1000, 100, { seed })].flatMap((b) => [...b]);
    expect(order(7)).toEqual(order(7));
    expect(order(7)).not.toEqual(order(8));
    const rng = new Rng(7);
    const epoch1 = order(rng);
    const epoch2 = order(rng);
    expect(epoch1).toEqual(order(7));
    expect(epoch2).not.toEqual(epoch1);
    const again = new Rng(7);
    order(again);
    expect(order(again)).toEqual(epoch2);
  });

  it("drops a short final batch on request", () => {
    const all = [...batches(250, 100, { dropRemainder: true, shuffle: false })];
    expect(all.map((b) => b.length)).toEqual([100, 100]);
  });

  it("rejects bad sizes, saying what it got", () => {
    expect(() => [...batches(10, 0)]).toThrow(ArgumentError);
    expect(() => [...batches(10, 0)]).toThrow("batches: batchSize = 0 must be a positive integer");
    expect(() => [...batches(-1, 5)]).toThrow("batches: n = -1 must be a non-negative integer");
    expect(() => [...batches(10, 2.5)]).toThrow("batches: batchSize = 2.5 must be a positive integer");
  });

  it("gatherBatch selects rows and frees its index tensor", () => {
    const before = memory().numTensors;
    const x = tensor([
      [0, 1],
      [2, 3],
      [4, 5],
    ]);
    const b = gatherBatch(x, new Int32Array([2, 0]));
    expect(b.toArray()).toEqual([
      [4, 5],
      [0, 1],
    ]);
    const labels = tensor(new Int32Array([7, 8, 9]));
    const l = gatherBatch(labels, [1, 1]);
    expect(l.toArray()).toEqual([8, 8]);
    // An index past the end fails in gather, and the index tensor is still freed.
    expect(() => gatherBatch(labels, [3])).toThrow(/gather/);
    for (const t of [x, b, labels, l]) t.dispose();
    expect(memory().numTensors).toBe(before);
  });
});
