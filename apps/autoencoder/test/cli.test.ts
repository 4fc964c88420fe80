import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { PNG } from "pngjs";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { main } from "../src/cli.js";

const appDir = join(dirname(fileURLToPath(import.meta.url)), "..");
let errors: string[];
let logs: string[];

beforeEach(() => {
  errors = [];
  logs = [];
  vi.spyOn(console, "error").mockImplementation((...args: unknown[]) => {
    errors.push(args.join(" "));
  });
  vi.spyOn(console, "log").mockImplementation((...args: unknown[]) => {
    logs.push(args.join(" "));
  });
});

afterEach(() => {
  vi.restoreAllMocks();
});

describe("CLI", () => {
  it.each([
    [["train", "--model", "L9"], /--model must be one of L1, L2, L3, L4/],
    [["train"], /--model is required \(L1, L2, L3 or L4\)/],
    [["train", "--model", ""], /--model must be one of L1, L2, L3, L4, got ""/],
    [["train", "--model", "L1", "--epochs", "0"], /--epochs must be an integer >= 1/],
    [["train", "--model", "L1", "--lr", "fast"], /--lr must be a positive number/],
    [["train", "--model", "L1", "--optimizer", "lbfgs"], /--optimizer must be adadelta, adam or sgd/],
    [["train", "--model", "L1", "--bogus"], /Unknown option '--bogus'/],
    [["train", "--model", "L1", "extra"], /positional argument/],
    [["demo", "--epochs", "two"], /--epochs must be an integer/],
    [["reproduce", "--models", "L1,L7"], /--model must be one of/],
    [["fly"], /unknown command "fly"/],
  ])("rejects %j with exit code 2 and the usage", async (argv, message) => {
    expect(await main(argv)).toBe(2);
    const text = errors.join("\n");
    expect(text).toMatch(message);
    expect(text).toContain("usage: tapegrad-autoencoder");
  });

  it("prints the usage and fails without a command; help succeeds", async () => {
    expect(await main([])).toBe(2);
    expect(errors.join("\n")).toContain("usage:");
    expect(await main(["help"])).toBe(0);
  });

  it("trains a tiny L2 run end to end and writes its files", async () => {
    const out = mkdtempSync(join(tmpdir(), "tapegrad-cli-"));
    const code = await main(["train", "--model", "L2", "--epochs", "1", "--train-limit", "200", "--out", out]);
    expect(code).toBe(0);
    for (const f of ["history.json", "loss.png", "reconstructions.png", "weights.safetensors"]) {
      expect(existsSync(join(out, f))).toBe(true);
    }
    expect(existsSync(join(out, "latent.png"))).toBe(false);
  });

  it("demo trains briefly, writes its pictures and says where they are", async () => {
    const out = mkdtempSync(join(tmpdir(), "tapegrad-demo-"));
    expect(await main(["demo", "--epochs", "1", "--train-limit", "512", "--out", out])).toBe(0);
    for (const f of ["history.json", "loss.png", "reconstructions.png", "weights.safetensors"]) {
      expect(existsSync(join(out, f))).toBe(true);
    }
    expect(logs.join("\n")).toMatch(/pictures and weights in .+:/);
  });

  it("classify reports test accuracy and writes the confusion matrix and misclassified digits", async () => {
    const out = mkdtempSync(join(tmpdir(), "tapegrad-classify-"));
    expect(await main(["classify", "--epochs", "1", "--train-limit", "1000", "--out", out])).toBe(0);
    const saved = JSON.parse(readFileSync(join(out, "history.json"), "utf8"));
    // Eight Adam steps on 1,000 images already beat chance (10%) by far.
    expect(saved.accuracy).toBeGreaterThan(0.4);
    expect(saved.confusion.flat().reduce((a: number, b: number) => a + b, 0)).toBe(10_000);
    expect(logs.join("\n")).toContain(`test accuracy ${(100 * saved.accuracy).toFixed(2)}%`);
    for (const f of ["confusion.png", "misclassified.png"]) {
      const png = PNG.sync.read(readFileSync(join(out, f)));
      expect(png.width).toBeGreaterThan(300);
      expect(png.height).toBeGreaterThan(300);
    }
  });

  it("the built script exits non-zero with the usage on a bad model", () => {
    const r = spawnSync(process.execPath, [join(appDir, "dist/cli.js"), "train", "--model", "L9"], {
      encoding: "utf8",
    });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("--model must be one of");
    expect(r.stderr).toContain("usage:");
  });
});
