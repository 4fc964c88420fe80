import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PNG } from "pngjs";
import { describe, expect, it } from "vitest";
import { Canvas, COLORS } from "../src/render/canvas.js";
import { confusionMatrix, confusionPlot } from "../src/render/confusion.js";
import { digitGrid } from "../src/render/digit_grid.js";
import { drawText, textHeight, textWidth } from "../src/render/font.js";
import { latentStrip } from "../src/render/latent_strip.js";
import { formatTick, formatTicks, lossPlot, niceTicks } from "../src/render/loss_plot.js";
import { encodePng, writePng } from "../src/render/png.js";

const out = process.env.RENDER_OUT ?? mkdtempSync(join(tmpdir(), "tapegrad-render-"));

function countColor(c: Canvas, color: readonly number[]): number {
  let n = 0;
  for (let i = 0; i < c.data.length; i += 4) {
    if (c.data[i] === color[0] && c.data[i + 1] === color[1] && c.data[i + 2] === color[2]) n++;
  }
  return n;
}

function fakeDigit(k: number): Float32Array {
  const img = new Float32Array(784);
  for (let r = 4; r < 24; r++) for (let c = 8 + (k % 5); c < 12 + (k % 5); c++) img[r * 28 + c] = 1 - k / 20;
  return img;
}

describe("rendering", () => {
  it("encodes a canvas as a PNG that decodes to the same pixels", () => {
    const c = new Canvas(7, 5);
    c.fillRect(1, 1, 3, 2, COLORS.red);
    const png = PNG.sync.read(encodePng(c));
    expect([png.width, png.height]).toEqual([7, 5]);
    expect(Buffer.compare(png.data, Buffer.from(c.data))).toBe(0);
    expect(c.getPixel(2, 2)).toEqual([...COLORS.red]);
    expect(c.getPixel(0, 0)).toEqual([...COLORS.white]);
  });

  it("clips drawing outside the canvas", () => {
    const c = new Canvas(4, 4);
    c.line(-10, -10, 20, 20, COLORS.black, 3);
    c.fillRect(-5, 2, 100, 100, COLORS.blue);
    expect(c.getPixel(0, 0)).toEqual([...COLORS.black]);
    expect(c.getPixel(3, 3)).toEqual([...COLORS.blue]);
  });

  it("draws text of the measured width", () => {
    const c = new Canvas(100, 20);
    drawText(c, "L1 0.0189", 0, 0, { scale: 1 });
    let maxX = 0;
    for (let y = 0; y < 20; y++) for (let x = 0; x < 100; x++) if (c.getPixel(x, y)[0] === 0) maxX = Math.max(maxX, x);
    expect(maxX).toBeLessThan(textWidth("L1 0.0189", 1));
    expect(maxX).toBeGreaterThan(textWidth("L1 0.0189", 1) - 8);
  });

  it("hangs the descenders of g, j, p, q and y below the baseline; every other glyph stands on it", () => {
    /** The rows (at scale 1, text top at 0) holding ink of one character. */
    const inkRows = (ch: string): number[] => {
      const c = new Canvas(6, 12);
      drawText(c, ch, 0, 0, { scale: 1 });
      const rows = new Set<number>();
      for (let y = 0; y < 12; y++) for (let x = 0; x < 6; x++) if (c.getPixel(x, y)[0] === 0) rows.add(y);
      return [...rows].sort((a, b) => a - b);
    };
    expect(textHeight(2)).toBe(14);
    for (const ch of "gjpqy") {
      const rows = inkRows(ch);
      // The body sits where o's does (x-height from row 2 down to row 6, the last above the
      // baseline); the descender fills the two rows below.
      expect(rows, ch).toContain(6);
      expect(
        rows.filter((r) => r >= 7),
        ch,
      ).toEqual([7, 8]);
      if (ch !== "j") expect(rows[0], ch).toBe(inkRows("o")[0]);
    }
    const others = "abcdefhiklmnorstuvwxzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.,:-+=/()[]%_'!?<>×±# é";
    for (const ch of others) expect(Math.max(-1, ...inkRows(ch)), ch).toBeLessThan(7);
    expect(inkRows("o")).toEqual([2, 3, 4, 5, 6]);
  });

  it("picks round ticks", () => {
    expect(niceTicks(0.013, 0.082, 6)).toEqual([0.02, 0.03, 0.04, 0.05, 0.06, 0.07, 0.08]);
    expect(niceTicks(1, 20, 10)).toEqual([2, 4, 6, 8, 10, 12, 14, 16, 18, 20]);
    expect(formatTick(0.015)).toBe("0.015");
    expect(formatTick(20)).toBe("20");
    expect(formatTicks([0.689, 0.6895, 0.69])).toEqual(["0.6890", "0.6895", "0.6900"]);
    expect(formatTicks([0, 0.02, 0.04])).toEqual(["0.00", "0.02", "0.04"]);
    expect(formatTicks([10, 20])).toEqual(["10", "20"]);
  });

  it("plots loss curves with both series visible, linear and log", () => {
    const train = [0.0819, 0.0592, 0.0484, 0.0418, 0.0374, 0.0342, 0.0313, 0.0287, 0.0265, 0.0249];
    const val = [0.0656, 0.0525, 0.0442, 0.0387, 0.0352, 0.0322, 0.0295, 0.027, 0.0251, 0.0243];
    for (const logScale of [false, true]) {
      const c = lossPlot(
        [
          { label: "train", values: train, color: COLORS.blue },
          { label: "val", values: val, color: COLORS.orange },
          { label: "reference", values: val.map((v) => v * 1.05), color: COLORS.grey, dashed: true, markers: false },
        ],
        { title: "L2: sigmoid + MSE", yLabel: "loss (MSE)", logScale, markers: [{ epoch: 5.5, label: "BCE" }] },
      );
      expect([c.width, c.height]).toEqual([800, 500]);
      expect(countColor(c, COLORS.blue)).toBeGreaterThan(300);
      expect(countColor(c, COLORS.orange)).toBeGreaterThan(300);
      writePng(join(out, logScale ? "loss_log.png" : "loss.png"), c);
      const png = PNG.sync.read(readFileSync(join(out, logScale ? "loss_log.png" : "loss.png")));
      expect([png.width, png.height]).toEqual([800, 500]);
    }
  });

  it("keeps the y-axis title clear of long tick labels", () => {
    // One epoch of an untrained BCE model: ticks such as "0.6905" are as wide as they get.
    const series = [
      { label: "train", values: [0.6907], color: COLORS.blue },
      { label: "val", values: [0.6877], color: COLORS.orange },
    ];
    const bare = lossPlot(series, { yLabel: "" });
    const titled = lossPlot(series, { yLabel: "loss (BCE)" });
    const frameLeft = Array.from({ length: bare.width }, (_, x) => x).find(
      (x) => bare.getPixel(x, 250)[0] === 0 && bare.getPixel(x, 260)[0] === 0 && bare.getPixel(x, 240)[0] === 0,
    ) as number;
    let tickInk = Infinity;
    let titleInk = -Infinity;
    for (let y = 0; y < bare.height; y++) {
      for (let x = 0; x < frameLeft - 8; x++) {
        if (bare.getPixel(x, y)[0] === 0) tickInk = Math.min(tickInk, x);
        if (titled.getPixel(x, y).join() !== bare.getPixel(x, y).join()) titleInk = Math.max(titleInk, x);
      }
    }
    expect(Number.isFinite(tickInk)).toBe(true);
    expect(Number.isFinite(titleInk)).toBe(true);
    expect(titleInk).toBeLessThan(tickInk - 4);
  });

  it("lays out digit grids, latent strips and confusion matrices", () => {
    const digits = Array.from({ length: 10 }, (_, k) => fakeDigit(k));
    const outputs = digits.map((d) => d.map((v) => 1 - v));
    const grid = digitGrid([digits, outputs], { rowLabels: ["input", "output"], scale: 3, title: "test" });
    expect(grid.width).toBeGreaterThan(10 * 84);
    // Originals in the top row, each reconstruction in the cell below its original.
    // Cells are 84 px with 4 px gaps, after the row labels and under the title.
    const left = textWidth("output", 2) + 16 + 4;
    const top = grid.height - 2 * 88;
    const cellGrey = (row: number, col: number, px: number): number =>
      grid.getPixel(left + col * 88 + (px % 28) * 3 + 1, top + row * 88 + Math.floor(px / 28) * 3 + 1)[0] as number;
    for (const [col, px] of [
      [0, 10 * 28 + 9],
      [7, 12 * 28 + 10],
      [9, 2 * 28 + 2],
    ] as const) {
      expect(cellGrey(0, col, px)).toBe(Math.round(255 * (digits[col]?.[px] as number)));
      expect(cellGrey(1, col, px)).toBe(Math.round(255 * (outputs[col]?.[px] as number)));
    }
    writePng(join(out, "grid.png"), grid);
    const codes = digits.map((_, k) => Float32Array.from({ length: 16 }, (_, u) => (u * k) % 7));
    const strip = latentStrip(digits, codes, digits, { title: "codes" });
    expect(strip.height).toBeGreaterThan(10 * 84);
    writePng(join(out, "latent.png"), strip);
    const m = confusionMatrix([0, 1, 1, 2, 9], [0, 1, 2, 2, 4]);
    expect(m[1]).toEqual([0, 1, 1, 0, 0, 0, 0, 0, 0, 0]);
    expect(m[9]?.[4]).toBe(1);
    const big = Array.from({ length: 10 }, (_, t) =>
      Array.from({ length: 10 }, (_, p) => (t === p ? 980 : (t * p) % 13)),
    );
    writePng(join(out, "confusion.png"), confusionPlot(big, { title: "accuracy 97.6%" }));
  });
});
