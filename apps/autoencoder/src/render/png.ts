import { mkdirSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { PNG } from "pngjs";
import type { Canvas } from "./canvas.js";

/**
 * Encodes a canvas as PNG bytes (8-bit RGBA). Node-only, unlike the drawing code, which a
 * browser page can put straight into an `ImageData`.
 *
 * @example
 * ```ts
 * const bytes = encodePng(new Canvas(10, 10));
 * ```
 */
export function encodePng(canvas: Canvas): Buffer {
  const png = new PNG({ width: canvas.width, height: canvas.height });
  png.data = Buffer.from(canvas.data.buffer, canvas.data.byteOffset, canvas.data.byteLength);
  return PNG.sync.write(png);
}

/**
 * Writes a canvas to `path` as PNG, creating the folder if needed.
 *
 * @example
 * ```ts
 * writePng("runs/demo/loss.png", lossPlot(series));
 * ```
 */
export function writePng(path: string, canvas: Canvas): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, encodePng(canvas));
}
