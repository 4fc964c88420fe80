import { gradcheck } from "@tapegrad/autograd";
import { ArgumentError, DTypeError, dispose, memory, oneHot, type Tensor, tensor } from "@tapegrad/core";
import {
  binaryCrossentropy,
  categoricalCrossentropy,
  getLoss,
  hinge,
  kullbackLeiblerDivergence,
  type LossFn,
  lossNames,
  meanAbsoluteError,
  meanSquaredError,
  meanSquaredLogarithmicError,
  sparseCategoricalCrossentropy,
} from "@tapegrad/nn";
import fc from "fast-check";
import { afterEach, describe, expect, it } from "vitest";
import { checkLeaks } from "./module_helpers.js";

checkLeaks();

/** Inputs made by f64, freed after each test: checkLeaks then sees only what the losses leak. */
const inputs: Tensor[] = [];
afterEach(() => dispose(inputs.splice(0)));
const f64 = (v: number[][] | number[]): Tensor => {
  const t = tensor(v, { dtype: "float64" });
  inputs.push(t);
  return t;
};
const EPS = 1e-7;
const clip = (v: number, lo: number, hi: number) => Math.min(Math.max(v, lo), hi);
const meanOf = (a: number[]) => a.reduce((s, v) => s + v, 0) / a.length;

/** Keras reduction by hand: per-sample mean over the last axis, then the batch mean. */
function kerasMean(t: number[][], p: number[][], perElement: (t: number, p: number) => number): number {
  return meanOf(t.map((row, i) => meanOf(row.map((tv, j) => perElement(tv, (p[i] as number[])[j] as number)))));
}

function value(loss: Tensor): number {
  try {
    expect(loss.shape).toEqual([]);
    return loss.item() as number;
  } finally {
    loss.dispose();
  }
}

const T = [
  [0, 1, 0],
  [1, 0, 0],
];
const P = [
  [0.2, 0.7, 0.1],
  [0.5, 0.3, 0.2],
];

describe("losses against hand-computed values (Keras 2 semantics)", () => {
  it("meanSquaredError, meanAbsoluteError", () => {
    expect(value(meanSquaredError(f64(T), f64(P)))).toBeCloseTo(
      kerasMean(T, P, (t, p) => (p - t) ** 2),
      12,
    );
    expect(value(meanAbsoluteError(f64(T), f64(P)))).toBeCloseTo(
      kerasMean(T, P, (t, p) => Math.abs(p - t)),
      12,
    );
    // 0.25 + 0.5 over 2 elements per row… a literal check too: ((1 + 4) / 2 + 0) / 2
    expect(
      value(
        meanSquaredError(
          f64([
            [0, 0],
            [1, 1],
          ]),
          f64([
            [1, 2],
            [1, 1],
          ]),
        ),
      ),
    ).toBe(1.25);
  });

  it("meanSquaredLogarithmicError clips below at 1e-7", () => {
    const t = [[0.5, 2, -1]];
    const p = [[1, 0.5, 3]];
    const want = kerasMean(t, p, (tv, pv) => (Math.log(Math.max(pv, EPS) + 1) - Math.log(Math.max(tv, EPS) + 1)) ** 2);
    expect(value(meanSquaredLogarithmicError(f64(t), f64(p)))).toBeCloseTo(want, 12);
  });

  it("binaryCrossentropy from probabilities clips to [1e-7, 1 − 1e-7]", () => {
    const t = [
      [1, 0, 1],
      [0, 1, 0],
    ];
    const p = [
      [0.9, 0.2, 0],
      [1, 0.6, 0.3],
    ];
    const want = kerasMean(t, p, (tv, pv) => {
      const q = clip(pv, EPS, 1 - EPS);
      return -(tv * Math.log(q) + (1 - tv) * Math.log(1 - q));
    });
    expect(value(binaryCrossentropy(f64(t), f64(p)))).toBeCloseTo(want, 9);
    // the saturated entries cost −log(1e-7) ≈ 16.118, not Infinity
    expect(value(binaryCrossentropy(f64([[1]]), f64([[0]])))).toBeCloseTo(-Math.log(EPS), 6);
  });

  it("binaryCrossentropy from logits", () => {
    const t = [
      [1, 0],
      [0, 1],
    ];
    const z = [
      [2, -1],
      [30, -30],
    ];
    // −(t·log σ(z) + (1 − t)·log(1 − σ(z))) in its overflow-free form (1 − σ(30) underflows otherwise).
    const want = kerasMean(t, z, (tv, zv) => Math.max(zv, 0) - zv * tv + Math.log1p(Math.exp(-Math.abs(zv))));
    expect(value(binaryCrossentropy(f64(t), f64(z), { fromLogits: true }))).toBeCloseTo(want, 9);
  });

  it("categoricalCrossentropy renormalises, clips, sums over classes, then averages samples", () => {
    const p = [
      [0.4, 1.4, 0.2],
      [1, 0, 0],
    ]; // row 0 sums to 2 and is renormalised; row 1 hits the clip
    const want = meanOf(
      T.map((row, i) => {
        const pr = p[i] as number[];
        const s = pr.reduce((a, b) => a + b, 0);
        return -row.reduce((acc, tv, j) => acc + tv * Math.log(clip((pr[j] as number) / s, EPS, 1 - EPS)), 0);
      }),
    );
    expect(value(categoricalCrossentropy(f64(T), f64(p)))).toBeCloseTo(want, 9);
    expect(value(categoricalCrossentropy(f64([[0, 1]]), f64([[0.2, 0.8]])))).toBeCloseTo(-Math.log(0.8), 6);
  });

  it("categoricalCrossentropy from logits", () => {
    const z = [
      [1, 2, 3],
      [0.5, -1, 0],
    ];
    const want = meanOf(
      T.map((row, i) => {
        const zr = z[i] as number[];
        const lse = Math.log(zr.reduce((a, v) => a + Math.exp(v), 0));
        return -row.reduce((acc, tv, j) => acc + tv * ((zr[j] as number) - lse), 0);
      }),
    );
    expect(value(categoricalCrossentropy(f64(T), f64(z), { fromLogits: true }))).toBeCloseTo(want, 12);
  });

  it("sparseCategoricalCrossentropy matches the one-hot loss and accepts [B], [B, 1], float labels", () => {
    const labelsInt = tensor([1, 0], { dtype: "int32" });
    const labelsCol = tensor([[1], [0]], { dtype: "float32" });
    const probs = [
      [0.2, 0.7, 0.1],
      [0.5, 0.3, 0.2],
    ];
    const want = meanOf([-Math.log(0.7), -Math.log(0.5)]);
    expect(value(sparseCategoricalCrossentropy(labelsInt, f64(probs)))).toBeCloseTo(want, 9);
    expect(value(sparseCategoricalCrossentropy(labelsCol, f64(probs)))).toBeCloseTo(want, 9);
    const z = [
      [1, 2, 3],
      [0.5, -1, 0],
    ];
    expect(value(sparseCategoricalCrossentropy(labelsInt, f64(z), { fromLogits: true }))).toBeCloseTo(
      value(categoricalCrossentropy(f64(T), f64(z), { fromLogits: true })),
      12,
    );
    labelsInt.dispose();
    labelsCol.dispose();
  });

  it("kullbackLeiblerDivergence clips both sides to [1e-7, 1]", () => {
    const t = [
      [0.5, 0.5, 0],
      [0.1, 0.6, 0.3],
    ];
    const p = [
      [0.25, 0.75, 0],
      [0.2, 0.5, 0.3],
    ];
    const want = meanOf(
      t.map((row, i) =>
        row.reduce((acc, tv, j) => {
          const a = clip(tv, EPS, 1);
          const b = clip((p[i] as number[])[j] as number, EPS, 1);
          return acc + a * Math.log(a / b);
        }, 0),
      ),
    );
    expect(value(kullbackLeiblerDivergence(f64(t), f64(p)))).toBeCloseTo(want, 12);
  });

  it("hinge", () => {
    const t = [
      [1, -1, 1],
      [-1, -1, 1],
    ];
    const p = [
      [0.3, -2, 1.5],
      [0.2, 0.9, -0.4],
    ];
    expect(value(hinge(f64(t), f64(p)))).toBeCloseTo(
      kerasMean(t, p, (tv, pv) => Math.max(1 - tv * pv, 0)),
      12,
    );
  });

  it("frees every intermediate", () => {
    const t = f64(T);
    const p = f64(P);
    const before = memory().numTensors;
    for (const fn of [
      meanSquaredError,
      binaryCrossentropy,
      categoricalCrossentropy,
      kullbackLeiblerDivergence,
      hinge,
    ]) {
      fn(t, p).dispose();
    }
    expect(memory().numTensors).toBe(before);
    t.dispose();
    p.dispose();
  });
});

describe("loss gradients over generated shapes and values (fast-check, float64 gradcheck)", () => {
  /** Values on a grid of 0.01 in [lo, hi]: no fast-check float edge cases. */
  const grid = (lo: number, hi: number) =>
    fc.integer({ min: Math.round(lo * 100), max: Math.round(hi * 100) }).map((k) => k / 100);
  const matrix = (b: number, c: number, v: fc.Arbitrary<number>) =>
    fc.array(fc.array(v, { minLength: c, maxLength: c }), { minLength: b, maxLength: b });
  /** [batch, classes] from 1×2 to 3×4, a target and a prediction per element, both kept by `keep`. */
  const pairs = (
    target: fc.Arbitrary<number>,
    prediction: fc.Arbitrary<number>,
    keep = (_t: number, _p: number) => true,
  ): fc.Arbitrary<[number[][], number[][]]> =>
    fc
      .tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 2, max: 4 }))
      .chain(([b, c]) => fc.tuple(matrix(b, c, target), matrix(b, c, prediction)))
      .filter(([t, p]) => t.every((row, i) => row.every((v, j) => keep(v, (p[i] as number[])[j] as number))));
  const probability = grid(0.05, 0.95);
  const logit = grid(-3, 3);
  const cases: [string, LossFn, fc.Arbitrary<[number[][], number[][]]>][] = [
    ["meanSquaredError", meanSquaredError, pairs(probability, logit)],
    // |yPred − yTrue| has its kink where they meet.
    ["meanAbsoluteError", meanAbsoluteError, pairs(probability, logit, (t, p) => Math.abs(p - t) > 0.02)],
    ["meanSquaredLogarithmicError", meanSquaredLogarithmicError, pairs(probability, probability)],
    ["binaryCrossentropy", binaryCrossentropy, pairs(probability, probability)],
    [
      "binaryCrossentropy (logits)",
      (t, p) => binaryCrossentropy(t, p, { fromLogits: true }),
      pairs(probability, logit),
    ],
    ["categoricalCrossentropy", categoricalCrossentropy, pairs(probability, probability)],
    [
      "categoricalCrossentropy (logits)",
      (t, p) => categoricalCrossentropy(t, p, { fromLogits: true }),
      pairs(probability, logit),
    ],
    ["kullbackLeiblerDivergence", kullbackLeiblerDivergence, pairs(probability, probability)],
    // max(1 − y·p, 0) has its kink where y·p = 1.
    ["hinge", hinge, pairs(fc.constantFrom(-1, 1), logit, (t, p) => Math.abs(1 - t * p) > 0.05)],
  ];
  for (const [name, fn, arb] of cases) {
    it(name, () => {
      fc.assert(
        fc.property(arb, ([t, p]) => {
          const yTrue = f64(t);
          expect(gradcheck((q) => fn(yTrue, q), [f64(p)]).ok).toBe(true);
        }),
        { numRuns: 8, seed: 4 },
      );
    });
  }

  it("sparseCategoricalCrossentropy (probabilities and logits)", () => {
    const rows = fc
      .tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 2, max: 4 }))
      .chain(([b, c]) =>
        fc.tuple(
          fc.array(fc.integer({ min: 0, max: c - 1 }), { minLength: b, maxLength: b }),
          matrix(b, c, probability),
        ),
      );
    fc.assert(
      fc.property(rows, fc.boolean(), ([l, p], fromLogits) => {
        using labels = tensor(l, { dtype: "int32" });
        expect(gradcheck((x) => sparseCategoricalCrossentropy(labels, x, { fromLogits }), [f64(p)]).ok).toBe(true);
      }),
      { numRuns: 8, seed: 4 },
    );
  });
});

describe("loss lookup and errors", () => {
  it("resolves Keras names, case-insensitive short names and camelCase", () => {
    expect(getLoss("mse")).toBe(meanSquaredError);
    expect(getLoss("MSE")).toBe(meanSquaredError);
    expect(getLoss("binary_crossentropy")).toBe(binaryCrossentropy);
    expect(getLoss("kld")).toBe(kullbackLeiblerDivergence);
    expect(getLoss("sparseCategoricalCrossentropy")).toBe(sparseCategoricalCrossentropy);
    expect(lossNames()).toContain("hinge");
    const custom: LossFn = (a, b) => meanSquaredError(a, b);
    expect(getLoss(custom)).toBe(custom);
  });

  it("rejects unknown names and mismatched shapes clearly", () => {
    expect(() => getLoss("msee")).toThrow(/unknown loss "msee"; known: mse/);
    expect(() => getLoss("toString")).toThrow(/unknown loss/);
    const a = tensor([1, 2, 3]);
    const b = tensor([[1], [2], [3]]);
    expect(() => meanSquaredError(a, b)).toThrow(/meanSquaredError: yTrue float32\[3\] and yPred float32\[3,1\]/);
    expect(() =>
      sparseCategoricalCrossentropy(
        f64([0.5, 1]),
        f64([
          [0.5, 0.5],
          [0.1, 0.9],
        ]),
      ),
    ).toThrow(/label 0.5 is not an integer/);
    a.dispose();
    b.dispose();
  });
});

describe("loss argument checks", () => {
  const losses: [string, LossFn][] = [
    ["meanSquaredError", meanSquaredError],
    ["meanAbsoluteError", meanAbsoluteError],
    ["meanSquaredLogarithmicError", meanSquaredLogarithmicError],
    ["binaryCrossentropy", binaryCrossentropy],
    ["categoricalCrossentropy", categoricalCrossentropy],
    ["sparseCategoricalCrossentropy", sparseCategoricalCrossentropy],
    ["kullbackLeiblerDivergence", kullbackLeiblerDivergence],
    ["hinge", hinge],
  ];

  it("every loss names itself and the argument that is not a Tensor, allocating nothing", () => {
    const y = tensor([[0.5, 0.5]]);
    const before = memory().numTensors;
    for (const [name, fn] of losses) {
      expect(() => fn([1] as never, y), name).toThrow(ArgumentError);
      expect(() => fn([1] as never, y), name).toThrow(new RegExp(`^${name}: yTrue is an array, expected a Tensor$`));
      expect(() => fn(y, undefined as never), name).toThrow(
        new RegExp(`^${name}: yPred is undefined, expected a Tensor$`),
      );
    }
    expect(memory().numTensors).toBe(before);
    y.dispose();
  });

  it("sparse labels must have yPred's shape without the class axis, and yPred must be float", () => {
    const p = tensor([
      [0.3, 0.7],
      [0.6, 0.4],
    ]);
    const labels = tensor([1, 0, 1], { dtype: "int32" });
    const pi = tensor([[1, 0]], { dtype: "int32" });
    const one = tensor([1], { dtype: "int32" });
    const before = memory().numTensors;
    expect(() => sparseCategoricalCrossentropy(labels, p)).toThrow(
      /^sparseCategoricalCrossentropy: yTrue int32\[3\] must have yPred's shape without the class axis \(\[2\]\)/,
    );
    expect(() => sparseCategoricalCrossentropy(one, pi)).toThrow(DTypeError);
    expect(() => sparseCategoricalCrossentropy(one, pi)).toThrow(
      /^sparseCategoricalCrossentropy: yPred int32\[1,2\] must be float32 or float64$/,
    );
    expect(memory().numTensors).toBe(before);
    dispose([p, labels, pi, one]);
  });
});

describe("loss properties (fast-check)", () => {
  /** A batch of 1–4 samples of 1–5 values in (0.01, 0.99), and targets of the same shape. */
  const batch = fc.tuple(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 5 })).chain(([b, d]) => {
    const row = fc.array(fc.double({ min: 0.01, max: 0.99, noNaN: true }), { minLength: d, maxLength: d });
    const rows = fc.array(row, { minLength: b, maxLength: b });
    return fc.tuple(rows, rows);
  });

  it("mean losses are the per-sample mean over the last axis, then the batch mean", () => {
    fc.assert(
      fc.property(batch, ([t, p]) => {
        expect(value(meanSquaredError(f64(t), f64(p)))).toBeCloseTo(
          kerasMean(t, p, (a, b) => (b - a) ** 2),
          12,
        );
        expect(value(meanAbsoluteError(f64(t), f64(p)))).toBeCloseTo(
          kerasMean(t, p, (a, b) => Math.abs(b - a)),
          12,
        );
        const bce = kerasMean(t, p, (a, b) => -(a * Math.log(b) + (1 - a) * Math.log(1 - b)));
        expect(value(binaryCrossentropy(f64(t), f64(p)))).toBeCloseTo(bce, 10);
      }),
      { numRuns: 40 },
    );
  });

  it("sparse categorical cross-entropy equals categorical cross-entropy on one-hot targets", () => {
    const logits = fc
      .integer({ min: 2, max: 5 })
      .chain((c) =>
        fc.array(
          fc.tuple(
            fc.integer({ min: 0, max: c - 1 }),
            fc.array(fc.double({ min: -5, max: 5, noNaN: true }), { minLength: c, maxLength: c }),
          ),
          { minLength: 1, maxLength: 4 },
        ),
      );
    fc.assert(
      fc.property(logits, (rows) => {
        const labels = tensor(
          rows.map(([l]) => l),
          { dtype: "int32" },
        );
        const z = f64(rows.map(([, r]) => r));
        const targets = oneHot(labels, z.shape[1] as number, "float64");
        for (const fromLogits of [true, false]) {
          const probs = fromLogits
            ? z
            : tensor(
                rows.map(([, r]) => r.map((v) => 1 / (1 + Math.exp(-v)))),
                { dtype: "float64" },
              );
          const sparse = value(sparseCategoricalCrossentropy(labels, probs, { fromLogits }));
          const dense = value(categoricalCrossentropy(targets, probs, { fromLogits }));
          // From probabilities Keras clips before (sparse) or after (dense) renormalising;
          // with probabilities away from the clip bounds both are −log(p_y / Σp).
          expect(sparse).toBeCloseTo(dense, 9);
          if (probs !== z) probs.dispose();
        }
        dispose([labels, z, targets]);
      }),
      { numRuns: 40 },
    );
  });
});
