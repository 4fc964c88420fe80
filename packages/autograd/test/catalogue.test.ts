import { GRADIENT_RULES } from "@tapegrad/autograd";
import { OP_CATALOGUE } from "@tapegrad/core";
import { describe, expect, it } from "vitest";

describe("the rule registry against the op catalogue", () => {
  it("has a rule for every op the catalogue says autograd must cover (ownRule)", () => {
    const missing = OP_CATALOGUE.filter((op) => op.ownRule && !GRADIENT_RULES.has(op.name)).map((op) => op.name);
    expect(missing).toEqual([]);
  });

  it("has no rule for a name outside the catalogue, nor for an op the catalogue leaves to its primitives", () => {
    const byName = new Map(OP_CATALOGUE.map((op) => [op.name, op]));
    const stray = [...GRADIENT_RULES.keys()].filter((name) => byName.get(name)?.ownRule !== true);
    expect(stray).toEqual([]);
  });

  it("covers every differentiable primitive, and no non-differentiable op", () => {
    for (const op of OP_CATALOGUE) {
      if (op.kind === "primitive") expect(GRADIENT_RULES.has(op.name), op.name).toBe(op.differentiable);
      if (!op.differentiable) expect(GRADIENT_RULES.has(op.name), op.name).toBe(false);
    }
  });

  it("declares saved inputs by valid position", () => {
    for (const [name, rule] of GRADIENT_RULES) {
      for (const i of rule.saveInputs) expect(Number.isInteger(i) && i >= 0 && i < 4, name).toBe(true);
    }
  });
});
