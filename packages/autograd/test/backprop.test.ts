import { grads } from "@tapegrad/autograd";
import { add, dense, dispose, matmul, mul, sigmoid, square, sub, sum, type Tensor } from "@tapegrad/core";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { f64, RUNS, real } from "./helpers.js";

// The lecture's network: a_l = σ(z_l), z_l = W_l a_{l−1} + b_l, cost C = ½‖a_L − y‖². Its
// gradients by the four backpropagation equations, in plain loops:
//   BP1  δ_L = (a_L − y) ⊙ σ'(z_L)
//   BP2  δ_l = (W_{l+1}ᵀ δ_{l+1}) ⊙ σ'(z_l)
//   BP3  ∂C/∂b_l = δ_l
//   BP4  ∂C/∂W_l[j][k] = a_{l−1}[k] · δ_l[j]

type Matrix = number[][];
interface Net {
  sizes: number[];
  weights: Matrix[]; // weights[l] is [sizes[l+1]][sizes[l]]
  biases: number[][];
  x: number[];
  y: number[];
}

const sigma = (z: number): number => 1 / (1 + Math.exp(-z));
const sigmaPrime = (z: number): number => sigma(z) * (1 - sigma(z));

function backpropByHand(net: Net): { dW: Matrix[]; db: number[][] } {
  const zs: number[][] = [];
  const activations: number[][] = [net.x];
  for (let l = 0; l < net.weights.length; l++) {
    const w = net.weights[l] as Matrix;
    const a = activations[l] as number[];
    const z = w.map((row, j) =>
      row.reduce((s, wjk, k) => s + wjk * (a[k] as number), (net.biases[l] as number[])[j] as number),
    );
    zs.push(z);
    activations.push(z.map(sigma));
  }
  const L = net.weights.length;
  const deltas: number[][] = new Array(L);
  const aL = activations[L] as number[];
  deltas[L - 1] = aL.map((a, j) => (a - (net.y[j] as number)) * sigmaPrime((zs[L - 1] as number[])[j] as number)); // BP1
  for (let l = L - 2; l >= 0; l--) {
    const next = net.weights[l + 1] as Matrix;
    const dNext = deltas[l + 1] as number[];
    deltas[l] = (zs[l] as number[]).map(
      (z, k) => next.reduce((s, row, j) => s + (row[k] as number) * (dNext[j] as number), 0) * sigmaPrime(z), // BP2
    );
  }
  return {
    db: deltas, // BP3
    dW: deltas.map((d, l) => d.map((dj) => (activations[l] as number[]).map((ak) => ak * dj))), // BP4
  };
}

const netArb: fc.Arbitrary<Net> = fc
  .array(fc.integer({ min: 1, max: 4 }), { minLength: 2, maxLength: 4 })
  .chain((sizes) => {
    const matrix = (rows: number, cols: number) =>
      fc.array(fc.array(real(-1.5, 1.5), { minLength: cols, maxLength: cols }), { minLength: rows, maxLength: rows });
    const vector = (n: number, lo = -1, hi = 1) => fc.array(real(lo, hi), { minLength: n, maxLength: n });
    const layers = sizes.slice(1).map((n, l) => fc.tuple(matrix(n, sizes[l] as number), vector(n)));
    return fc
      .tuple(fc.tuple(...layers), vector(sizes[0] as number), vector(sizes[sizes.length - 1] as number, 0, 1))
      .map(([ls, x, y]) => ({ sizes, weights: ls.map(([w]) => w), biases: ls.map(([, b]) => b), x, y }));
  });

function expectClose(t: Tensor, expected: number[], tol = 1e-10): void {
  const got = Array.from(t.dataSync());
  expect(got.length).toBe(expected.length);
  got.forEach((v, i) => {
    expect(Math.abs(v - (expected[i] as number))).toBeLessThanOrEqual(tol);
  });
}

describe("autograd reproduces backpropagation (BP1–BP4) on the lecture's sigmoid MLP", () => {
  it("column-vector form: z = W·a + b with matmul, add and sigmoid", () => {
    fc.assert(
      fc.property(netArb, (net) => {
        const ws = net.weights.map((w) => f64(w.flat(), [w.length, (w[0] as number[]).length]));
        const bs = net.biases.map((b) => f64(b, [b.length, 1]));
        const x = f64(net.x, [net.x.length, 1]);
        const y = f64(net.y, [net.y.length, 1]);
        const cost = (): Tensor => {
          let a = x;
          ws.forEach((w, l) => {
            a = sigmoid(add(matmul(w, a), bs[l] as Tensor));
          });
          return mul(sum(square(sub(a, y))), 0.5);
        };
        const g = grads(cost, [...ws, ...bs]);
        const byHand = backpropByHand(net);
        ws.forEach((_, l) => {
          expectClose(g[l] as Tensor, (byHand.dW[l] as Matrix).flat());
          expectClose(g[ws.length + l] as Tensor, byHand.db[l] as number[]);
        });
        dispose([ws, bs, x, y, g]);
      }),
      RUNS,
    );
  });

  it("row form with the fused dense op: x [1, in], W [in, out] is the lecture's Wᵀ", () => {
    fc.assert(
      fc.property(netArb, (net) => {
        const ws = net.weights.map((w) => f64(transpose(w).flat(), [(w[0] as number[]).length, w.length]));
        const bs = net.biases.map((b) => f64(b, [b.length]));
        const x = f64(net.x, [1, net.x.length]);
        const y = f64(net.y, [1, net.y.length]);
        const cost = (): Tensor => {
          let a = x;
          ws.forEach((w, l) => {
            a = dense(a, w, bs[l] as Tensor, "sigmoid");
          });
          return mul(sum(square(sub(a, y))), 0.5);
        };
        const list = grads(cost, [...ws, ...bs]);
        const byHand = backpropByHand(net);
        ws.forEach((_, l) => {
          expectClose(list[l] as Tensor, transpose(byHand.dW[l] as Matrix).flat());
          expectClose(list[ws.length + l] as Tensor, byHand.db[l] as number[]);
        });
        dispose([ws, bs, x, y, list]);
      }),
      RUNS,
    );
  });
});

function transpose(m: Matrix): Matrix {
  return (m[0] as number[]).map((_, j) => m.map((row) => row[j] as number));
}
