import type { GradcheckOptions } from "@tapegrad/autograd";
import type { FusedActivation, Tensor } from "@tapegrad/core";
import * as c from "@tapegrad/core";
import fc from "fast-check";
import {
  axesArb,
  broadcastableTo,
  broadcastPairArb,
  distinctSpecArb,
  nonzero,
  real,
  type Spec,
  shapeArb,
  sizeOf,
  specArb,
} from "./helpers.js";

/** One generated instance of an op: its inputs as data and the function to check. */
export interface Built {
  readonly specs: readonly Spec[];
  /** Static arguments (axes, flags...), shown in counterexamples. */
  readonly params: Readonly<Record<string, unknown>>;
  readonly f: (...xs: Tensor[]) => Tensor;
}

/** How to gradcheck one differentiable op of the catalogue. */
export interface OpCase {
  readonly name: string;
  readonly arb: fc.Arbitrary<Built>;
  /** Elementwise ops also get a second-order check. */
  readonly elementwise: boolean;
  /** Gradcheck options where the defaults do not fit. */
  readonly options?: GradcheckOptions;
}

const built = (specs: Spec[], f: Built["f"], params: Record<string, unknown> = {}): Built => ({ specs, f, params });

function unary(name: string, f: (x: Tensor) => Tensor, dom: fc.Arbitrary<number> = real()): OpCase {
  return {
    name,
    elementwise: true,
    arb: shapeArb()
      .chain((s) => specArb(s, dom))
      .map((x) => built([x], f)),
  };
}

function binary(
  name: string,
  f: (a: Tensor, b: Tensor) => Tensor,
  domA: fc.Arbitrary<number> = real(),
  domB: fc.Arbitrary<number> = real(),
): OpCase {
  return {
    name,
    elementwise: true,
    arb: broadcastPairArb
      .chain(([sa, sb]) => fc.tuple(specArb(sa, domA), specArb(sb, domB)))
      .map(([a, b]) => built([a, b], f)),
  };
}

/** a on a grid of 0.2, b on the same grid shifted by 0.1: never equal, so no ties. */
const gridA = fc.integer({ min: -10, max: 10 }).map((k) => k / 5);
const gridB = gridA.map((v) => v + 0.1);

/** A shape with an axis list to reduce over (and keepDims). */
function reduction(
  name: string,
  f: (x: Tensor, axes: number[], keepDims: boolean) => Tensor,
  spec: (shape: number[]) => fc.Arbitrary<Spec> = (s) => specArb(s),
  shapes: fc.Arbitrary<number[]> = shapeArb(1, 3),
): OpCase {
  return {
    name,
    elementwise: false,
    arb: shapes
      .chain((s) => fc.tuple(spec(s), axesArb(s.length, 1), fc.boolean()))
      .map(([x, axes, keepDims]) => built([x], (t) => f(t, axes, keepDims), { axes, keepDims })),
  };
}

/** A shape and one axis of it. */
function alongAxis(name: string, f: (x: Tensor, axis: number) => Tensor): OpCase {
  return {
    name,
    elementwise: false,
    arb: shapeArb(1, 3)
      .chain((s) => fc.tuple(specArb(s), fc.integer({ min: 0, max: s.length - 1 })))
      .map(([x, axis]) => built([x], (t) => f(t, axis), { axis })),
  };
}

const matmulCase: OpCase = {
  name: "matmul",
  elementwise: false,
  arb: fc
    .record({
      m: fc.integer({ min: 1, max: 3 }),
      k: fc.integer({ min: 1, max: 3 }),
      n: fc.integer({ min: 1, max: 3 }),
      batch: shapeArb(0, 1, 2),
      transposeA: fc.boolean(),
      transposeB: fc.boolean(),
    })
    .chain(({ m, k, n, batch, transposeA, transposeB }) => {
      const a = [...batch, ...(transposeA ? [k, m] : [m, k])];
      const b = transposeB ? [n, k] : [k, n];
      return fc
        .tuple(broadcastableTo(batch), fc.boolean())
        .chain(([bBatch, swap]) => {
          const sa = swap ? [...bBatch, ...a.slice(batch.length)] : a;
          const sb = swap ? [...batch, ...b] : [...bBatch, ...b];
          return fc.tuple(specArb(sa), specArb(sb));
        })
        .map(([sa, sb]) =>
          built([sa, sb], (x, y) => c.matmul(x, y, { transposeA, transposeB }), { transposeA, transposeB }),
        );
    }),
};

const denseCase: OpCase = {
  name: "dense",
  elementwise: false,
  arb: fc
    .record({
      batch: fc.integer({ min: 1, max: 3 }),
      inputs: fc.integer({ min: 1, max: 3 }),
      outputs: fc.integer({ min: 1, max: 3 }),
      activation: fc.constantFrom<FusedActivation>("linear", "relu", "sigmoid", "tanh"),
      bias: fc.boolean(),
    })
    .chain(({ batch, inputs, outputs, activation, bias }) =>
      fc
        .tuple(specArb([batch, inputs]), specArb([inputs, outputs]), specArb([outputs], nonzero()))
        .filter(([x, w, b]) => activation !== "relu" || awayFromZero(x, w, bias ? b : null))
        .map(([x, w, b]) =>
          bias
            ? built([x, w, b], (xt, wt, bt) => c.dense(xt, wt, bt as Tensor, activation), { activation })
            : built([x, w], (xt, wt) => c.dense(xt, wt, null, activation), { activation }),
        ),
    ),
};

/** Pre-activations x·w + b all at least 0.05 from relu's kink. */
function awayFromZero(x: Spec, w: Spec, b: Spec | null): boolean {
  const [rows, k] = x.shape as [number, number];
  const n = w.shape[1] as number;
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < n; j++) {
      let z = b === null ? 0 : (b.values[j] as number);
      for (let p = 0; p < k; p++) z += (x.values[i * k + p] as number) * (w.values[p * n + j] as number);
      if (Math.abs(z) < 0.05) return false;
    }
  }
  return true;
}

const activationGradCase: OpCase = {
  name: "activationGrad",
  elementwise: true,
  arb: fc
    .record({ shape: shapeArb(), activation: fc.constantFrom<FusedActivation>("linear", "relu", "sigmoid", "tanh") })
    .chain(({ shape, activation }) =>
      fc
        .tuple(specArb(shape), specArb(shape, nonzero()))
        .map(([dy, y]) => built([dy, y], (a, b) => c.activationGrad(a, b, activation), { activation })),
    ),
};

const whereCase: OpCase = {
  name: "where",
  elementwise: true,
  arb: broadcastPairArb
    .chain(([sa, sb]) => {
      const out = c.broadcastShapes("where", sa, sb);
      return fc.tuple(
        broadcastableTo(out).chain((sc) => specArb(sc, fc.integer({ min: 0, max: 1 }))),
        specArb(sa),
        specArb(sb),
      );
    })
    .map(([cond, a, b]) => built([{ ...cond, dtype: "bool" }, a, b], (ct, at, bt) => c.where(ct, at, bt))),
};

const sliceCase: OpCase = {
  name: "slice",
  elementwise: false,
  arb: shapeArb(1, 3)
    .chain((s) =>
      fc.tuple(
        specArb(s),
        fc.tuple(
          ...s.map((d) =>
            fc
              .integer({ min: 0, max: d - 1 })
              .chain((b) => fc.tuple(fc.constant(b), fc.integer({ min: 1, max: d - b }))),
          ),
        ),
      ),
    )
    .map(([x, bs]) => {
      const begin = bs.map(([b]) => b);
      const size = bs.map(([, n]) => n);
      return built([x], (t) => c.slice(t, begin, size), { begin, size });
    }),
};

const padCase: OpCase = {
  name: "pad",
  elementwise: false,
  arb: shapeArb(0, 3)
    .chain((s) =>
      fc.tuple(
        specArb(s),
        fc.tuple(...s.map(() => fc.tuple(fc.integer({ min: 0, max: 2 }), fc.integer({ min: 0, max: 2 })))),
        real(),
      ),
    )
    .map(([x, paddings, value]) => built([x], (t) => c.pad(t, paddings, value), { paddings, value })),
};

const concatCase: OpCase = {
  name: "concat",
  elementwise: false,
  arb: shapeArb(1, 3).chain((s) =>
    fc.integer({ min: 0, max: s.length - 1 }).chain((axis) =>
      fc
        .array(fc.integer({ min: 1, max: 3 }), { minLength: 1, maxLength: 3 })
        .chain((sizes) => fc.tuple(...sizes.map((d) => specArb(s.map((v, i) => (i === axis ? d : v))))))
        .map((parts) => built(parts, (...ts) => c.concat(ts, axis), { axis })),
    ),
  ),
};

/** x, an axis of it, and int32 indices into that axis (repeats allowed). */
const gatherCase: OpCase = {
  name: "gather",
  elementwise: false,
  arb: shapeArb(1, 3)
    .chain((s) =>
      fc.integer({ min: 0, max: s.length - 1 }).chain((axis) =>
        fc.tuple(
          specArb(s),
          shapeArb(0, 2).chain((is) => specArb(is, fc.integer({ min: 0, max: (s[axis] as number) - 1 }))),
          fc.constant(axis),
        ),
      ),
    )
    .map(([x, idx, axis]) => built([x, { ...idx, dtype: "int32" }], (t, i) => c.gather(t, i, axis), { axis })),
};

const scatterAddCase: OpCase = {
  name: "scatterAdd",
  elementwise: false,
  arb: shapeArb(1, 3)
    .chain((s) =>
      fc
        .integer({ min: 0, max: s.length - 1 })
        .chain((axis) =>
          shapeArb(0, 2).chain((is) =>
            fc.tuple(
              specArb([...s.slice(0, axis), ...is, ...s.slice(axis + 1)]),
              specArb(is, fc.integer({ min: 0, max: (s[axis] as number) - 1 })),
              fc.constant({ axis, shape: s }),
            ),
          ),
        ),
    )
    .map(([u, idx, { axis, shape }]) =>
      built([u, { ...idx, dtype: "int32" }], (t, i) => c.scatterAdd(t, i, axis, shape), { axis, shape }),
    ),
};

const transposeCase: OpCase = {
  name: "transpose",
  elementwise: false,
  arb: shapeArb(0, 3)
    .chain((s) =>
      fc.tuple(
        specArb(s),
        fc.shuffledSubarray(
          s.map((_, i) => i),
          { minLength: s.length, maxLength: s.length },
        ),
      ),
    )
    .map(([x, perm]) => built([x], (t) => c.transpose(t, perm), { perm })),
};

const reshapeCase: OpCase = {
  name: "reshape",
  elementwise: false,
  arb: shapeArb()
    .chain((s) => fc.tuple(specArb(s), fc.constantFrom("flat", "reversed", "column")))
    .map(([x, how]) => {
      const target = how === "flat" ? [-1] : how === "column" ? [-1, 1] : [...x.shape].reverse();
      return built([x], (t) => c.reshape(t, target), { target });
    }),
};

const broadcastToCase: OpCase = {
  name: "broadcastTo",
  elementwise: false,
  arb: shapeArb()
    .chain((out) => broadcastableTo(out).chain((s) => fc.tuple(specArb(s), fc.constant(out))))
    .map(([x, out]) => built([x], (t) => c.broadcastTo(t, out), { out })),
};

const castCase: OpCase = {
  name: "cast",
  // float32 rounds x to ~1e-7·|x|: finite differences need a step far above that, and the
  // second difference would drown in it.
  elementwise: false,
  options: { eps: 1e-3 },
  arb: shapeArb()
    .chain((s) => specArb(s))
    // A float64 → float32 → float64 round trip times x: the cast rule runs both ways.
    .map((x) =>
      built([x], (t) => {
        using low = c.cast(t, "float32");
        using back = c.cast(low, "float64");
        return c.mul(back, t);
      }),
    ),
};

const splitCase: OpCase = {
  name: "split",
  elementwise: false,
  arb: shapeArb(1, 3)
    .chain((s) => fc.tuple(specArb(s), fc.integer({ min: 0, max: s.length - 1 })))
    .map(([x, axis]) =>
      built(
        [x],
        (t) => {
          const parts = c.split(t, x.shape[axis] as number, axis);
          return c.concat(
            parts.map((p, i) => c.mul(p, i + 1)),
            axis,
          );
        },
        { axis },
      ),
    ),
};

const stackCase: OpCase = {
  name: "stack",
  elementwise: false,
  arb: shapeArb(0, 2)
    .chain((s) =>
      fc.tuple(fc.array(specArb(s), { minLength: 1, maxLength: 3 }), fc.integer({ min: -1, max: s.length })),
    )
    .map(([parts, axis]) => built(parts, (...ts) => c.stack(ts, axis), { axis })),
};

const unstackCase: OpCase = {
  name: "unstack",
  elementwise: false,
  arb: shapeArb(1, 3)
    .chain((s) => fc.tuple(specArb(s), fc.integer({ min: 0, max: s.length - 1 })))
    .map(([x, axis]) =>
      built(
        [x],
        (t) =>
          c.stack(
            c.unstack(t, axis).map((p, i) => c.mul(p, i + 1)),
            axis,
          ),
        { axis },
      ),
    ),
};

const tileCase: OpCase = {
  name: "tile",
  elementwise: false,
  arb: shapeArb(0, 2)
    .chain((s) => fc.tuple(specArb(s), fc.array(fc.integer({ min: 1, max: 2 }), { maxLength: 3 })))
    .map(([x, reps]) => built([x], (t) => c.tile(t, reps), { reps })),
};

/** Values at least 0.05 away from each of `kinks`. */
const awayFrom = (dom: fc.Arbitrary<number>, ...kinks: number[]): fc.Arbitrary<number> =>
  dom.filter((v) => kinks.every((k) => Math.abs(v - k) > 0.05));

const sceCase: OpCase = {
  name: "sigmoidCrossEntropyWithLogits",
  elementwise: true,
  arb: broadcastPairArb
    .chain(([sa, sb]) => fc.tuple(specArb(sa, nonzero(0.1, 3)), specArb(sb, real(0, 1))))
    .map(([x, z]) => built([x, z], (a, b) => c.sigmoidCrossEntropyWithLogits(a, b))),
};

/** Every differentiable op of the catalogue, primitives and composites. */
export const OP_CASES: readonly OpCase[] = [
  unary("neg", c.neg),
  unary("exp", c.exp),
  unary("log", c.log, real(0.5, 2)),
  unary("log1p", c.log1p, real(-0.5, 2)),
  unary("sqrt", c.sqrt, real(0.5, 2)),
  unary("abs", c.abs, nonzero()),
  unary("sin", c.sin),
  unary("cos", c.cos),
  unary("tanh", c.tanh),
  unary("reciprocal", c.reciprocal, nonzero(0.5, 2)),
  binary("add", c.add),
  binary("sub", c.sub),
  binary("mul", c.mul),
  binary("div", c.div, real(), nonzero(0.5, 2)),
  binary("pow", c.pow, real(0.5, 2), real(-2, 2)),
  binary("maximum", c.maximum, gridA, gridB),
  binary("minimum", c.minimum, gridA, gridB),
  whereCase,
  castCase,
  reduction("sum", (x, axes, keep) => c.sum(x, axes, keep)),
  reduction("max", (x, axes, keep) => c.max(x, axes, keep), distinctSpecArb),
  reduction("min", (x, axes, keep) => c.min(x, axes, keep), distinctSpecArb),
  matmulCase,
  reshapeCase,
  transposeCase,
  broadcastToCase,
  sliceCase,
  padCase,
  concatCase,
  gatherCase,
  scatterAddCase,
  unary("sigmoid", c.sigmoid),
  unary("softplus", c.softplus),
  reduction("logSumExp", (x, axes, keep) => c.logSumExp(x, axes, keep)),
  alongAxis("softmax", (x, axis) => c.softmax(x, axis)),
  alongAxis("logSoftmax", (x, axis) => c.logSoftmax(x, axis)),
  sceCase,
  denseCase,
  activationGradCase,
  unary("relu", c.relu, nonzero()),
  unary("leakyRelu", (x) => c.leakyRelu(x, 0.1), nonzero()),
  unary("elu", (x) => c.elu(x, 1.5), nonzero()),
  unary("square", c.square),
  // Values at least 0.01 from the bounds ±0.5, where clip has its kinks.
  unary(
    "clip",
    (x) => c.clip(x, -0.5, 0.5),
    nonzero(0.1, 2).filter((v) => Math.abs(Math.abs(v) - 0.5) > 0.01),
  ),
  reduction("mean", (x, axes, keep) => c.mean(x, axes, keep)),
  reduction("variance", (x, axes, keep) => c.variance(x, axes, keep)),
  // std has a kink where the variance is 0: distinct values and ≥ 2 elements per reduction.
  reduction(
    "std",
    (x, axes, keep) => c.std(x, axes, keep),
    distinctSpecArb,
    fc.array(fc.integer({ min: 2, max: 3 }), { minLength: 1, maxLength: 2 }),
  ),
  unary("logSigmoid", c.logSigmoid),
  unary("selu", c.selu, nonzero()),
  unary("gelu", c.gelu),
  unary("silu", c.silu),
  unary("softsign", c.softsign, nonzero()),
  unary("relu6", c.relu6, awayFrom(real(-2, 8), 0, 6)),
  unary("hardSigmoid", c.hardSigmoid, awayFrom(real(-5, 5), -3, 3)),
  // norm has a kink where a slice is all zeros: nonzero values keep every slice away from it.
  reduction(
    "norm",
    (x, axes, keep) => c.norm(x, axes, keep),
    (s) => specArb(s, nonzero(0.2, 2)),
  ),
  tileCase,
  unstackCase,
  alongAxis("expandDims", (x, axis) => c.expandDims(x, axis)),
  unary("squeeze", (x) => c.squeeze(x)),
  unary("flatten", (x) => c.flatten(x)),
  stackCase,
  splitCase,
  unary("clone", (x) => c.clone(x)),
];

/** The op names in OP_CASES, for the completeness test. */
export const CASE_NAMES: ReadonlySet<string> = new Set(OP_CASES.map((o) => o.name));

export { sizeOf };
