import { Canvas, COLORS, type Rgba } from "./canvas.js";
import { drawText, textHeight, textWidth } from "./font.js";

/**
 * One curve of a {@link lossPlot}: a value per epoch (index 0 = epoch 1); `null` leaves a gap
 * (a validation loss that was not logged).
 *
 * @example
 * ```ts
 * const s: PlotSeries = { label: "train", values: [0.08, 0.05, 0.04], color: COLORS.blue };
 * ```
 */
export interface PlotSeries {
  label: string;
  values: readonly (number | null)[];
  color: Rgba;
  dashed?: boolean;
  /** Draw a dot at each point (default true). */
  markers?: boolean;
}

/**
 * Options of {@link lossPlot}.
 *
 * @example
 * ```ts
 * const opts: LossPlotOptions = { title: "L2: sigmoid + MSE", yLabel: "loss (MSE)", logScale: true };
 * ```
 */
export interface LossPlotOptions {
  title?: string;
  xLabel?: string;
  yLabel?: string;
  /** Logarithmic y axis: the tail of a loss curve stays readable next to epoch 1. */
  logScale?: boolean;
  width?: number;
  height?: number;
  /**
   * Vertical marker lines at (fractional) epochs, e.g. where L3 switches from MSE to BCE.
   * Curves are not joined across a marker: the loss changes meaning there.
   */
  markers?: readonly { epoch: number; label: string }[];
}

/**
 * Round tick positions covering [lo, hi]: steps of 1, 2 or 5 × 10^k, about `target` of them.
 *
 * @example
 * ```ts
 * niceTicks(0.013, 0.082, 6); // [0.02, 0.03, ..., 0.08] (step 0.01)
 * ```
 */
export function niceTicks(lo: number, hi: number, target = 6): number[] {
  if (!(hi > lo)) return [lo];
  const raw = (hi - lo) / target;
  const mag = 10 ** Math.floor(Math.log10(raw));
  // Of the round steps near the raw one, take the one whose tick count is closest to target.
  let step = mag;
  for (const m of [1, 2, 5, 10]) {
    if (Math.abs((hi - lo) / (m * mag) - target) < Math.abs((hi - lo) / step - target)) step = m * mag;
  }
  const ticks: number[] = [];
  for (let v = Math.ceil(lo / step - 1e-9) * step; v <= hi + step * 1e-9; v += step) {
    ticks.push(Number(v.toPrecision(12)));
  }
  return ticks;
}

function logTicks(lo: number, hi: number): number[] {
  // Enough mantissas per decade for at least ~3 labelled ticks, whatever the span.
  const decades = Math.log10(hi / lo);
  const mantissas = decades > 3 ? [1] : decades > 1.5 ? [1, 2, 5] : [1, 1.5, 2, 3, 4, 5, 6, 7, 8, 9];
  const ticks: number[] = [];
  for (let e = Math.floor(Math.log10(lo)); e <= Math.ceil(Math.log10(hi)); e++) {
    for (const m of mantissas) {
      const v = Number((m * 10 ** e).toPrecision(12));
      if (v >= lo * (1 - 1e-9) && v <= hi * (1 + 1e-9)) ticks.push(v);
    }
  }
  return ticks;
}

/**
 * A tick label: as few digits as tell neighbouring ticks apart, no trailing zeros.
 *
 * @example
 * ```ts
 * formatTick(0.015); // "0.015"
 * formatTick(20); // "20"
 * ```
 */
export function formatTick(v: number): string {
  if (v === 0) return "0";
  const a = Math.abs(v);
  if (a >= 1e4 || a < 1e-4) return v.toExponential(1).replace(/\.0e/, "e");
  return String(Number(v.toPrecision(4)));
}

/**
 * Labels for a linear axis's ticks, all with the same number of decimals (as matplotlib
 * prints them), so "0.69" does not stand between "0.6905" and "0.6895".
 *
 * @example
 * ```ts
 * formatTicks([0.689, 0.6895, 0.69]); // ["0.6890", "0.6895", "0.6900"]
 * ```
 */
export function formatTicks(ticks: readonly number[]): string[] {
  const labels = ticks.map(formatTick);
  if (labels.some((l) => l.includes("e"))) return labels;
  const decimals = Math.max(0, ...labels.map((l) => l.split(".")[1]?.length ?? 0));
  return ticks.map((t) => t.toFixed(decimals));
}

/**
 * Draws loss curves per epoch — train and validation, optionally a reference — with axes,
 * ticks, grid, labels, a legend and an optional log scale: the picture Keras users make from
 * `history.history` with matplotlib.
 *
 * @example
 * ```ts
 * const canvas = lossPlot(
 *   [
 *     { label: "train", values: history.loss, color: COLORS.blue },
 *     { label: "val", values: history.val_loss, color: COLORS.orange },
 *   ],
 *   { title: "L1", yLabel: "MSE" },
 * );
 * writePng("loss.png", canvas);
 * ```
 */
export function lossPlot(series: readonly PlotSeries[], options: LossPlotOptions = {}): Canvas {
  const width = options.width ?? 800;
  const height = options.height ?? 500;
  const canvas = new Canvas(width, height);
  const log = options.logScale ?? false;
  const values = series.flatMap((s) => s.values).filter((v): v is number => v !== null && Number.isFinite(v));
  const usable = log ? values.filter((v) => v > 0) : values;
  const epochs = Math.max(1, ...series.map((s) => s.values.length));

  const right = 24;
  const top = options.title ? 48 : 24;
  const bottom = 64;
  const plotH = height - top - bottom;

  let lo = usable.length ? Math.min(...usable) : 0;
  let hi = usable.length ? Math.max(...usable) : 1;
  if (hi === lo) {
    hi = lo === 0 ? 1 : lo * 1.1;
    lo = lo === 0 ? 0 : lo * 0.9;
  }
  if (log) {
    const pad = (Math.log10(hi) - Math.log10(lo)) * 0.06;
    lo = 10 ** (Math.log10(lo) - pad);
    hi = 10 ** (Math.log10(hi) + pad);
  } else {
    const pad = (hi - lo) * 0.06;
    lo = Math.max(lo >= 0 ? 0 : -Infinity, lo - pad);
    hi += pad;
  }
  const yTicks = log ? logTicks(lo, hi) : niceTicks(lo, hi, 6);
  // Log ticks span decades, where differing decimals are the point.
  const tickLabels = log ? yTicks.map(formatTick) : formatTicks(yTicks);
  // The y-axis title sits left of the widest tick label: with a fixed margin, labels such as
  // "0.6905" ran into it.
  const tickLabelWidth = Math.max(0, ...tickLabels.map((t) => textWidth(t, 2)));
  const yTitleX = 14;
  const left = Math.max(96, yTitleX + textHeight(2) + 12 + tickLabelWidth + 10);
  const plotW = width - left - right;
  const yOf = (v: number) =>
    top + plotH * (1 - (log ? Math.log10(v / lo) / Math.log10(hi / lo) : (v - lo) / (hi - lo)));
  // Epochs are 1-based; a single epoch sits in the middle.
  const xOf = (epoch: number) => left + (epochs === 1 ? plotW / 2 : ((epoch - 1) / (epochs - 1)) * plotW);

  yTicks.forEach((t, i) => {
    const y = Math.round(yOf(t));
    canvas.line(left, y, left + plotW, y, COLORS.lightGrey);
    canvas.line(left - 6, y, left - 1, y, COLORS.black);
    drawText(canvas, tickLabels[i] as string, left - 10, y, { scale: 2, align: "right", baseline: "middle" });
  });
  const xTicks = niceTicks(1, epochs, Math.min(10, epochs)).filter((t) => Number.isInteger(t) && t >= 1);
  for (const t of xTicks) {
    const x = Math.round(xOf(t));
    canvas.line(x, top, x, top + plotH, COLORS.lightGrey);
    canvas.line(x, top + plotH, x, top + plotH + 5, COLORS.black);
    drawText(canvas, String(t), x, top + plotH + 10, { scale: 2, align: "center" });
  }
  canvas.strokeRect(left, top, plotW + 1, plotH + 1, COLORS.black);

  for (const m of options.markers ?? []) {
    const x = Math.round(xOf(m.epoch));
    canvas.line(x, top + 1, x, top + plotH - 1, COLORS.grey, 1, [6, 4]);
    drawText(canvas, m.label, x + 6, top + 8, { scale: 2, color: COLORS.darkGrey });
  }

  for (const s of series) {
    let prev: [number, number] | null = null;
    s.values.forEach((v, i) => {
      if (v === null || !Number.isFinite(v) || (log && v <= 0)) {
        prev = null;
        return;
      }
      const p: [number, number] = [xOf(i + 1), yOf(v)];
      const crossesMarker = (options.markers ?? []).some((m) => m.epoch > i && m.epoch < i + 1);
      if (prev && !crossesMarker) canvas.line(prev[0], prev[1], p[0], p[1], s.color, 2, s.dashed ? [8, 5] : undefined);
      if (s.markers ?? true) canvas.disc(p[0], p[1], 3, s.color);
      prev = p;
    });
  }

  if (options.title) drawText(canvas, options.title, left + plotW / 2, 16, { scale: 2, align: "center" });
  drawText(canvas, options.xLabel ?? "epoch", left + plotW / 2, height - 24, { scale: 2, align: "center" });
  drawText(canvas, (options.yLabel ?? "loss") + (log ? " - log scale" : ""), yTitleX, top + plotH / 2, {
    scale: 2,
    vertical: true,
    align: "center",
  });

  if (series.length > 0) {
    const rowH = textHeight(2) + 10;
    const boxW = 56 + Math.max(...series.map((s) => textWidth(s.label, 2)));
    const boxH = series.length * rowH + 10;
    // The corner whose box covers the fewest curve points (loss curves usually leave the top
    // right empty, but not always).
    const samples: [number, number][] = [];
    for (const s of series) {
      s.values.forEach((v, i) => {
        const w = s.values[i + 1];
        if (v === null || !Number.isFinite(v) || (log && v <= 0)) return;
        samples.push([xOf(i + 1), yOf(v)]);
        if (w === null || w === undefined || !Number.isFinite(w) || (log && w <= 0)) return;
        for (let t = 0.1; t < 1; t += 0.1) samples.push([xOf(i + 1 + t), yOf(v + (w - v) * t)]);
      });
    }
    const corners: [number, number][] = [
      [left + plotW - boxW - 10, top + 10],
      [left + 10, top + 10],
      [left + plotW - boxW - 10, top + plotH - boxH - 10],
      [left + 10, top + plotH - boxH - 10],
    ];
    const covered = ([cx, cy]: [number, number]) =>
      samples.filter(([px, py]) => px >= cx - 4 && px <= cx + boxW + 4 && py >= cy - 4 && py <= cy + boxH + 4).length;
    let [bx, by] = corners[0] as [number, number];
    let best = covered([bx, by]);
    for (const c of corners.slice(1)) {
      const n = covered(c);
      if (n < best) [best, bx, by] = [n, c[0], c[1]];
    }
    canvas.fillRect(bx, by, boxW, boxH, COLORS.white);
    canvas.strokeRect(bx, by, boxW, boxH, COLORS.grey);
    series.forEach((s, i) => {
      const cy = by + 10 + i * rowH + textHeight(2) / 2;
      canvas.line(bx + 8, cy, bx + 38, cy, s.color, 2, s.dashed ? [8, 5] : undefined);
      if (s.markers ?? true) canvas.disc(bx + 23, cy, 3, s.color);
      drawText(canvas, s.label, bx + 46, cy, { scale: 2, baseline: "middle" });
    });
  }
  return canvas;
}
