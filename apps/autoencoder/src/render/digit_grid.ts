import { Canvas, COLORS } from "./canvas.js";
import { drawText, textHeight, textWidth } from "./font.js";

/**
 * Options of {@link digitGrid}.
 *
 * @example
 * ```ts
 * const opts: DigitGridOptions = { scale: 3, rowLabels: ["input", "output"], title: "L2" };
 * ```
 */
export interface DigitGridOptions {
  /** Each image pixel becomes a `scale × scale` block (default 3: 28 px → 84 px). */
  scale?: number;
  /** Side of the square images (default 28). */
  side?: number;
  /** Gap between cells in pixels (default 4). */
  gap?: number;
  /** A label left of each row. */
  rowLabels?: readonly string[];
  /** A caption under each cell, row-major (e.g. "true 3 / pred 5"). */
  captions?: readonly (readonly string[])[];
  title?: string;
}

/**
 * Lays out rows of grey images (values in [0, 1], 0 black, 1 white) as a grid, upscaled
 * without smoothing: the lecture's figure of originals above their reconstructions, or any
 * gallery of digits.
 *
 * @example
 * ```ts
 * const canvas = digitGrid([originals, reconstructions], { rowLabels: ["input", "output"] });
 * writePng("reconstructions.png", canvas);
 * ```
 */
export function digitGrid(rows: readonly (readonly ArrayLike<number>[])[], options: DigitGridOptions = {}): Canvas {
  const scale = options.scale ?? 3;
  const side = options.side ?? 28;
  const gap = options.gap ?? 4;
  const cell = side * scale;
  const cols = Math.max(1, ...rows.map((r) => r.length));
  const labelW = options.rowLabels ? Math.max(...options.rowLabels.map((l) => textWidth(l, 2))) + 16 : 0;
  const captionH = options.captions ? textHeight(2) + 8 : 0;
  const titleH = options.title ? textHeight(2) + 16 : 0;
  const width = labelW + cols * (cell + gap) + gap;
  const height = titleH + rows.length * (cell + captionH + gap) + gap;
  const canvas = new Canvas(width, height);
  if (options.title) drawText(canvas, options.title, width / 2, 8, { scale: 2, align: "center" });
  rows.forEach((row, r) => {
    const y = titleH + gap + r * (cell + captionH + gap);
    const label = options.rowLabels?.[r];
    if (label) drawText(canvas, label, 8, y + cell / 2, { scale: 2, baseline: "middle" });
    row.forEach((img, c) => {
      const x = labelW + gap + c * (cell + gap);
      canvas.drawGrey(img, side, side, x, y, scale);
      const caption = options.captions?.[r]?.[c];
      if (caption) {
        drawText(canvas, caption, x + cell / 2, y + cell + 4, { scale: 2, align: "center", color: COLORS.darkGrey });
      }
    });
  });
  return canvas;
}
