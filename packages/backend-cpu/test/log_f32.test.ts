// The float32 log kernel against Math.log rounded to float32: identical on special values,
// both sides of every normalisation boundary (powers of two, √2), values near 1, and random
// bit patterns covering every exponent.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { logF32 } from "../src/kernels/log_f32.js";
import { backend, read, t } from "./helpers.js";

function expectMatchesMathLog(xs: Float32Array): void {
  const out = new Float32Array(xs.length);
  logF32(xs, out, xs.length);
  xs.forEach((x, i) => {
    const want = Math.fround(Math.log(x));
    if (!Object.is(out[i], want)) throw new Error(`log(${x}): got ${out[i]}, Math.log gives ${want}`);
  });
}

/** Floats next to v: the float32 just below, v itself, and the one just above. */
function neighbours(v: number): number[] {
  const f = new Float32Array([v]);
  const bits = new Int32Array(f.buffer);
  const b = bits[0] as number;
  return [b - 1, b, b + 1].map((x) => {
    bits[0] = x;
    return f[0] as number;
  });
}

describe("logF32", () => {
  it("matches Math.log on special values", () => {
    const special = [0, -0, -1, 1, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 1e-45, 1e-40, 2e-38];
    expectMatchesMathLog(Float32Array.from([...special, 3.4028234663852886e38, 1.1754943508222875e-38]));
  });

  it("matches Math.log around every power of two, √2·2^k and 1", () => {
    const xs: number[] = [];
    for (let k = -126; k <= 127; k++) xs.push(...neighbours(2 ** k), ...neighbours(Math.SQRT2 * 2 ** k));
    for (let i = -2000; i <= 2000; i++) xs.push(1 + i * 2 ** -23);
    expectMatchesMathLog(Float32Array.from(xs.filter(Number.isFinite)));
  });

  it("matches Math.log on random float32 bit patterns (property)", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }), { maxLength: 2000 }), (bits) => {
        expectMatchesMathLog(new Float32Array(Int32Array.from(bits).buffer));
      }),
      { numRuns: 200 },
    );
  });

  it("is what the backend's float32 log runs, on views at an offset too", () => {
    const values = [0.5, 1, 2, 10, 1e-3];
    expect(read(backend.unary("log", t(values, [5])))).toEqual(
      values.map((v) => Math.fround(Math.log(Math.fround(v)))),
    );
    const buffer = new Float32Array([9, 0.25, 4]);
    const out = new Float32Array(2);
    logF32(buffer.subarray(1), out, 2);
    expect(Array.from(out)).toEqual([Math.fround(Math.log(0.25)), Math.fround(Math.log(4))]);
  });
});
