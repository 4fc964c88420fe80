import { ArgumentError, clone, ones, Tensor, tidy, zeros } from "@tapegrad/core";
import { backward } from "./backward.js";
import { checkFunction, checkOutput, checkSources } from "./checks.js";
import { GradientError } from "./errors.js";
import { popTape, pushTape, Tape } from "./tape.js";

/**
 * Options of {@link grad} and {@link valueAndGrad}: which arguments to differentiate with
 * respect to (default 0; a list gives a list of gradients).
 *
 * @example
 * ```ts
 * const opts: GradOptions = { argnums: [0, 1] };
 * ```
 */
export interface GradOptions {
  argnums?: number | readonly number[];
}

/**
 * Gradients shaped like the parameters they belong to: an array for an array, a record with
 * the same keys for a record.
 *
 * @example
 * ```ts
 * const g: Gradients<{ w: Tensor; b: Tensor }> = grads(loss, { w, b }); // { w: Tensor; b: Tensor }
 * ```
 */
export type Gradients<P> = { -readonly [K in keyof P]: Tensor };

/**
 * Runs `f` with `sources` watched and differentiates its scalar output. Everything `f` made
 * and did not return is freed; the value is returned only when `keepValue` is set.
 */
function differentiate(
  api: string,
  f: () => Tensor,
  sources: readonly Tensor[],
  label: (i: number) => string,
  keepValue: boolean,
): { value: Tensor | undefined; grads: Tensor[] } {
  checkSources(api, sources, label);
  return tidy(() => {
    const tape = new Tape(sources);
    try {
      let value: Tensor;
      pushTape(tape);
      try {
        value = f();
      } finally {
        popTape(tape);
      }
      checkOutput(api, value, false);
      const grads = tape.watched.has(value.id)
        ? backward(tape, value.id, ones(value.shape, value.dtype), sources)
        : sources.map((s) => zeros(s.shape, s.dtype));
      return { value: keepValue ? value : undefined, grads };
    } finally {
      tape.release();
    }
  });
}

function argnumsOf(api: string, options: GradOptions | undefined): { nums: number[]; single: boolean } {
  const argnums = options?.argnums ?? 0;
  const nums = typeof argnums === "number" ? [argnums] : [...argnums];
  for (const n of nums) {
    if (!Number.isInteger(n) || n < 0) throw new ArgumentError(`${api}: argnums ${n} is not a non-negative integer`);
  }
  return { nums, single: typeof argnums === "number" };
}

/**
 * Differentiates with respect to argument positions, as JAX does: each differentiated
 * argument is passed as its own fresh handle, so `f(x, x)` has two independent arguments.
 */
function differentiateArgs<A extends Tensor[]>(
  api: string,
  f: (...args: A) => Tensor,
  args: A,
  nums: readonly number[],
  keepValue: boolean,
): { value: Tensor | undefined; grads: Tensor[] } {
  for (const n of nums) {
    if (n >= args.length) {
      throw new GradientError(`${api}: argnums ${n} is out of range: the function got ${args.length} arguments`);
    }
  }
  const label = (i: number) => `argument ${nums[i]}`;
  checkSources(
    api,
    nums.map((n) => args[n]),
    label,
  );
  return tidy(() => {
    // clone, not stopGradient: an enclosing gradient must still see each handle as its argument.
    const handles = nums.map((n) => clone(args[n] as Tensor));
    const call = [...args] as A;
    nums.forEach((n, i) => {
      call[n] = handles[i] as Tensor;
    });
    return differentiate(api, () => f(...call), handles, label, keepValue);
  });
}

/**
 * The gradient of a scalar-valued function: `grad(f)(...args)` returns ∂f/∂args[argnums]
 * (argument 0 by default; a list of argnums returns a list). Gradients have their input's
 * shape and dtype, and are zeros where f does not depend on the input. Composable:
 * `grad(grad(f))` is the second derivative.
 *
 * @example
 * ```ts
 * import { tensor, sum, square } from "@tapegrad/core";
 * const df = grad((x) => sum(square(x)));
 * df(tensor([1, 2, 3])); // [2, 4, 6]
 * const [dx, dy] = grad((x, y) => sum(mul(x, y)), { argnums: [0, 1] })(a, b);
 * ```
 */
export function grad<A extends Tensor[]>(
  f: (...args: A) => Tensor,
  options?: { argnums?: number },
): (...args: A) => Tensor;
export function grad<A extends Tensor[]>(
  f: (...args: A) => Tensor,
  options: { argnums: readonly number[] },
): (...args: A) => Tensor[];
export function grad<A extends Tensor[]>(f: (...args: A) => Tensor, options?: GradOptions) {
  checkFunction("grad", f, "f");
  const { nums, single } = argnumsOf("grad", options);
  return (...args: A): Tensor | Tensor[] => {
    const { grads } = differentiateArgs("grad", f, args, nums, false);
    return single ? (grads[0] as Tensor) : grads;
  };
}

/**
 * Like {@link grad}, and also returns f's value (computed once): `{ value, grad }`.
 *
 * @example
 * ```ts
 * const { value, grad: dw } = valueAndGrad((w) => sum(square(sub(matmul(x, w), y))))(w);
 * ```
 */
export function valueAndGrad<A extends Tensor[]>(
  f: (...args: A) => Tensor,
  options?: { argnums?: number },
): (...args: A) => { value: Tensor; grad: Tensor };
export function valueAndGrad<A extends Tensor[]>(
  f: (...args: A) => Tensor,
  options: { argnums: readonly number[] },
): (...args: A) => { value: Tensor; grad: Tensor[] };
export function valueAndGrad<A extends Tensor[]>(f: (...args: A) => Tensor, options?: GradOptions) {
  checkFunction("valueAndGrad", f, "f");
  const { nums, single } = argnumsOf("valueAndGrad", options);
  return (...args: A): { value: Tensor; grad: Tensor | Tensor[] } => {
    const { value, grads } = differentiateArgs("valueAndGrad", f, args, nums, true);
    return { value: value as Tensor, grad: single ? (grads[0] as Tensor) : grads };
  };
}

function flattenParams(
  api: string,
  params: readonly Tensor[] | Readonly<Record<string, Tensor>>,
): {
  list: Tensor[];
  label: (i: number) => string;
  rebuild: (grads: Tensor[]) => unknown;
} {
  if (params === null || typeof params !== "object" || params instanceof Tensor) {
    const got =
      params instanceof Tensor ? `a single Tensor ${params.describe()}` : params === null ? "null" : typeof params;
    throw new GradientError(`${api}: params is ${got}, expected a list or a record of tensors ([w, b] or { w, b })`);
  }
  if (Array.isArray(params)) {
    return { list: [...params], label: (i) => `params[${i}]`, rebuild: (g) => g };
  }
  const keys = Object.keys(params);
  return {
    list: keys.map((k) => (params as Readonly<Record<string, Tensor>>)[k] as Tensor),
    label: (i) => `params.${keys[i]}`,
    rebuild: (g) => Object.fromEntries(keys.map((k, i) => [k, g[i]])),
  };
}

/**
 * The gradients of a scalar loss with respect to a list or a record of tensors (typically a
 * model's parameters), in the same structure. This is the training-loop form: `f` closes
 * over the parameters instead of taking them as arguments.
 *
 * @example
 * ```ts
 * const g = grads(() => mean(square(sub(dense(x, w, b), y))), { w, b });
 * g.w.shape; // w.shape
 * ```
 */
export function grads<P extends readonly Tensor[] | Readonly<Record<string, Tensor>>>(
  f: () => Tensor,
  params: P,
): Gradients<P> {
  checkFunction("grads", f, "f");
  const { list, label, rebuild } = flattenParams("grads", params);
  return rebuild(differentiate("grads", f, list, label, false).grads) as Gradients<P>;
}

/**
 * Like {@link grads}, and also returns the loss: `{ value, grads }`.
 *
 * @example
 * ```ts
 * const { value: loss, grads: g } = valueAndGrads(() => lossOf(model, x, y), model.parameters());
 * ```
 */
export function valueAndGrads<P extends readonly Tensor[] | Readonly<Record<string, Tensor>>>(
  f: () => Tensor,
  params: P,
): { value: Tensor; grads: Gradients<P> } {
  checkFunction("valueAndGrads", f, "f");
  const { list, label, rebuild } = flattenParams("valueAndGrads", params);
  const { value, grads: g } = differentiate("valueAndGrads", f, list, label, true);
  return { value: value as Tensor, grads: rebuild(g) as Gradients<P> };
}
