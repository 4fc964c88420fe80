/**
 * Draws the loss curve: the losses in order, scaled to the canvas, with the first and latest
 * values labelled. Redrawn whole each time — a few hundred points cost nothing.
 *
 * @example
 * ```ts
 * drawLoss(document.querySelector("canvas")!, [0.11, 0.07, 0.05]);
 * ```
 */
export function drawLoss(canvas: HTMLCanvasElement, losses: readonly number[]): void {
  const ctx = canvas.getContext("2d");
  if (ctx === null) return;
  const { width, height } = canvas;
  const pad = { left: 56, right: 12, top: 14, bottom: 28 };
  ctx.clearRect(0, 0, width, height);
  ctx.strokeStyle = "#999";
  ctx.lineWidth = 1;
  ctx.beginPath();
  ctx.moveTo(pad.left, pad.top);
  ctx.lineTo(pad.left, height - pad.bottom);
  ctx.lineTo(width - pad.right, height - pad.bottom);
  ctx.stroke();
  ctx.fillStyle = "#333";
  ctx.font = "12px system-ui, sans-serif";
  ctx.fillText(`step ${losses.length}`, width - pad.right - 60, height - 8);
  if (losses.length === 0) return;
  const max = Math.max(...losses);
  const min = Math.min(0, ...losses);
  const x = (i: number): number => pad.left + ((width - pad.left - pad.right) * i) / Math.max(losses.length - 1, 1);
  const y = (v: number): number => pad.top + ((height - pad.top - pad.bottom) * (max - v)) / (max - min || 1);
  ctx.fillText(max.toFixed(4), 4, pad.top + 4);
  ctx.fillText(min.toFixed(4), 4, height - pad.bottom);
  ctx.strokeStyle = "#d1495b";
  ctx.lineWidth = 2;
  ctx.beginPath();
  losses.forEach((v, i) => {
    if (i === 0) ctx.moveTo(x(i), y(v));
    else ctx.lineTo(x(i), y(v));
  });
  ctx.stroke();
  const last = losses[losses.length - 1] as number;
  ctx.fillStyle = "#d1495b";
  ctx.fillText(`loss ${last.toFixed(4)}`, width - pad.right - 100, pad.top + 12);
}

/**
 * Draws `count` 28×28 digits from `originals` in the top row and the same digits from
 * `reconstructions` (when given) in the bottom row, each scaled to fill its cell.
 *
 * @example
 * ```ts
 * drawDigits(canvas, test.pixels, recon, 8);
 * ```
 */
export function drawDigits(
  canvas: HTMLCanvasElement,
  originals: Float32Array,
  reconstructions: Float32Array | null,
  count: number,
): void {
  const ctx = canvas.getContext("2d");
  if (ctx === null) return;
  const cell = Math.floor(Math.min(canvas.width / count, canvas.height / 2));
  ctx.imageSmoothingEnabled = false;
  ctx.fillStyle = "#fff";
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  const tile = document.createElement("canvas");
  tile.width = 28;
  tile.height = 28;
  const tctx = tile.getContext("2d");
  if (tctx === null) return;
  const rows = reconstructions === null ? [originals] : [originals, reconstructions];
  rows.forEach((pixels, row) => {
    for (let k = 0; k < count; k++) {
      const image = tctx.createImageData(28, 28);
      for (let p = 0; p < 784; p++) {
        // Dark ink on white, like the lecture's figures; values are clamped to [0, 1].
        const v = 255 - Math.round(255 * Math.min(1, Math.max(0, pixels[k * 784 + p] as number)));
        image.data[4 * p] = v;
        image.data[4 * p + 1] = v;
        image.data[4 * p + 2] = v;
        image.data[4 * p + 3] = 255;
      }
      tctx.putImageData(image, 0, 0);
      ctx.drawImage(tile, k * cell, row * cell, cell, cell);
    }
  });
}
