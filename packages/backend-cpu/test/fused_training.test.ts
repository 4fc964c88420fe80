// The fused training kernels (activationGrad, adamUpdate) against the same math composed from
// the backend's own primitives, on random shapes including empty ones and edge values. For
// float64 every step of both forms is one double operation in the same order, so they agree
// bit for bit. In float32 the composed form rounds every intermediate (and 1 − y², v + (g² − v)
// and p − Δ cancel, amplifying those roundings), so there the fused result is held to a few
// float32 ulps of an exact double evaluation of the same formula instead.
import type { DataId, DType, FusedActivation, Shape, TensorInfo } from "@tapegrad/core";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { backend, randomValues, read, shapeArb, sizeOfShape, t } from "./helpers.js";

const fused = backend.fused;
const info = (dataId: DataId, shape: Shape, dtype: DType): TensorInfo => ({ dataId, shape, dtype });
const scalar = (v: number, dtype: DType): TensorInfo => info(backend.fill(1, v, dtype), [], dtype);

function composedActivationGrad(dy: TensorInfo, y: TensorInfo, activation: FusedActivation): DataId {
  const { shape, dtype } = dy;
  switch (activation) {
    case "relu": {
      const positive = info(backend.binary("greater", y, scalar(0, dtype), shape), shape, "bool");
      return backend.where(positive, dy, scalar(0, dtype), shape);
    }
    case "sigmoid": {
      const oneMinus = info(backend.binary("sub", scalar(1, dtype), y, shape), shape, dtype);
      const d = info(backend.binary("mul", y, oneMinus, shape), shape, dtype);
      return backend.binary("mul", dy, d, shape);
    }
    case "tanh": {
      const y2 = info(backend.binary("mul", y, y, shape), shape, dtype);
      const d = info(backend.binary("sub", scalar(1, dtype), y2, shape), shape, dtype);
      return backend.binary("mul", dy, d, shape);
    }
    default:
      return backend.binary("mul", dy, scalar(1, dtype), shape); // a copy that keeps -0
  }
}

/** Edge values mixed into random ones: zeros of both signs, NaN, infinities, 0/1 saturation. */
const EDGES = [0, -0, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 1, 1e-30, -1e-30];

const ULP32 = 2 ** -24;

/** |got − want| ≤ ulps·ULP32·scale per element (NaN matches NaN, infinities must be equal). */
function expectWithinScale(got: number[], want: number[], scale: number[], ulps: number): void {
  expect(got.length).toBe(want.length);
  got.forEach((g, i) => {
    const w = want[i] as number;
    if (Object.is(g, w) || g === w || (Number.isNaN(g) && Number.isNaN(w))) return;
    const tol = ulps * ULP32 * (scale[i] as number);
    if (!(Math.abs(g - w) <= tol)) throw new Error(`element ${i}: got ${g}, want ${w} (tolerance ${tol})`);
  });
}

function valuesWithEdges(n: number, seed: number, edges: boolean): number[] {
  const v = randomValues(n, seed);
  if (edges) for (let i = 0; i < n; i += 3) v[i] = EDGES[(i + seed) % EDGES.length] as number;
  return v;
}

describe("fused activationGrad", () => {
  it("matches the composed primitives for every activation and dtype (property)", () => {
    fc.assert(
      fc.property(
        shapeArb(3, 9),
        fc.constantFrom<FusedActivation>("linear", "relu", "sigmoid", "tanh"),
        fc.constantFrom<DType>("float32", "float64"),
        fc.boolean(),
        fc.integer({ min: 1 }),
        (shape, activation, dtype, edges, seed) => {
          const n = sizeOfShape(shape);
          // y in the activation's range, so sigmoid's y(1 − y) and tanh's 1 − y² are meaningful.
          const yRaw = valuesWithEdges(n, seed, edges);
          const yv = activation === "sigmoid" ? yRaw.map((v) => (v + 2) / 4) : yRaw.map((v) => v / 2);
          const dy = t(valuesWithEdges(n, seed + 1, edges), shape, dtype);
          const y = t(yv, shape, dtype);
          const got = read(fused.activationGrad?.(dy, y, activation) as DataId);
          const want = read(composedActivationGrad(dy, y, activation));
          if (dtype === "float64") expect(got).toEqual(want);
          else {
            const dyv = read(dy.dataId);
            const ys = read(y.dataId);
            const exact = dyv.map((d, i) => {
              const s = ys[i] as number;
              if (activation === "relu") return s > 0 ? d : 0;
              if (activation === "sigmoid") return d * (s * (1 - s));
              return activation === "tanh" ? d * (1 - s * s) : d;
            });
            expectWithinScale(got, exact, exact.map(Math.abs), 1);
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it("treats relu's derivative at 0 and NaN as 0, like where(y > 0, dy, 0)", () => {
    const dy = t([5, 5, 5, -0, 7], [5]);
    const y = t([0, -0, Number.NaN, 3, -1], [5]);
    expect(read(fused.activationGrad?.(dy, y, "relu") as DataId)).toEqual([0, 0, 0, -0, 0]);
  });
});

function composedAdam(
  p: TensorInfo,
  g: TensorInfo,
  m: TensorInfo,
  v: TensorInfo,
  h: { stepSize: number; beta1: number; beta2: number; epsilon: number },
): [number[], number[], number[]] {
  const { shape, dtype } = p;
  const op = (name: "add" | "sub" | "mul" | "div", a: TensorInfo, b: TensorInfo) =>
    info(backend.binary(name, a, b, shape), shape, dtype);
  const m1 = op("add", m, op("mul", op("sub", g, m), scalar(1 - h.beta1, dtype)));
  const v1 = op("add", v, op("mul", op("sub", op("mul", g, g), v), scalar(1 - h.beta2, dtype)));
  const root = info(backend.unary("sqrt", v1), shape, dtype);
  const delta = op("div", op("mul", m1, scalar(h.stepSize, dtype)), op("add", root, scalar(h.epsilon, dtype)));
  return [read(op("sub", p, delta).dataId), read(m1.dataId), read(v1.dataId)];
}

describe("fused adamUpdate", () => {
  it("matches the twelve composed primitives and leaves its inputs unchanged (property)", () => {
    fc.assert(
      fc.property(
        shapeArb(3, 9),
        fc.constantFrom<DType>("float32", "float64"),
        fc.boolean(),
        fc.integer({ min: 1 }),
        fc.record({
          stepSize: fc.double({ min: 1e-5, max: 0.1, noNaN: true }),
          beta1: fc.double({ min: 0, max: 0.99, noNaN: true }),
          beta2: fc.double({ min: 0, max: 0.9999, noNaN: true }),
          epsilon: fc.double({ min: 1e-8, max: 1e-3, noNaN: true }),
        }),
        (shape, dtype, edges, seed, hyper) => {
          const n = sizeOfShape(shape);
          const pv = valuesWithEdges(n, seed, edges);
          const p = t(pv, shape, dtype);
          const g = t(valuesWithEdges(n, seed + 1, edges), shape, dtype);
          const m = t(randomValues(n, seed + 2, 0.5), shape, dtype);
          // v ≥ 0, as a running mean of squares is.
          const v = t(
            randomValues(n, seed + 3).map((x) => x * x),
            shape,
            dtype,
          );
          const ids = fused.adamUpdate?.(p, g, m, v, hyper);
          expect(ids).toBeDefined();
          const got = (ids as readonly DataId[]).map(read);
          const want = composedAdam(p, g, m, v, hyper);
          if (dtype === "float64") {
            for (let k = 0; k < 3; k++) expect(got[k]).toEqual(want[k]);
          } else {
            // Exact double math on the float32 inputs, m' and v' rounded as they are stored.
            const [ps, gs, ms, vs] = [p, g, m, v].map((x) => read(x.dataId)) as [
              number[],
              number[],
              number[],
              number[],
            ];
            const m1 = ms.map((mi, i) => Math.fround(mi + ((gs[i] as number) - mi) * (1 - hyper.beta1)));
            const v1 = vs.map((vi, i) => Math.fround(vi + ((gs[i] as number) ** 2 - vi) * (1 - hyper.beta2)));
            const p1 = ps.map(
              (pi, i) => pi - ((m1[i] as number) * hyper.stepSize) / (Math.sqrt(v1[i] as number) + hyper.epsilon),
            );
            expectWithinScale(got[0] as number[], p1, p1.map(Math.abs), 1);
            expect(got[1]).toEqual(m1);
            expect(got[2]).toEqual(v1);
          }
          expect(read(p.dataId)).toEqual(Array.from(dtype === "float32" ? Float32Array.from(pv) : pv));
        },
      ),
      { numRuns: 200 },
    );
  });
});
