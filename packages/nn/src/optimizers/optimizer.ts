import {
  ArgumentError,
  clone,
  DisposedError,
  DTypeError,
  full,
  ShapeError,
  type Tensor,
  tidy,
  Variable,
  variable,
} from "@tapegrad/core";
import { describeValue } from "../describe_value.js";

/**
 * What {@link Optimizer.stateDict} returns and {@link Optimizer.loadStateDict} accepts:
 * `iterations` and `learningRate` as numbers, and one tensor per slot and parameter under
 * `"<slot>.<parameter index>"` (e.g. `"m.0"`, `"v.0"` for Adam).
 *
 * @example
 * ```ts
 * const state: OptimizerState = { iterations: 3, learningRate: 0.001, "m.0": zeros([2]), "v.0": zeros([2]) };
 * ```
 */
export type OptimizerState = Record<string, Tensor | number>;

/**
 * The per-parameter state an update rule reads and writes (Adam's `m` and `v`, ...): one
 * variable per slot name.
 *
 * @example
 * ```ts
 * class Momentum extends Optimizer {
 *   constructor(params: Variable[]) {
 *     super("Momentum", params, 0.1, { velocity: 0 });
 *   }
 *   protected override update(param: Variable, grad: Tensor, slots: SlotVariables): void {
 *     slots.velocity!.assign(slots.velocity!.mul(0.9).add(grad));
 *     param.assign(param.sub(slots.velocity!.mul(this.learningRate)));
 *   }
 * }
 * ```
 */
export type SlotVariables = Readonly<Record<string, Variable>>;

/** @internal Validates a numeric hyperparameter and returns it. */
export function checkHyper(op: string, name: string, value: number, lo: number, hi = Infinity, loOpen = false): number {
  if (typeof value !== "number" || !Number.isFinite(value) || value < lo || value > hi || (loOpen && value === lo)) {
    const range = `${loOpen ? "(" : "["}${lo}, ${hi === Infinity ? "∞)" : `${hi}]`}`;
    throw new ArgumentError(`${op}: ${name} must be a finite number in ${range}, got ${describeValue(value)}`);
  }
  return value;
}

/**
 * The base of every optimizer: it holds the parameters it updates (given at construction, as
 * PyTorch does) and, per parameter, its slot variables, created at construction so the number
 * of live tensors does not change once training has started. `step(grads)` applies one update
 * with gradients aligned to the parameters; every intermediate is freed (each update runs
 * inside `tidy` and writes results with `Variable.assign`).
 *
 * Subclasses implement {@link Optimizer.update} for one parameter.
 *
 * @example
 * ```ts
 * const opt = new SGD(model.parameters(), { learningRate: 0.1 });
 * const { value, grads: g } = valueAndGrads(() => loss(y, model.call(x)), model.parameters());
 * opt.step(g);
 * ```
 */
export abstract class Optimizer {
  /** The variables this optimizer updates, in the order `step` expects gradients. */
  readonly params: readonly Variable[];
  /** The step size; may be changed between steps (learning-rate schedules). */
  learningRate: number;
  readonly #name: string;
  readonly #slotNames: readonly string[];
  readonly #slotInit: readonly number[];
  readonly #slots: Variable[][];
  #iterations = 0;
  #disposed = false;

  /**
   * @param name the class name, for error messages.
   * @param params the variables to update (a `Variable[]`, e.g. `model.parameters()`).
   * @param learningRate the initial step size.
   * @param slots per-parameter state this rule keeps, with the value each starts at
   *   (`{ m: 0, v: 0 }` for Adam).
   */
  protected constructor(
    name: string,
    params: readonly Variable[],
    learningRate: number,
    slots: Readonly<Record<string, number>>,
  ) {
    this.#name = name;
    if (!Array.isArray(params)) {
      throw new ArgumentError(
        `${name}: expected the parameters to update (a Variable[], e.g. model.parameters()), got ${describeValue(params)}`,
      );
    }
    params.forEach((p, i) => {
      if (!(p instanceof Variable)) {
        throw new ArgumentError(`${name}: parameter ${i} is ${describeValue(p)}, expected a Variable`);
      }
      if (p.dtype !== "float32" && p.dtype !== "float64") {
        throw new DTypeError(`${name}: parameter ${i} "${p.name}" is ${p.describe()}, expected float32 or float64`);
      }
    });
    if (new Set(params).size !== params.length) throw new ArgumentError(`${name}: a parameter is listed twice`);
    this.params = [...params];
    this.learningRate = checkHyper(name, "learningRate", learningRate, 0);
    this.#slotNames = Object.keys(slots);
    this.#slotInit = this.#slotNames.map((slot) => slots[slot] as number);
    this.#slots = this.#slotNames.map((slot, s) =>
      this.params.map((p) =>
        tidy(() => variable(full(p.shape, this.#slotInit[s] as number, p.dtype), { name: `${p.name}/${slot}` })),
      ),
    );
  }

  /** Number of `step` calls since construction or the last {@link Optimizer.reset}. */
  get iterations(): number {
    return this.#iterations;
  }

  /**
   * Updates one parameter from its gradient, reading and writing its slots with `assign`. Runs
   * inside `tidy`, with {@link Optimizer.iterations} still counting the previous steps.
   */
  protected abstract update(param: Variable, grad: Tensor, slots: SlotVariables): void;

  /**
   * Applies one update. `grads[i]` is the gradient for `params[i]` (what
   * `grads(f, params)` returns for an array); a `null`/`undefined` entry leaves that parameter
   * and its state untouched. The caller keeps ownership of `grads`.
   */
  step(grads: readonly (Tensor | null | undefined)[]): void {
    this.#assertLive("step");
    // Tested on `unknown`: Array.isArray would narrow the readonly array to any[].
    const isArray = Array.isArray(grads as unknown);
    if (!isArray || grads.length !== this.params.length) {
      throw new ArgumentError(
        `${this.#name}.step: expected ${this.params.length} gradients aligned to the parameters, got ${isArray ? grads.length : describeValue(grads)}`,
      );
    }
    grads.forEach((g, i) => {
      const p = this.params[i] as Variable;
      if (g === null || g === undefined) return;
      if (g.dtype !== p.dtype || g.rank !== p.rank || g.shape.some((d, k) => d !== p.shape[k])) {
        throw new ShapeError(
          `${this.#name}.step: gradient ${i} is ${g.describe()}, parameter "${p.name}" is ${p.describe()}`,
        );
      }
    });
    tidy(() => {
      grads.forEach((g, i) => {
        if (g === null || g === undefined) return;
        this.update(this.params[i] as Variable, g, this.#slotsOf(i));
      });
    });
    this.#iterations++;
  }

  /**
   * Returns every slot to its initial value and the iteration count to 0 (a fresh optimizer
   * over the same parameters, e.g. before fine-tuning with another loss).
   */
  reset(): void {
    this.#assertLive("reset");
    this.#slots.forEach((vs, s) => {
      for (const v of vs) tidy(() => v.assign(full(v.shape, this.#slotInit[s] as number, v.dtype)));
    });
    this.#iterations = 0;
  }

  /** The same as {@link Optimizer.reset}. */
  zeroState(): void {
    this.reset();
  }

  /**
   * The optimizer's state: `iterations`, `learningRate` and a tensor per slot and parameter
   * (`"m.0"`, ...). The tensors are new handles on the current values (no copy): the caller
   * owns them and should dispose them when done.
   */
  stateDict(): OptimizerState {
    this.#assertLive("stateDict");
    const out: OptimizerState = { iterations: this.#iterations, learningRate: this.learningRate };
    this.#slotNames.forEach((slot, s) => {
      (this.#slots[s] as Variable[]).forEach((v, i) => {
        out[`${slot}.${i}`] = clone(v);
      });
    });
    return out;
  }

  /**
   * Restores a state from {@link Optimizer.stateDict} (of an optimizer of the same kind over
   * parameters of the same shapes). Every key must be present with the right shape; unknown
   * keys are an error. The caller keeps ownership of the dict's tensors.
   */
  loadStateDict(state: OptimizerState): void {
    this.#assertLive("loadStateDict");
    const where = `${this.#name}.loadStateDict`;
    const expected = new Set(["iterations", "learningRate"]);
    for (const slot of this.#slotNames) for (let i = 0; i < this.params.length; i++) expected.add(`${slot}.${i}`);
    const unknown = Object.keys(state).filter((k) => !expected.has(k));
    if (unknown.length > 0) throw new ArgumentError(`${where}: unknown keys ${unknown.join(", ")}`);
    const iterations = state.iterations;
    const learningRate = state.learningRate;
    if (typeof iterations !== "number" || !Number.isInteger(iterations) || iterations < 0) {
      throw new ArgumentError(
        `${where}: "iterations" must be a non-negative integer, got ${describeValue(iterations)}`,
      );
    }
    if (typeof learningRate !== "number") {
      throw new ArgumentError(`${where}: "learningRate" must be a number, got ${describeValue(learningRate)}`);
    }
    checkHyper(where, "learningRate", learningRate, 0);
    const pending: [Variable, Tensor][] = [];
    this.#slotNames.forEach((slot, s) => {
      (this.#slots[s] as Variable[]).forEach((v, i) => {
        const key = `${slot}.${i}`;
        const t = state[key];
        if (t === undefined) throw new ArgumentError(`${where}: missing "${key}"`);
        if (typeof t === "number" || t.rank !== v.rank || t.shape.some((d, k) => d !== v.shape[k])) {
          const got = typeof t === "number" ? describeValue(t) : t.describe();
          throw new ShapeError(`${where}: "${key}" must be ${v.describe()}, got ${got}`);
        }
        pending.push([v, t]);
      });
    });
    // Everything is checked before anything is written, so a bad dict leaves the state as it was.
    tidy(() => {
      for (const [v, t] of pending) v.assign(t.dtype === v.dtype ? t : t.cast(v.dtype));
    });
    this.#iterations = iterations;
    this.learningRate = learningRate;
  }

  /** Frees the slot variables; the optimizer cannot be used afterwards. */
  dispose(): void {
    if (this.#disposed) return;
    this.#disposed = true;
    for (const vs of this.#slots) for (const v of vs) v.dispose();
  }

  /** Lets `using opt = new Adam(...)` free the state at the end of a block. */
  [Symbol.dispose](): void {
    this.dispose();
  }

  #slotsOf(i: number): SlotVariables {
    const out: Record<string, Variable> = {};
    this.#slotNames.forEach((slot, s) => {
      out[slot] = (this.#slots[s] as Variable[])[i] as Variable;
    });
    return out;
  }

  #assertLive(what: string): void {
    if (this.#disposed) throw new DisposedError(`${this.#name}.${what}: the optimizer was disposed`);
  }
}
