import { gradcheck } from "@tapegrad/autograd";
import type { Tensor } from "@tapegrad/core";
import * as c from "@tapegrad/core";
import fc from "fast-check";
import { describe, it } from "vitest";
import { broadcastableTo, make, RUNS, real, specArb } from "./helpers.js";

/**
 * Steps of a random program: each maps x [n, m] to a new x of the same shape, reading the
 * second input y (broadcastable to x) and the square matrix w [m, m]. All are smooth on the
 * values they can see, so finite differences are meaningful.
 */
const STEPS: Readonly<Record<string, (x: Tensor, y: Tensor, w: Tensor) => Tensor>> = {
  tanh: (x) => c.tanh(x),
  sigmoid: (x) => c.sigmoid(x),
  softplus: (x) => c.softplus(x),
  expTanh: (x) => c.exp(c.tanh(x)),
  sin: (x) => c.sin(x),
  mulY: (x, y) => c.mul(x, y),
  addY: (x, y) => c.add(x, y),
  divBy1PlusY2: (x, y) => c.div(x, c.add(c.square(y), 1)),
  sqrt1PlusX2: (x) => c.sqrt(c.add(c.square(x), 1)),
  log1pX2: (x) => c.log1p(c.square(x)),
  powY: (x, y) => c.pow(c.add(c.sigmoid(x), 0.5), y),
  softmaxRows: (x) => c.softmax(x, -1),
  softmaxCols: (x) => c.softmax(x, 0),
  logSoftmax: (x) => c.logSoftmax(x),
  centerLse: (x) => c.sub(x, c.logSumExp(x, 0, true)),
  matmulW: (x, _y, w) => c.matmul(x, w),
  matmulWt: (x, _y, w) => c.matmul(x, w, { transposeB: true }),
  denseTanh: (x, _y, w) => c.dense(x, w, null, "tanh"),
  scaleByMean: (x) => c.mul(x, c.mean(x, -1, true)),
  transposeTwice: (x) => c.transpose(c.mul(c.transpose(x), 2)),
  reverseRows: (x) => {
    const n = x.shape[0] as number;
    const idx = c.tensor(
      Array.from({ length: n }, (_, i) => n - 1 - i),
      { dtype: "int32" },
    );
    return c.gather(x, idx, 0);
  },
  padSlice: (x) =>
    c.slice(
      c.pad(
        x,
        [
          [1, 0],
          [0, 1],
        ],
        0.5,
      ),
      [1, 0],
      x.shape,
    ),
  concatHalves: (x, y) => {
    const both = c.concat([x, c.mul(c.broadcastTo(y, x.shape), x)], 1);
    const m = x.shape[1] as number;
    return c.add(c.slice(both, [0, 0], [-1, m]), c.slice(both, [0, m], [-1, m]));
  },
  varianceShift: (x) => c.sub(x, c.variance(x, 1, true)),
};

const programArb = fc
  .record({
    n: fc.integer({ min: 1, max: 3 }),
    m: fc.integer({ min: 1, max: 3 }),
    steps: fc.array(fc.constantFrom(...Object.keys(STEPS)), { minLength: 3, maxLength: 5 }),
  })
  .chain(({ n, m, steps }) =>
    fc
      .tuple(
        specArb([n, m], real(-1.5, 1.5)),
        broadcastableTo([n, m]).chain((s) => specArb(s, real(-1, 1))),
        specArb([m, m], real(-1, 1)),
      )
      .map((specs) => ({ specs, steps })),
  );

describe("random programs of 3–5 catalogue ops", () => {
  it("gradcheck end to end (full Jacobian, float64)", () => {
    fc.assert(
      fc.property(programArb, ({ specs, steps }) => {
        const xs = make(specs);
        const program = (x: Tensor, y: Tensor, w: Tensor): Tensor =>
          c.tidy(() =>
            steps.reduce((h, step) => (STEPS[step] as (x: Tensor, y: Tensor, w: Tensor) => Tensor)(h, y, w), x),
          );
        try {
          gradcheck(program, xs);
        } finally {
          c.dispose(xs);
        }
      }),
      { ...RUNS, numRuns: 15 },
    );
  });
});
