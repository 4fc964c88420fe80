import { describe, expect, it } from "vitest";
import { REFERENCE } from "../src/reference.js";
import { buildReport, checkModel, meanStd, type SeedRuns } from "../src/reproduce.js";

function runsAt(id: keyof typeof REFERENCE, offsets: number[], epochs = 20): SeedRuns {
  const ref = REFERENCE[id];
  return {
    seeds: offsets.map((_, i) => i + 1),
    train: offsets.map((o) => ref.train.slice(0, epochs).map((v) => v + o)),
    val: offsets.map((o) => (ref.val ? ref.val.slice(0, epochs).map((v) => v + o) : new Array(epochs).fill(null))),
  };
}

describe("reproduction report", () => {
  it("meanStd uses the sample standard deviation and ignores nulls", () => {
    expect(meanStd([1, 2, 3, null])).toEqual({ mean: 2, std: 1, n: 3 });
    expect(meanStd([5]).std).toBe(0);
    expect(Number.isNaN(meanStd([null]).mean)).toBe(true);
  });

  it("passes seeds scattered around the lecture's curves", () => {
    for (const id of ["L1", "L2", "L3"] as const) {
      const checks = checkModel(id, runsAt(id, [-0.0005, 0, 0.0008]));
      expect(checks.length).toBeGreaterThan(1);
      expect(checks.every((c) => c.pass === true)).toBe(true);
    }
    const l4 = checkModel("L4", runsAt("L4", [-0.01, 0, 0.005, 0.012, -0.004]));
    expect(l4.every((c) => c.pass === true)).toBe(true);
  });

  it("checks train and val alike where the lecture logged both; L4 has train only", () => {
    const whats = (id: "L2" | "L4") => checkModel(id, runsAt(id, [0])).map((c) => c.what);
    expect(whats("L2")).toEqual([
      "final train (epoch 20)",
      "final val (epoch 20)",
      "epoch 5 train",
      "epoch 5 val",
      "epoch 10 train",
      "epoch 10 val",
      "epoch 15 train",
      "epoch 15 val",
    ]);
    expect(whats("L4")).toEqual([
      "final train (epoch 20)",
      "each seed's final train",
      "epoch 2 train (about 0.25)",
      "no BCE below the floor",
    ]);
    // A val curve off by more than the band fails the val checks only.
    const runs = runsAt("L1", [0]);
    runs.val = runs.val.map((r) => r.map((v) => (v as number) + 0.01));
    const failed = checkModel("L1", runs).filter((c) => c.pass === false);
    expect(failed.map((c) => c.what)).toEqual(["final val (epoch 20)", "epoch 5 val", "epoch 10 val", "epoch 15 val"]);
  });

  it("fails curves outside the bands, and the 5x-worse Adadelta lr mistake", () => {
    const off = checkModel("L1", runsAt("L1", [0.0025, 0.0025, 0.0025]));
    expect(off.filter((c) => c.pass === false).map((c) => c.what)).toContain("final train (epoch 20)");
    const worse = checkModel("L2", { ...runsAt("L2", [0]), train: [REFERENCE.L2.train.map((v) => v * 5)] });
    expect(worse.some((c) => c.pass === false)).toBe(true);
    // One L4 seed too far from 0.1420, though the mean is within its band.
    const l4 = checkModel("L4", runsAt("L4", [0.025, -0.01, -0.01, -0.005, 0]));
    expect(l4.find((c) => c.what === "each seed's final train")?.pass).toBe(false);
  });

  it("does not compare runs on fewer than 60,000 images with the lecture, but still checks the floor", () => {
    const checks = checkModel("L4", runsAt("L4", [0.3]), { trainImages: 1000 });
    expect(checks.map((c) => [c.what, c.pass])).toEqual([
      ["comparison with the lecture", null],
      ["no BCE below the floor", true],
    ]);
  });

  it("flags BCE below the data's floor", () => {
    const runs = runsAt("L3", [0]);
    runs.train[0]![19] = 0.05;
    expect(checkModel("L3", runs).find((c) => c.what === "no BCE below the floor")?.pass).toBe(false);
  });

  it("skips what a shortened run cannot check, and writes tables and a summary", () => {
    const short = runsAt("L1", [0, 0.001], 3);
    const checks = checkModel("L1", short);
    expect(checks.every((c) => c.pass === null)).toBe(true);
    const { markdown } = buildReport({ L1: short, L4: runsAt("L4", [0], 2) }, { trainImages: 60000, seconds: 120 });
    expect(markdown).toContain("# Reproduction of the lecture's MNIST autoencoders");
    expect(markdown).toContain("| 1 | 0.0641 | 0.0646 ± 0.0007 | 0.0526 | 0.0531 ± 0.0007 |");
    expect(markdown).toContain("| L4 | 1 | 2 | 0.2490 | 0.2490 | — | — |");
    expect(markdown).toContain("skipped");
    expect(markdown.indexOf("## Summary")).toBeLessThan(markdown.indexOf("## L1"));
  });
});
