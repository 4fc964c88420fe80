import { customGrad } from "@tapegrad/autograd";
import { cpu } from "@tapegrad/backend-cpu";
import { memory, mul, setBackend, sum, type Tensor, tanh } from "@tapegrad/core";
import { checkGradientProperty, tensorArb } from "@tapegrad/testing";
import { beforeAll, describe, expect, it } from "vitest";

beforeAll(() => {
  setBackend(cpu());
});

describe("checkGradientProperty", () => {
  it("passes for correct gradients and frees every run", () => {
    const before = memory().numTensors;
    checkGradientProperty(
      "sum(tanh(x) · w)",
      (x, w) => sum(mul(tanh(x!), w!)),
      [tensorArb({ shape: [2, 3], min: -2, max: 2 }), tensorArb({ shape: [3], min: -2, max: 2 })],
      { numRuns: 5 },
    );
    expect(memory().numTensors).toBe(before);
  });

  it("fails, naming the property, when a gradient is wrong", () => {
    const before = memory().numTensors;
    // y = x², with a rule that forgets the factor 2.
    const badSquare = customGrad(
      (x: Tensor) => ({ value: mul(x, x) }),
      (dy, _saved, [x]) => [mul(dy, x)],
    );
    expect(() =>
      checkGradientProperty("bad square", (x) => sum(badSquare(x!)), [tensorArb({ shape: [3], min: 0.5, max: 2 })], {
        numRuns: 3,
      }),
    ).toThrow(/^bad square: gradients disagree with finite differences/);
    expect(memory().numTensors).toBe(before);
  });
});
