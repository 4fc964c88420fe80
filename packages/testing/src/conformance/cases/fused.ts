import type { DataId, DType, FusedActivation, MemoryScope, Tensor } from "@tapegrad/core";
import * as core from "@tapegrad/core";
import fc from "fast-check";
import { shapeArb, valuesArb } from "../../arbitraries.js";
import { expectClose } from "../../close.js";
import type { TensorDescription } from "../../description.js";
import { type ConformanceCase, type ConformanceContext, live, magnitude, perDtype, property, ref } from "../harness.js";
import * as R from "../reference.js";
import type { ToleranceKind } from "../tolerance.js";
import { FLOATS } from "./dtypes.js";

// Fused kernels are called directly on the operands' storage, so the comparison does not
// depend on when core chooses to use them; each result is checked against the float64
// reference and against the same composite built from primitives through core.

/** Reads a kernel's output storage and frees it. */
async function readAndFree(ctx: ConformanceContext, id: DataId): Promise<number[]> {
  try {
    return Array.from(await ctx.backend.read(id));
  } finally {
    ctx.backend.disposeData(id);
  }
}

async function compare(
  ctx: ConformanceContext,
  label: string,
  dtype: DType,
  kind: ToleranceKind,
  fused: number[],
  composed: Tensor,
  expected: R.RefArray,
  scale: number,
  elementScale?: R.RefArray,
): Promise<void> {
  const tol = ctx.tolerance(kind, dtype);
  const options = {
    rtol: tol.rtol,
    atol: tol.atol * scale,
    shape: expected.shape,
    ...(elementScale === undefined ? {} : { scale: elementScale.values }),
  };
  expectClose(fused, expected.values, { ...options, label: `fused ${label} vs reference` });
  // Both sides carry rounding error here, so allow it twice.
  expectClose(fused, await composed.data(), {
    ...options,
    rtol: 2 * options.rtol,
    atol: 2 * options.atol,
    label: `fused ${label} vs composed`,
  });
}

function tensorArbOf(dtype: DType, minRank: number): fc.Arbitrary<TensorDescription> {
  return shapeArb({ minRank, maxRank: 4, maxDim: 4, allowEmpty: true }).chain((shape) =>
    valuesArb(shape, dtype, { min: -10, max: 10 }).map((values) => ({ shape, dtype, values })),
  );
}

/** The overflow- and cancellation-free sigmoid: (x ≥ 0 ? 1 : e) / (1 + e), e = exp(−|x|). */
function composedSigmoid(x: Tensor): Tensor {
  const e = core.exp(core.neg(core.abs(x)));
  return core.div(core.where(core.greaterEqual(x, 0), 1, e), core.add(e, 1));
}

const sigmoidCases = perDtype(
  "fused kernels",
  "sigmoid",
  FLOATS,
  async (ctx, dtype) => {
    const kernel = ctx.backend.fused?.sigmoid?.bind(ctx.backend.fused);
    if (kernel === undefined) return ctx.skip(`backend "${ctx.backend.name}" has no fused sigmoid`);
    await property(ctx, tensorArbOf(dtype, 0), async (d, scope) => {
      const x = live(scope, d);
      const fused = await readAndFree(ctx, kernel(x));
      const composed = scope.run(() => composedSigmoid(x));
      await compare(ctx, "sigmoid", dtype, "transcendental", fused, composed, R.sigmoid(ref(d)), 1);
    });
  },
  (dtype) => `fused sigmoid ${dtype} matches the composed sigmoid`,
);

/** softmax along the last axis from primitives. */
function composedSoftmax(scope: MemoryScope, x: Tensor): Tensor {
  return scope.run(() => {
    const m = core.max(x, -1, true);
    const safe = core.where(core.isFinite(m), m, 0);
    const e = core.exp(core.sub(x, safe));
    return core.div(e, core.sum(e, -1, true));
  });
}

const softmaxCases = perDtype(
  "fused kernels",
  "softmax",
  FLOATS,
  async (ctx, dtype) => {
    const kernel = ctx.backend.fused?.softmax?.bind(ctx.backend.fused);
    if (kernel === undefined) return ctx.skip(`backend "${ctx.backend.name}" has no fused softmax`);
    // The last axis is never empty (max over it would be an error in the composed form).
    const arb = tensorArbOf(dtype, 1).filter((d) => (d.shape[d.shape.length - 1] as number) > 0);
    await property(ctx, arb, async (d, scope) => {
      const x = live(scope, d);
      const fused = await readAndFree(ctx, kernel(x));
      const composed = composedSoftmax(scope, x);
      await compare(ctx, "softmax", dtype, "transcendental", fused, composed, R.softmax(ref(d), -1), 1);
    });
  },
  (dtype) => `fused softmax ${dtype} matches the composed softmax`,
);

const ACTIVATIONS: readonly FusedActivation[] = ["linear", "relu", "sigmoid", "tanh"];

function composedAct(activation: FusedActivation, z: Tensor): Tensor {
  switch (activation) {
    case "relu":
      return core.where(core.greater(z, 0), z, 0);
    case "sigmoid":
      return composedSigmoid(z);
    case "tanh":
      return core.tanh(z);
    default:
      return z;
  }
}

const matmulBiasActCases = ACTIVATIONS.flatMap((activation) =>
  perDtype(
    "fused kernels",
    "dense",
    FLOATS,
    async (ctx, dtype) => {
      const kernel = ctx.backend.fused?.matmulBiasAct?.bind(ctx.backend.fused);
      if (kernel === undefined) return ctx.skip(`backend "${ctx.backend.name}" has no fused matmulBiasAct`);
      const dim = fc.oneof(
        { arbitrary: fc.integer({ min: 1, max: 6 }), weight: 6 },
        { arbitrary: fc.constant(0), weight: 1 },
      );
      const arb = fc.tuple(dim, dim, dim, fc.boolean(), fc.boolean(), fc.boolean()).chain(([m, k, n, ta, tb, bias]) => {
        const sa = ta ? [k, m] : [m, k];
        const sb = tb ? [n, k] : [k, n];
        const desc = (shape: number[]) =>
          valuesArb(shape, dtype, { min: -3, max: 3 }).map((values) => ({ shape, dtype, values }));
        return fc.record({
          a: desc(sa),
          b: desc(sb),
          bias: bias ? desc([n]) : fc.constant(null),
          ta: fc.constant(ta),
          tb: fc.constant(tb),
        });
      });
      await property(ctx, arb, async ({ a, b, bias, ta, tb }, scope) => {
        const x = live(scope, a);
        const w = live(scope, b);
        const bt = bias && live(scope, bias);
        const fused = await readAndFree(ctx, kernel(x, w, bt, activation, ta, tb));
        const composed = scope.run(() => {
          const z = core.matmul(x, w, { transposeA: ta, transposeB: tb });
          return composedAct(activation, bt === null ? z : core.add(z, bt));
        });
        const ra = ref(a);
        const rb = ref(b);
        const rbias = bias && ref(bias);
        const abs = (r: R.RefArray) => R.unary("abs", r);
        const scale = R.dense(abs(ra), abs(rb), rbias && abs(rbias), "linear", ta, tb);
        await compare(
          ctx,
          `matmulBiasAct(${activation}, transposeA ${ta}, transposeB ${tb}, ${bias ? "bias" : "no bias"})`,
          dtype,
          activation === "linear" || activation === "relu" ? "accumulation" : "transcendental",
          fused,
          composed,
          R.dense(ra, rb, rbias, activation, ta, tb),
          magnitude(a, b),
          scale,
        );
      });
    },
    (dtype) => `fused matmulBiasAct ${dtype} ${activation} matches matmul + bias + activation, every transpose flag`,
  ),
);

/** dy·act'(z) from y = act(z), from primitives (what core composes without a fused kernel). */
function composedActivationGrad(activation: FusedActivation, dy: Tensor, y: Tensor): Tensor {
  switch (activation) {
    case "relu":
      return core.where(core.greater(y, 0), dy, 0);
    case "sigmoid":
      return core.mul(dy, core.mul(y, core.sub(1, y)));
    case "tanh":
      return core.mul(dy, core.sub(1, core.mul(y, y)));
    default:
      return core.mul(dy, 1);
  }
}

const activationGradCases = ACTIVATIONS.flatMap((activation) =>
  perDtype(
    "fused kernels",
    "activationGrad",
    FLOATS,
    async (ctx, dtype) => {
      const kernel = ctx.backend.fused?.activationGrad?.bind(ctx.backend.fused);
      if (kernel === undefined) return ctx.skip(`backend "${ctx.backend.name}" has no fused activationGrad`);
      // y in the activation's range: (0, 1) for sigmoid, [-1, 1] for tanh.
      const [lo, hi] = activation === "sigmoid" ? [0, 1] : activation === "tanh" ? [-1, 1] : [-3, 3];
      const arb = shapeArb({ minRank: 0, maxRank: 4, maxDim: 4, allowEmpty: true }).chain((shape) =>
        fc.record({
          dy: valuesArb(shape, dtype, { min: -3, max: 3 }).map((values) => ({ shape, dtype, values })),
          y: valuesArb(shape, dtype, { min: lo, max: hi }).map((values) => ({ shape, dtype, values })),
        }),
      );
      await property(ctx, arb, async ({ dy, y }, scope) => {
        const dyT = live(scope, dy);
        const yT = live(scope, y);
        const fused = await readAndFree(ctx, kernel(dyT, yT, activation));
        const composed = scope.run(() => composedActivationGrad(activation, dyT, yT));
        const d = (s: number): number => {
          if (activation === "relu") return s > 0 ? 1 : 0;
          if (activation === "sigmoid") return s * (1 - s);
          return activation === "tanh" ? 1 - s * s : 1;
        };
        const expected = R.array(
          dy.shape,
          dy.values.map((g, i) => g * d(y.values[i] as number)),
        );
        await compare(
          ctx,
          `activationGrad(${activation})`,
          dtype,
          "arithmetic",
          fused,
          composed,
          expected,
          magnitude(dy),
        );
      });
    },
    (dtype) => `fused activationGrad ${dtype} ${activation} matches dy times the derivative taken from y`,
  ),
);

const adamUpdateCases = perDtype(
  "fused kernels",
  "adamUpdate",
  FLOATS,
  async (ctx, dtype) => {
    const kernel = ctx.backend.fused?.adamUpdate?.bind(ctx.backend.fused);
    if (kernel === undefined) return ctx.skip(`backend "${ctx.backend.name}" has no fused adamUpdate`);
    const desc = (shape: number[], min: number, max: number) =>
      valuesArb(shape, dtype, { min, max }).map((values) => ({ shape, dtype, values }));
    const arb = shapeArb({ minRank: 0, maxRank: 3, maxDim: 5, allowEmpty: true }).chain((shape) =>
      fc.record({
        p: desc(shape, -3, 3),
        g: desc(shape, -3, 3),
        m: desc(shape, -1, 1),
        v: desc(shape, 0, 1),
        hyper: fc.record({
          stepSize: fc.double({ min: 1e-4, max: 0.1, noNaN: true }),
          beta1: fc.double({ min: 0.5, max: 0.99, noNaN: true }),
          beta2: fc.double({ min: 0.9, max: 0.9999, noNaN: true }),
          epsilon: fc.constantFrom(1e-7, 1e-3),
        }),
      }),
    );
    await property(ctx, arb, async ({ p, g, m, v, hyper }, scope) => {
      const [pT, gT, mT, vT] = [p, g, m, v].map((d) => live(scope, d)) as [Tensor, Tensor, Tensor, Tensor];
      const ids = kernel(pT, gT, mT, vT, hyper);
      const [pF, mF, vF] = [
        await readAndFree(ctx, ids[0]),
        await readAndFree(ctx, ids[1]),
        await readAndFree(ctx, ids[2]),
      ];
      const composed = scope.run(() => {
        const m1 = core.add(mT, core.mul(core.sub(gT, mT), 1 - hyper.beta1));
        const v1 = core.add(vT, core.mul(core.sub(core.mul(gT, gT), vT), 1 - hyper.beta2));
        const delta = core.div(core.mul(m1, hyper.stepSize), core.add(core.sqrt(v1), hyper.epsilon));
        return { p1: core.sub(pT, delta), m1, v1 };
      });
      const gs = g.values;
      const m1 = m.values.map((x, i) => x + ((gs[i] as number) - x) * (1 - hyper.beta1));
      const v1 = v.values.map((x, i) => x + ((gs[i] as number) ** 2 - x) * (1 - hyper.beta2));
      const delta = m1.map((x, i) => (x * hyper.stepSize) / (Math.sqrt(v1[i] as number) + hyper.epsilon));
      const shape = p.shape;
      // Error scales: p − Δ and m + (g − m)(1 − β₁) may cancel, so tolerances follow |terms|.
      const scaleOf = (values: number[]) => R.array(shape, values);
      await compare(
        ctx,
        "adamUpdate param",
        dtype,
        "transcendental",
        pF,
        composed.p1,
        R.array(
          shape,
          p.values.map((x, i) => x - (delta[i] as number)),
        ),
        magnitude(p),
        scaleOf(p.values.map((x, i) => Math.abs(x) + Math.abs(delta[i] as number))),
      );
      await compare(
        ctx,
        "adamUpdate m",
        dtype,
        "arithmetic",
        mF,
        composed.m1,
        R.array(shape, m1),
        1,
        scaleOf(m.values.map((x, i) => Math.abs(x) + Math.abs(gs[i] as number))),
      );
      await compare(
        ctx,
        "adamUpdate v",
        dtype,
        "arithmetic",
        vF,
        composed.v1,
        R.array(shape, v1),
        magnitude(g) ** 2,
        scaleOf(v.values.map((x, i) => x + (gs[i] as number) ** 2)),
      );
    });
  },
  (dtype) => `fused adamUpdate ${dtype} matches the composed Adam step`,
);

/**
 * Fused-kernel cases: a backend's optional `fused.sigmoid`, `fused.softmax`,
 * `fused.matmulBiasAct` (every activation, transpose flag and bias/no bias),
 * `fused.activationGrad` (every activation) and `fused.adamUpdate`, called directly, must match the float64 reference and the composite built from primitives. A backend
 * without a fused kernel reports the case as skipped.
 *
 * @example
 * ```ts
 * FUSED_CASES.map((c) => c.title); // ["fused sigmoid float32 matches the composed sigmoid", ...]
 * ```
 */
export const FUSED_CASES: readonly ConformanceCase[] = [
  ...sigmoidCases,
  ...softmaxCases,
  ...matmulBiasActCases,
  ...activationGradCases,
  ...adamUpdateCases,
];
