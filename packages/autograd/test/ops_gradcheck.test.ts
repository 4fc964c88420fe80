import { type GradcheckOptions, gradcheck, gradgradcheck } from "@tapegrad/autograd";
import { dispose, OP_CATALOGUE } from "@tapegrad/core";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { make, RUNS } from "./helpers.js";
import { type Built, CASE_NAMES, OP_CASES } from "./op_cases.js";

function check(b: Built, second: boolean, options?: GradcheckOptions): void {
  const xs = make(b.specs);
  try {
    (second ? gradgradcheck : gradcheck)(b.f, xs, options);
  } finally {
    dispose(xs);
  }
}

describe("every differentiable op of the catalogue", () => {
  it("has a gradcheck case here", () => {
    const missing = OP_CATALOGUE.filter((op) => op.differentiable && !CASE_NAMES.has(op.name)).map((op) => op.name);
    expect(missing).toEqual([]);
  });

  for (const op of OP_CASES) {
    it(`${op.name}: analytic gradients match central differences (float64, full Jacobian)`, () => {
      fc.assert(
        fc.property(op.arb, (b) => check(b, false, op.options)),
        RUNS,
      );
    });
  }
});

// Elementwise ops and the ones whose rules are nonlinear in their inputs get the most runs;
// every other op is still checked to second order (its rule's ops must be differentiable too).
const SECOND_ORDER = new Set(["matmul", "softmax", "logSumExp", "logSoftmax", "dense"]);

describe("second order (gradgradcheck)", () => {
  for (const op of OP_CASES) {
    const focus = op.elementwise || SECOND_ORDER.has(op.name);
    it(`${op.name}: gradients of gradients match central differences`, () => {
      fc.assert(
        fc.property(op.arb, (b) => check(b, true, op.options)),
        { ...RUNS, numRuns: focus ? 5 : 2 },
      );
    });
  }
});
