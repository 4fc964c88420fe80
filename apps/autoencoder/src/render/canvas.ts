/**
 * An RGBA colour, each channel 0–255 (alpha 255 = opaque).
 *
 * @example
 * ```ts
 * const orange: Rgba = [255, 127, 14, 255];
 * ```
 */
export type Rgba = readonly [number, number, number, number];

/**
 * A few named colours shared by the plots (matplotlib's tab10 blue and orange for train and
 * validation, as in the lecture's figures).
 *
 * @example
 * ```ts
 * canvas.fillRect(0, 0, 10, 10, COLORS.blue);
 * ```
 */
export const COLORS = Object.freeze({
  white: [255, 255, 255, 255] as Rgba,
  black: [0, 0, 0, 255] as Rgba,
  grey: [128, 128, 128, 255] as Rgba,
  lightGrey: [225, 225, 225, 255] as Rgba,
  darkGrey: [70, 70, 70, 255] as Rgba,
  blue: [31, 119, 180, 255] as Rgba,
  orange: [255, 127, 14, 255] as Rgba,
  green: [44, 160, 44, 255] as Rgba,
  red: [214, 39, 40, 255] as Rgba,
  purple: [148, 103, 189, 255] as Rgba,
});

/**
 * A grey level in [0, 1] (clamped) as an opaque colour: 0 black, 1 white, as matplotlib's
 * `gray` colormap shows MNIST.
 *
 * @example
 * ```ts
 * grey(0.5); // [128, 128, 128, 255]
 * ```
 */
export function grey(v: number): Rgba {
  const g = Math.round(255 * Math.min(1, Math.max(0, Number.isFinite(v) ? v : 0)));
  return [g, g, g, 255];
}

/**
 * An RGBA pixel buffer with the few drawing primitives the app's pictures need: rectangles,
 * anti-aliasing-free lines of any width, dashes, and blending by alpha. Coordinates are
 * pixels from the top-left; anything outside the canvas is clipped, so callers never need
 * bounds checks. The buffer layout is what PNG encoders and `ImageData` expect.
 *
 * @example
 * ```ts
 * const c = new Canvas(200, 100);
 * c.fillRect(10, 10, 50, 20, COLORS.blue);
 * c.line(0, 99, 199, 0, COLORS.red, 2);
 * ```
 */
export class Canvas {
  readonly width: number;
  readonly height: number;
  /** `width * height * 4` bytes, row-major RGBA. */
  readonly data: Uint8Array;

  constructor(width: number, height: number, background: Rgba = COLORS.white) {
    if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
      throw new RangeError(`Canvas: size ${width}x${height} must be positive integers`);
    }
    this.width = width;
    this.height = height;
    this.data = new Uint8Array(width * height * 4);
    this.fillRect(0, 0, width, height, background);
  }

  /** Sets one pixel, blending by the colour's alpha; ignores pixels off the canvas. */
  setPixel(x: number, y: number, color: Rgba): void {
    x = Math.round(x);
    y = Math.round(y);
    if (x < 0 || y < 0 || x >= this.width || y >= this.height) return;
    const i = (y * this.width + x) * 4;
    const a = color[3] / 255;
    const d = this.data;
    if (a >= 1) {
      d[i] = color[0];
      d[i + 1] = color[1];
      d[i + 2] = color[2];
      d[i + 3] = 255;
      return;
    }
    d[i] = Math.round(color[0] * a + (d[i] as number) * (1 - a));
    d[i + 1] = Math.round(color[1] * a + (d[i + 1] as number) * (1 - a));
    d[i + 2] = Math.round(color[2] * a + (d[i + 2] as number) * (1 - a));
    d[i + 3] = Math.min(255, Math.round(255 * a + (d[i + 3] as number) * (1 - a)));
  }

  /** The colour at a pixel (for tests and readback). */
  getPixel(x: number, y: number): Rgba {
    const i = (y * this.width + x) * 4;
    const d = this.data;
    return [d[i] as number, d[i + 1] as number, d[i + 2] as number, d[i + 3] as number];
  }

  /** Fills the rectangle `[x, x + w) × [y, y + h)`. */
  fillRect(x: number, y: number, w: number, h: number, color: Rgba): void {
    const x0 = Math.max(0, Math.round(x));
    const y0 = Math.max(0, Math.round(y));
    const x1 = Math.min(this.width, Math.round(x + w));
    const y1 = Math.min(this.height, Math.round(y + h));
    for (let py = y0; py < y1; py++) for (let px = x0; px < x1; px++) this.setPixel(px, py, color);
  }

  /** Outlines the rectangle `[x, x + w) × [y, y + h)` with a 1-pixel border. */
  strokeRect(x: number, y: number, w: number, h: number, color: Rgba): void {
    this.fillRect(x, y, w, 1, color);
    this.fillRect(x, y + h - 1, w, 1, color);
    this.fillRect(x, y, 1, h, color);
    this.fillRect(x + w - 1, y, 1, h, color);
  }

  /**
   * A straight line from (x0, y0) to (x1, y1), `width` pixels thick (a square pen stamped
   * along the line, so joins of a polyline stay closed), always opaque. `dash` = [on, off] in pixels.
   */
  line(x0: number, y0: number, x1: number, y1: number, color: Rgba, width = 1, dash?: readonly [number, number]): void {
    const steps = Math.max(1, Math.ceil(Math.max(Math.abs(x1 - x0), Math.abs(y1 - y0))));
    const length = Math.hypot(x1 - x0, y1 - y0);
    // Lines are stamped repeatedly, so a translucent colour would darken where stamps overlap: draw opaque.
    const solid: Rgba = [color[0], color[1], color[2], 255];
    const r0 = -Math.floor((width - 1) / 2);
    const r1 = r0 + width;
    for (let s = 0; s <= steps; s++) {
      const t = s / steps;
      if (dash !== undefined) {
        const along = t * length;
        if (along % (dash[0] + dash[1]) >= dash[0]) continue;
      }
      const x = Math.round(x0 + (x1 - x0) * t);
      const y = Math.round(y0 + (y1 - y0) * t);
      for (let dy = r0; dy < r1; dy++) for (let dx = r0; dx < r1; dx++) this.setPixel(x + dx, y + dy, solid);
    }
  }

  /** A filled disc, for plot markers. */
  disc(cx: number, cy: number, radius: number, color: Rgba): void {
    const r = Math.ceil(radius);
    for (let dy = -r; dy <= r; dy++) {
      for (let dx = -r; dx <= r; dx++) if (dx * dx + dy * dy <= radius * radius) this.setPixel(cx + dx, cy + dy, color);
    }
  }

  /**
   * Draws a grey image (values in [0, 1], row-major `rows × cols`) with its top-left at
   * (x, y), each source pixel as a `scale × scale` block — nearest-neighbour upscaling keeps
   * the pixel grid of MNIST visible, as matplotlib's `imshow` does.
   */
  drawGrey(values: ArrayLike<number>, rows: number, cols: number, x: number, y: number, scale = 1): void {
    for (let r = 0; r < rows; r++) {
      for (let c = 0; c < cols; c++) {
        this.fillRect(x + c * scale, y + r * scale, scale, scale, grey(values[r * cols + c] as number));
      }
    }
  }
}
