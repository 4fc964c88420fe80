import { Canvas, COLORS } from "./canvas.js";
import { drawText, textHeight, textWidth } from "./font.js";

/**
 * Options of {@link latentStrip}.
 *
 * @example
 * ```ts
 * const opts: LatentStripOptions = { scale: 3, title: "L4: 16-number codes" };
 * ```
 */
export interface LatentStripOptions {
  scale?: number;
  side?: number;
  title?: string;
}

/**
 * For each digit, one row: the input image, its bottleneck code as a strip of grey cells (one
 * per latent unit; black 0, white the strip's largest value), and the reconstruction decoded
 * from that code. Shows what the 16 numbers of
 * L4's bottleneck carry.
 *
 * @example
 * ```ts
 * const canvas = latentStrip(inputs, codes, reconstructions); // 10 rows for digits 0–9
 * writePng("latent.png", canvas);
 * ```
 */
export function latentStrip(
  inputs: readonly ArrayLike<number>[],
  codes: readonly ArrayLike<number>[],
  outputs: readonly ArrayLike<number>[],
  options: LatentStripOptions = {},
): Canvas {
  const scale = options.scale ?? 3;
  const side = options.side ?? 28;
  const img = side * scale;
  const gap = 12;
  const units = Math.max(1, ...codes.map((c) => c.length));
  const cellW = Math.max(12, Math.floor((img * 2.5) / units));
  const cellH = Math.round(img * 0.6);
  const titleH = options.title ? textHeight(2) + 16 : 0;
  const headerH = textHeight(2) + 10;
  const rows = inputs.length;
  // Each strip is scaled to its own largest value, as matplotlib's imshow shows each code in the
  // lecture: one very active digit would otherwise leave every other strip black.
  const maxOf = (c: ArrayLike<number>) => {
    let m = 0;
    for (let i = 0; i < c.length; i++) m = Math.max(m, Math.abs(c[i] as number));
    return m === 0 ? 1 : m;
  };
  const caption = "grey: 0 black, each strip's largest value white";
  const content = gap + img + gap + units * cellW + gap + img + gap;
  const width = Math.max(
    content,
    textWidth(caption, 2) + 2 * gap,
    options.title ? textWidth(options.title, 2) + 2 * gap : 0,
  );
  // Centre the rows when a long caption or title made the canvas wider than they are.
  const x0 = Math.floor((width - content) / 2);
  const height = titleH + headerH + rows * (img + gap) + gap + textHeight(2) + 8;
  const canvas = new Canvas(width, height);
  if (options.title) drawText(canvas, options.title, width / 2, 8, { scale: 2, align: "center" });
  const inX = x0 + gap;
  const stripX = inX + img + gap;
  const outX = stripX + units * cellW + gap;
  const hy = titleH + 4;
  drawText(canvas, "input", inX + img / 2, hy, { scale: 2, align: "center" });
  drawText(canvas, `code (${units} units)`, stripX + (units * cellW) / 2, hy, { scale: 2, align: "center" });
  drawText(canvas, "output", outX + img / 2, hy, { scale: 2, align: "center" });
  for (let r = 0; r < rows; r++) {
    const y = titleH + headerH + r * (img + gap);
    canvas.drawGrey(inputs[r] as ArrayLike<number>, side, side, inX, y, scale);
    const code = codes[r] as ArrayLike<number>;
    const max = maxOf(code);
    const cy = y + (img - cellH) / 2;
    for (let u = 0; u < code.length; u++) {
      const v = Math.abs(code[u] as number) / max;
      const g = Math.round(255 * v);
      canvas.fillRect(stripX + u * cellW, cy, cellW, cellH, [g, g, g, 255]);
    }
    canvas.strokeRect(stripX, cy, code.length * cellW, cellH, COLORS.grey);
    canvas.drawGrey(outputs[r] as ArrayLike<number>, side, side, outX, y, scale);
  }
  drawText(canvas, caption, width / 2, height - textHeight(2) - 6, {
    scale: 2,
    align: "center",
    color: COLORS.darkGrey,
  });
  return canvas;
}
