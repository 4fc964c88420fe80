import { Canvas, COLORS, type Rgba } from "./canvas.js";
import { drawText, textHeight } from "./font.js";

/**
 * Counts of (true class, predicted class) pairs: `matrix[t][p]`.
 *
 * @example
 * ```ts
 * const m = confusionMatrix(new Int32Array([0, 1, 1]), new Int32Array([0, 1, 0]), 2); // [[1, 0], [1, 1]]
 * ```
 */
export function confusionMatrix(truth: ArrayLike<number>, predicted: ArrayLike<number>, classes = 10): number[][] {
  const m = Array.from({ length: classes }, () => new Array<number>(classes).fill(0));
  for (let i = 0; i < truth.length; i++) {
    const row = m[truth[i] as number];
    const p = predicted[i] as number;
    if (row !== undefined && p >= 0 && p < classes) row[p] = (row[p] as number) + 1;
  }
  return m;
}

function heat(t: number): Rgba {
  // White to matplotlib's "Blues" dark end; sqrt so the off-diagonal errors (tens) stay
  // visible next to the diagonal (about a thousand each).
  const s = Math.sqrt(Math.min(1, Math.max(0, t)));
  return [Math.round(255 - s * (255 - 8)), Math.round(255 - s * (255 - 48)), Math.round(255 - s * (255 - 107)), 255];
}

/**
 * A confusion matrix as a heat map with the count written in every cell, true class down the
 * side and predicted class along the top.
 *
 * @example
 * ```ts
 * const canvas = confusionPlot(confusionMatrix(labels, predictions), { title: "test accuracy 97.6%" });
 * writePng("confusion.png", canvas);
 * ```
 */
export function confusionPlot(
  matrix: readonly (readonly number[])[],
  options: { title?: string; cell?: number } = {},
): Canvas {
  const n = matrix.length;
  const cell = options.cell ?? 56;
  const left = 80;
  const top = (options.title ? 40 : 10) + 50;
  const width = left + n * cell + 20;
  const height = top + n * cell + 20;
  const canvas = new Canvas(width, height);
  const max = Math.max(1, ...matrix.flat());
  if (options.title) drawText(canvas, options.title, width / 2, 10, { scale: 2, align: "center" });
  drawText(canvas, "predicted", left + (n * cell) / 2, top - 44, { scale: 2, align: "center" });
  drawText(canvas, "true", 14, top + (n * cell) / 2, { scale: 2, vertical: true, align: "center" });
  for (let t = 0; t < n; t++) {
    drawText(canvas, String(t), left - 12, top + t * cell + cell / 2, { scale: 2, align: "right", baseline: "middle" });
    drawText(canvas, String(t), left + t * cell + cell / 2, top - 8 - textHeight(2), { scale: 2, align: "center" });
    for (let p = 0; p < n; p++) {
      const v = matrix[t]?.[p] ?? 0;
      const x = left + p * cell;
      const y = top + t * cell;
      canvas.fillRect(x, y, cell, cell, heat(v / max));
      canvas.strokeRect(x, y, cell + 1, cell + 1, COLORS.lightGrey);
      const dark = Math.sqrt(v / max) > 0.55;
      drawText(canvas, String(v), x + cell / 2, y + cell / 2, {
        scale: 2,
        align: "center",
        baseline: "middle",
        color: dark ? COLORS.white : COLORS.black,
      });
    }
  }
  return canvas;
}
