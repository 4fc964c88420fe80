import type { Canvas, Rgba } from "./canvas.js";

// A 5×7 bitmap font (one string per glyph: rows of 5 cells, '#' = ink), enough for axis
// labels, legends and titles without shipping a font file or a text rasteriser. Seven rows
// stand on the baseline; g, j, p, q and y have two more, their descenders, below it (a glyph
// given as 7 rows has blank descender rows).
const GLYPHS: Record<string, string> = {
  " ": ".....|.....|.....|.....|.....|.....|.....",
  "0": ".###.|#...#|#..##|#.#.#|##..#|#...#|.###.",
  "1": "..#..|.##..|..#..|..#..|..#..|..#..|.###.",
  "2": ".###.|#...#|....#|...#.|..#..|.#...|#####",
  "3": "#####|...#.|..#..|...#.|....#|#...#|.###.",
  "4": "...#.|..##.|.#.#.|#..#.|#####|...#.|...#.",
  "5": "#####|#....|####.|....#|....#|#...#|.###.",
  "6": "..##.|.#...|#....|####.|#...#|#...#|.###.",
  "7": "#####|....#|...#.|..#..|.#...|.#...|.#...",
  "8": ".###.|#...#|#...#|.###.|#...#|#...#|.###.",
  "9": ".###.|#...#|#...#|.####|....#|...#.|.##..",
  A: ".###.|#...#|#...#|#####|#...#|#...#|#...#",
  B: "####.|#...#|#...#|####.|#...#|#...#|####.",
  C: ".###.|#...#|#....|#....|#....|#...#|.###.",
  D: "###..|#..#.|#...#|#...#|#...#|#..#.|###..",
  E: "#####|#....|#....|####.|#....|#....|#####",
  F: "#####|#....|#....|####.|#....|#....|#....",
  G: ".###.|#...#|#....|#.###|#...#|#...#|.####",
  H: "#...#|#...#|#...#|#####|#...#|#...#|#...#",
  I: ".###.|..#..|..#..|..#..|..#..|..#..|.###.",
  J: "..###|...#.|...#.|...#.|...#.|#..#.|.##..",
  K: "#...#|#..#.|#.#..|##...|#.#..|#..#.|#...#",
  L: "#....|#....|#....|#....|#....|#....|#####",
  M: "#...#|##.##|#.#.#|#.#.#|#...#|#...#|#...#",
  N: "#...#|#...#|##..#|#.#.#|#..##|#...#|#...#",
  O: ".###.|#...#|#...#|#...#|#...#|#...#|.###.",
  P: "####.|#...#|#...#|####.|#....|#....|#....",
  Q: ".###.|#...#|#...#|#...#|#.#.#|#..#.|.##.#",
  R: "####.|#...#|#...#|####.|#.#..|#..#.|#...#",
  S: ".####|#....|#....|.###.|....#|....#|####.",
  T: "#####|..#..|..#..|..#..|..#..|..#..|..#..",
  U: "#...#|#...#|#...#|#...#|#...#|#...#|.###.",
  V: "#...#|#...#|#...#|#...#|#...#|.#.#.|..#..",
  W: "#...#|#...#|#...#|#.#.#|#.#.#|#.#.#|.#.#.",
  X: "#...#|#...#|.#.#.|..#..|.#.#.|#...#|#...#",
  Y: "#...#|#...#|.#.#.|..#..|..#..|..#..|..#..",
  Z: "#####|....#|...#.|..#..|.#...|#....|#####",
  a: ".....|.....|.###.|....#|.####|#...#|.####",
  b: "#....|#....|#.##.|##..#|#...#|#...#|####.",
  c: ".....|.....|.###.|#....|#....|#...#|.###.",
  d: "....#|....#|.##.#|#..##|#...#|#...#|.####",
  e: ".....|.....|.###.|#...#|#####|#....|.###.",
  f: "..##.|.#..#|.#...|###..|.#...|.#...|.#...",
  g: ".....|.....|.####|#...#|#...#|#...#|.####|....#|.###.",
  h: "#....|#....|#.##.|##..#|#...#|#...#|#...#",
  i: "..#..|.....|.##..|..#..|..#..|..#..|.###.",
  j: "...#.|.....|..##.|...#.|...#.|...#.|...#.|#..#.|.##..",
  k: "#....|#....|#..#.|#.#..|##...|#.#..|#..#.",
  l: ".##..|..#..|..#..|..#..|..#..|..#..|.###.",
  m: ".....|.....|##.#.|#.#.#|#.#.#|#...#|#...#",
  n: ".....|.....|#.##.|##..#|#...#|#...#|#...#",
  o: ".....|.....|.###.|#...#|#...#|#...#|.###.",
  p: ".....|.....|#.##.|##..#|#...#|#...#|####.|#....|#....",
  q: ".....|.....|.##.#|#..##|#...#|#...#|.####|....#|....#",
  r: ".....|.....|#.##.|##..#|#....|#....|#....",
  s: ".....|.....|.###.|#....|.###.|....#|####.",
  t: ".#...|.#...|###..|.#...|.#...|.#..#|..##.",
  u: ".....|.....|#...#|#...#|#...#|#..##|.##.#",
  v: ".....|.....|#...#|#...#|#...#|.#.#.|..#..",
  w: ".....|.....|#...#|#...#|#.#.#|#.#.#|.#.#.",
  x: ".....|.....|#...#|.#.#.|..#..|.#.#.|#...#",
  y: ".....|.....|#...#|#...#|#...#|#..##|.##.#|....#|.###.",
  z: ".....|.....|#####|...#.|..#..|.#...|#####",
  ".": ".....|.....|.....|.....|.....|.##..|.##..",
  ",": ".....|.....|.....|.....|.##..|..#..|.#...",
  ":": ".....|.##..|.##..|.....|.##..|.##..|.....",
  "-": ".....|.....|.....|#####|.....|.....|.....",
  "+": ".....|..#..|..#..|#####|..#..|..#..|.....",
  "=": ".....|.....|#####|.....|#####|.....|.....",
  "/": ".....|....#|...#.|..#..|.#...|#....|.....",
  "(": "...#.|..#..|.#...|.#...|.#...|..#..|...#.",
  ")": ".#...|..#..|...#.|...#.|...#.|..#..|.#...",
  "[": ".###.|.#...|.#...|.#...|.#...|.#...|.###.",
  "]": ".###.|...#.|...#.|...#.|...#.|...#.|.###.",
  "%": "##...|##..#|...#.|..#..|.#...|#..##|...##",
  _: ".....|.....|.....|.....|.....|.....|#####",
  "'": "..#..|..#..|.#...|.....|.....|.....|.....",
  "!": "..#..|..#..|..#..|..#..|..#..|.....|..#..",
  "?": ".###.|#...#|....#|...#.|..#..|.....|..#..",
  "<": "...#.|..#..|.#...|#....|.#...|..#..|...#.",
  ">": ".#...|..#..|...#.|....#|...#.|..#..|.#...",
  "×": ".....|#...#|.#.#.|..#..|.#.#.|#...#|.....",
  "±": "..#..|..#..|#####|..#..|..#..|.....|#####",
  "#": ".#.#.|.#.#.|#####|.#.#.|#####|.#.#.|.#.#.",
};

const GLYPH_W = 5;
/** Rows from the top of a capital to the baseline. */
const GLYPH_H = 7;
/** Rows below the baseline, for descenders. */
const DESCENT = 2;
/** Horizontal advance of one character at scale 1 (glyph plus one column of spacing). */
const ADVANCE = GLYPH_W + 1;

const PARSED = new Map<string, boolean[]>(
  Object.entries(GLYPHS).map(([ch, glyph]) => {
    const rows = glyph.split("|");
    if ((rows.length !== GLYPH_H && rows.length !== GLYPH_H + DESCENT) || rows.some((r) => r.length !== GLYPH_W)) {
      throw new Error(`font: glyph "${ch}" must be ${GLYPH_H} or ${GLYPH_H + DESCENT} rows of ${GLYPH_W} cells`);
    }
    while (rows.length < GLYPH_H + DESCENT) rows.push(".".repeat(GLYPH_W));
    return [ch, [...rows.join("")].map((c) => c === "#")];
  }),
);

/**
 * Height in pixels of one line of text at `scale`, from the top of a capital to the baseline;
 * the descenders of g, j, p, q and y reach `2 × scale` pixels further down.
 *
 * @example
 * ```ts
 * textHeight(2); // 14
 * ```
 */
export function textHeight(scale = 1): number {
  return GLYPH_H * scale;
}

/**
 * Width in pixels of `text` drawn at `scale` (no trailing spacing).
 *
 * @example
 * ```ts
 * textWidth("loss", 2); // 46
 * ```
 */
export function textWidth(text: string, scale = 1): number {
  const n = [...text].length;
  return n === 0 ? 0 : (n * ADVANCE - 1) * scale;
}

/**
 * How {@link drawText} places text relative to (x, y): horizontally by its left edge, centre
 * or right edge, vertically by its top, middle or bottom (the baseline: descenders hang below
 * it), all measured on the {@link textHeight} box; `vertical: true` rotates it a quarter turn
 * anticlockwise (for a y-axis label), reading bottom to top.
 *
 * @example
 * ```ts
 * const opts: TextOptions = { scale: 2, align: "center", baseline: "middle", color: COLORS.black };
 * ```
 */
export interface TextOptions {
  scale?: number;
  color?: Rgba;
  align?: "left" | "center" | "right";
  baseline?: "top" | "middle" | "bottom";
  vertical?: boolean;
}

/**
 * Draws text with the built-in 5×7 bitmap font, each font pixel a `scale × scale` block.
 * Characters the font lacks are drawn as a hollow box, so a missing glyph is visible rather
 * than silently dropped.
 *
 * @example
 * ```ts
 * drawText(canvas, "epoch", 400, 480, { scale: 2, align: "center" });
 * drawText(canvas, "loss", 20, 250, { scale: 2, vertical: true, align: "center", baseline: "middle" });
 * ```
 */
export function drawText(canvas: Canvas, text: string, x: number, y: number, options: TextOptions = {}): void {
  const scale = options.scale ?? 1;
  const color = options.color ?? ([0, 0, 0, 255] as Rgba);
  const w = textWidth(text, scale);
  const h = textHeight(scale);
  const along = options.align === "center" ? -w / 2 : options.align === "right" ? -w : 0;
  const across = options.baseline === "middle" ? -h / 2 : options.baseline === "bottom" ? -h : 0;
  // Pixel (u, v) of the unrotated text box maps to the canvas; rotation swaps the axes.
  const plot = (u: number, v: number) => {
    if (options.vertical)
      canvas.fillRect(Math.round(x + across + v), Math.round(y - along - u - scale), scale, scale, color);
    else canvas.fillRect(Math.round(x + along + u), Math.round(y + across + v), scale, scale, color);
  };
  let pen = 0;
  for (const ch of text) {
    const bits = PARSED.get(ch);
    for (let r = 0; r < GLYPH_H + DESCENT; r++) {
      for (let c = 0; c < GLYPH_W; c++) {
        const ink =
          bits === undefined
            ? r < GLYPH_H && (r === 0 || r === GLYPH_H - 1 || c === 0 || c === GLYPH_W - 1)
            : bits[r * GLYPH_W + c];
        if (ink) plot(pen + c * scale, r * scale);
      }
    }
    pen += ADVANCE * scale;
  }
}
