import {
  ArgumentError,
  BackendError,
  concat,
  DTypeError,
  getBackend,
  isFloat,
  reshape,
  Tensor,
  tensor,
  tidy,
} from "@tapegrad/core";
import { checkFunction } from "./checks.js";
import { GradcheckError, GradientError } from "./errors.js";
import { noGrad } from "./no_grad.js";
import { vjp } from "./vjp.js";

/**
 * Options of {@link gradcheck} and {@link gradgradcheck}. An entry passes when
 * |analytic − numeric| ≤ atol + rtol·|numeric|.
 *
 * @example
 * ```ts
 * const opts: GradcheckOptions = { mode: "fast", eps: 1e-6, atol: 1e-5, rtol: 1e-3, seed: 7 };
 * ```
 */
export interface GradcheckOptions {
  /** "full" (default) compares the whole Jacobian; "fast" one random projection vᵀJu. */
  mode?: "full" | "fast";
  /** Central-difference step (default 1e-6). */
  eps?: number;
  /** Absolute tolerance (default 1e-5). */
  atol?: number;
  /** Relative tolerance (default 1e-3). */
  rtol?: number;
  /** Seed of the random directions of fast mode and of gradgradcheck's cotangent (default 0). */
  seed?: number;
  /** Throw a GradcheckError on mismatch (default true); with false, return the result. */
  raise?: boolean;
}

/**
 * One compared number: for mode "full", the Jacobian entry ∂output[outputIndex]/∂input[index]
 * of float input `input`; for mode "fast", the projection vᵀJu (input −1, empty indices).
 *
 * @example
 * ```ts
 * const e: GradcheckEntry = { input: 0, index: [1, 2], outputIndex: [], analytic: 0.5, numeric: 0.5 };
 * ```
 */
export interface GradcheckEntry {
  input: number;
  index: number[];
  outputIndex: number[];
  analytic: number;
  numeric: number;
}

/**
 * The outcome of a gradient check.
 *
 * @example
 * ```ts
 * const r: GradcheckResult = gradcheck(f, [x], { raise: false });
 * if (!r.ok) console.log(r.report);
 * ```
 */
export interface GradcheckResult {
  ok: boolean;
  mode: "full" | "fast";
  /** Largest |analytic − numeric| over the compared entries. */
  maxAbsError: number;
  /** The entry furthest outside (or, when all pass, closest to) its tolerance. */
  worst: GradcheckEntry | null;
  /** Entries compared and entries out of tolerance. */
  checked: number;
  failures: number;
  report: string;
}

interface Settings {
  mode: "full" | "fast";
  eps: number;
  atol: number;
  rtol: number;
  seed: number;
  raise: boolean;
}

/** Reads the options, refusing values that would make the check meaningless (eps 0, a typo'd mode). */
function settings(api: string, options: GradcheckOptions): Settings {
  if (options === null || typeof options !== "object") {
    throw new ArgumentError(`${api}: options is ${options === null ? "null" : typeof options}, expected an object`);
  }
  const s: Settings = {
    mode: options.mode ?? "full",
    eps: options.eps ?? 1e-6,
    atol: options.atol ?? 1e-5,
    rtol: options.rtol ?? 1e-3,
    seed: options.seed ?? 0,
    raise: options.raise ?? true,
  };
  const bad = (name: keyof GradcheckOptions, expected: string): never => {
    const v = options[name];
    throw new ArgumentError(
      `${api}: option ${name} is ${typeof v === "string" ? JSON.stringify(v) : String(v)}, expected ${expected}`,
    );
  };
  if (s.mode !== "full" && s.mode !== "fast") bad("mode", '"full" or "fast"');
  if (!(typeof s.eps === "number" && s.eps > 0 && Number.isFinite(s.eps))) bad("eps", "a finite number > 0");
  if (!(typeof s.atol === "number" && s.atol >= 0)) bad("atol", "a number ≥ 0");
  if (!(typeof s.rtol === "number" && s.rtol >= 0)) bad("rtol", "a number ≥ 0");
  if (!Number.isInteger(s.seed)) bad("seed", "an integer");
  if (typeof s.raise !== "boolean") bad("raise", "a boolean");
  return s;
}

/** mulberry32: a tiny seeded generator, so fast mode's directions are reproducible. */
function uniforms(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function randomValues(n: number, next: () => number): Float64Array {
  return Float64Array.from({ length: n }, () => 2 * next() - 1);
}

function f64(values: Float64Array, shape: readonly number[]): Tensor {
  return tensor(values, { shape, dtype: "float64" });
}

function unravel(flat: number, shape: readonly number[]): number[] {
  const index = shape.map(() => 0);
  for (let k = shape.length - 1; k >= 0; k--) {
    const d = shape[k] as number;
    index[k] = flat % d;
    flat = Math.floor(flat / d);
  }
  return index;
}

function checkInputs(api: string, f: unknown, inputs: readonly Tensor[]): void {
  checkFunction(api, f, "f");
  if (!Array.isArray(inputs)) {
    throw new GradientError(
      `${api}: inputs is ${inputs === null ? "null" : typeof inputs}, expected an array of tensors`,
    );
  }
  if (!getBackend().capabilities.dtypes.includes("float64")) {
    throw new BackendError(
      `${api}: backend "${getBackend().name}" has no float64; run gradient checks on the CPU backend`,
    );
  }
  inputs.forEach((x, i) => {
    if (!(x instanceof Tensor)) throw new GradientError(`${api}: input ${i} is not a Tensor`);
    if (x.dtype === "float32") {
      throw new DTypeError(
        `${api}: input ${i} is ${x.describe()}; finite differences need float64 — ` +
          `pass tensor(values, { dtype: "float64" }) or cast(x, "float64")`,
      );
    }
  });
}

/**
 * Evaluates f (unrecorded) with float input `which` replaced; returns the output's values.
 * Non-float inputs are constants: they are passed as given and never perturbed.
 */
function evaluate(
  f: (...xs: Tensor[]) => Tensor,
  inputs: readonly Tensor[],
  which: number,
  values: Float64Array,
): Float64Array {
  const y = noGrad(() =>
    tidy(() => {
      const xs = inputs.map((x, i) => (i === which ? f64(values, x.shape) : x));
      return f(...xs);
    }),
  );
  const out = Float64Array.from(y.dataSync());
  if (!inputs.includes(y)) y.dispose();
  return out;
}

/**
 * Reads f's output at `inputs` and a pullback that works on float inputs only.
 */
function analytic(f: (...xs: Tensor[]) => Tensor, inputs: readonly Tensor[]) {
  const floats = inputs.flatMap((x, i) => (isFloat(x.dtype) ? [i] : []));
  const wrapped = (...fs: Tensor[]): Tensor =>
    f(...inputs.map((x, i) => (floats.includes(i) ? (fs[floats.indexOf(i)] as Tensor) : x)));
  return { floats, result: vjp(wrapped, ...floats.map((i) => inputs[i] as Tensor)) };
}

/**
 * Compares f's analytic gradients (from the tape) with central finite differences, in
 * float64 on the current backend: the public way to test a custom op or layer. Mode "full"
 * builds the whole Jacobian (one pullback per output element, two evaluations per input
 * element) and reports the worst entry with its indices; mode "fast" checks one random
 * projection vᵀJu (PyTorch's fast mode). Inputs must be float64 (int32/bool inputs are
 * passed through as constants). Throws a {@link GradcheckError} with a readable report on a
 * mismatch, or returns the result with `{ raise: false }`.
 *
 * @example
 * ```ts
 * const x = tensor([0.5, -1.2, 2], { dtype: "float64" });
 * gradcheck((x) => sum(mul(tanh(x), x)), [x]); // { ok: true, ... }
 * ```
 */
export function gradcheck(
  f: (...xs: Tensor[]) => Tensor,
  inputs: Tensor[],
  options: GradcheckOptions = {},
): GradcheckResult {
  return check("gradcheck", f, inputs, settings("gradcheck", options));
}

function check(api: string, f: (...xs: Tensor[]) => Tensor, inputs: readonly Tensor[], s: Settings): GradcheckResult {
  checkInputs(api, f, inputs);
  if (!inputs.some((x) => isFloat(x.dtype))) throw new GradientError(`${api}: no float64 input to check`);
  const { floats, result: r } = analytic(f, inputs);
  const entries: GradcheckEntry[] = [];
  const outShape = r.value.shape;
  try {
    if (r.value.dtype !== "float64") {
      throw new DTypeError(`${api}: f returned ${r.value.describe()}; gradient checks need a float64 output`);
    }
    const base = inputs.map((x) => (isFloat(x.dtype) ? Float64Array.from(x.dataSync()) : new Float64Array(0)));
    const numericJvp = (which: number, direction: Float64Array): Float64Array => {
      const x = base[which] as Float64Array;
      const plus = evaluate(
        f,
        inputs,
        which,
        x.map((v, k) => v + s.eps * (direction[k] as number)),
      );
      const minus = evaluate(
        f,
        inputs,
        which,
        x.map((v, k) => v - s.eps * (direction[k] as number)),
      );
      return plus.map((p, j) => (p - (minus[j] as number)) / (2 * s.eps));
    };
    if (s.mode === "full") {
      // rows[j][i] = ∂out[j]/∂input floats[i], from one pullback per output element.
      const rows: Float64Array[][] = [];
      for (let j = 0; j < r.value.size; j++) {
        const e = new Float64Array(r.value.size);
        e[j] = 1;
        const ct = f64(e, outShape);
        const gs = r.pullback(ct);
        ct.dispose();
        rows.push(gs.map((g) => Float64Array.from(g.dataSync())));
        for (const g of gs) g.dispose();
      }
      floats.forEach((input, fi) => {
        const n = (inputs[input] as Tensor).size;
        for (let k = 0; k < n; k++) {
          const e = new Float64Array(n);
          e[k] = 1;
          const column = numericJvp(input, e);
          column.forEach((numeric, j) => {
            const a = ((rows[j] as Float64Array[])[fi] as Float64Array)[k] as number;
            entries.push({
              input,
              index: unravel(k, (inputs[input] as Tensor).shape),
              outputIndex: unravel(j, outShape),
              analytic: a,
              numeric,
            });
          });
        }
      });
    } else {
      const next = uniforms(s.seed);
      const v = randomValues(r.value.size, next);
      const us = floats.map((i) => randomValues((inputs[i] as Tensor).size, next));
      const ct = f64(v, outShape);
      const gs = r.pullback(ct);
      ct.dispose();
      let a = 0;
      gs.forEach((g, fi) => {
        const u = us[fi] as Float64Array;
        g.dataSync().forEach((gk, k) => {
          a += gk * (u[k] as number);
        });
        g.dispose();
      });
      // vᵀJu = Σ over inputs of the directional derivatives along u, projected on v.
      let numeric = 0;
      floats.forEach((input, fi) => {
        numericJvp(input, us[fi] as Float64Array).forEach((d, j) => {
          numeric += d * (v[j] as number);
        });
      });
      entries.push({ input: -1, index: [], outputIndex: [], analytic: a, numeric });
    }
  } finally {
    r.dispose();
    r.value.dispose();
  }
  const result = summarize(api, s, entries);
  if (!result.ok && s.raise) throw new GradcheckError(result.report, result);
  return result;
}

function summarize(api: string, s: Settings, entries: readonly GradcheckEntry[]): GradcheckResult {
  let worst: GradcheckEntry | null = null;
  let worstRatio = -1;
  let maxAbsError = 0;
  let failures = 0;
  for (const e of entries) {
    const err = Math.abs(e.analytic - e.numeric);
    const tol = s.atol + s.rtol * Math.abs(e.numeric);
    const ratio = Number.isNaN(err) ? Number.POSITIVE_INFINITY : err / tol;
    if (!(err <= tol)) failures++;
    if (Number.isNaN(err)) maxAbsError = Number.NaN;
    else if (err > maxAbsError) maxAbsError = err;
    if (ratio > worstRatio) {
      worstRatio = ratio;
      worst = e;
    }
  }
  const ok = failures === 0;
  const where = (e: GradcheckEntry): string =>
    e.input < 0
      ? "the random projection vᵀJu"
      : `∂output[${e.outputIndex.join(",")}]/∂input${e.input}[${e.index.join(",")}]`;
  const num = (v: number): string => (v !== 0 && Math.abs(v) < 1e-3 ? v.toExponential() : String(v));
  const lines = [
    `${api} ${ok ? "passed" : "failed"} (mode ${s.mode}, eps ${num(s.eps)}, atol ${num(s.atol)}, rtol ${num(s.rtol)}): ` +
      `${failures} of ${entries.length} entries out of tolerance, max |analytic − numeric| ${maxAbsError.toExponential(3)}`,
  ];
  if (worst !== null) {
    const tol = s.atol + s.rtol * Math.abs(worst.numeric);
    lines.push(
      `  worst: ${where(worst)}: analytic ${worst.analytic}, numeric ${worst.numeric} ` +
        `(|diff| ${Math.abs(worst.analytic - worst.numeric).toExponential(3)}, tolerance ${tol.toExponential(3)})`,
    );
  }
  return { ok, mode: s.mode, maxAbsError, worst, checked: entries.length, failures, report: lines.join("\n") };
}

/**
 * Checks second derivatives: gradchecks the map (inputs, v) ↦ vᵀ·∂f/∂inputs (f's pullback
 * with a seeded random cotangent v, flattened and concatenated), so the gradient of the
 * gradient is compared with finite differences of the gradient. Same options and result as
 * {@link gradcheck}.
 *
 * @example
 * ```ts
 * gradgradcheck((x) => sum(exp(x)), [tensor([0.1, 0.2], { dtype: "float64" })]);
 * ```
 */
export function gradgradcheck(
  f: (...xs: Tensor[]) => Tensor,
  inputs: Tensor[],
  options: GradcheckOptions = {},
): GradcheckResult {
  const s = settings("gradgradcheck", options);
  checkInputs("gradgradcheck", f, inputs);
  const outShape = noGrad(() =>
    tidy(() => {
      const y = f(...inputs);
      return [...y.shape];
    }),
  );
  const next = uniforms(s.seed + 1);
  const size = outShape.reduce((n, d) => n * d, 1);
  const v = f64(randomValues(size, next), outShape);
  const pulled = (...args: Tensor[]): Tensor => {
    const xs = args.slice(0, -1);
    const { result } = analytic(f, xs);
    try {
      const gs = result.pullback(args[args.length - 1] as Tensor);
      const flat = gs.map((g) => reshape(g, [-1]));
      return flat.length === 1 ? (flat[0] as Tensor) : concat(flat, 0);
    } finally {
      result.dispose();
      result.value.dispose();
    }
  };
  try {
    return check("gradgradcheck", pulled, [...inputs, v], s);
  } finally {
    v.dispose();
  }
}
