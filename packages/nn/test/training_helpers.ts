import { cpu } from "@tapegrad/backend-cpu";
import { add, type DType, matmul, setBackend, type Tensor, tensor, type Variable, variable } from "@tapegrad/core";
import { Module } from "@tapegrad/nn";

setBackend(cpu());

/** A minimal affine model `x·w + b`, independent of the layer library, for training tests. */
export class Affine extends Module {
  readonly w: Variable;
  readonly b: Variable;

  constructor(w: number[][], b: number[], dtype: DType = "float32") {
    super();
    // variable() shares the initial tensor's storage; the handles themselves are freed here.
    using w0 = tensor(w, { dtype });
    using b0 = tensor(b, { dtype });
    this.w = variable(w0, { name: "w" });
    this.b = variable(b0, { name: "b" });
  }

  forward(x: Tensor): Tensor {
    using xw = matmul(x, this.w);
    return add(xw, this.b);
  }
}

/** A small regression problem: y = 2·x0 − x1 + 0.5 on 10 fixed points. */
export function regressionData(n = 10, dtype: DType = "float32"): { x: Tensor; y: Tensor } {
  const xs: number[][] = [];
  const ys: number[][] = [];
  for (let i = 0; i < n; i++) {
    const a = Math.sin(i * 1.7);
    const c = Math.cos(i * 0.9);
    xs.push([a, c]);
    ys.push([2 * a - c + 0.5]);
  }
  return { x: tensor(xs, { dtype }), y: tensor(ys, { dtype }) };
}

/** A tensor's values as plain numbers, row-major. */
export function values(t: Tensor): number[] {
  return Array.from(t.dataSync(), Number);
}
