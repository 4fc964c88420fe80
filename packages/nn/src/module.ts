import { ArgumentError, cast, isFloat, Tensor, Variable } from "@tapegrad/core";
import { describeValue } from "./describe_value.js";
import { StateDictError } from "./state_dict_error.js";
import { modulesPreorder, traceShape } from "./trace.js";

/** Where a member sits: `holder[key]` (the module itself, or an array or plain object in it). */
interface Slot {
  holder: Record<string, unknown>;
  key: string;
}

interface Member extends Slot {
  name: string;
  value: Variable | Module;
}

/**
 * The Variables and Modules a module holds, found by walking its own enumerable properties
 * in definition order; arrays and plain objects are walked too (`layers.0`, `heads.left`).
 * Registration by discovery means a custom layer is just a class with fields.
 */
function membersOf(module: Module): Member[] {
  const out: Member[] = [];
  const seen = new Set<unknown>();
  const visit = (name: string, holder: Record<string, unknown>, key: string): void => {
    const value = holder[key];
    if (value instanceof Variable || value instanceof Module) {
      out.push({ name, value, holder, key });
      return;
    }
    if (value === null || typeof value !== "object" || seen.has(value)) return;
    seen.add(value);
    const proto = Object.getPrototypeOf(value);
    // Only arrays and plain containers: a Map, a Tensor or a user object may hold anything.
    if (!Array.isArray(value) && proto !== Object.prototype && proto !== null) return;
    for (const k of Object.keys(value)) visit(`${name}.${k}`, value as Record<string, unknown>, k);
  };
  for (const key of Object.keys(module)) visit(key, module as unknown as Record<string, unknown>, key);
  return out;
}

/**
 * A Variable below a module, under its dotted name, with every place that holds it.
 *
 * @internal
 */
export interface VariableEntry {
  name: string;
  variable: Variable;
  slots: Slot[];
}

/**
 * Every Variable below `root` with its dotted name, depth first in definition order. A module
 * or Variable reachable twice (shared layers, tied weights, a back-reference to a parent) is
 * reported once, under the first name, so optimizers never step it twice; all the places
 * holding it are kept in `slots`.
 *
 * @internal
 */
export function variableEntries(root: Module): VariableEntry[] {
  const byVariable = new Map<Variable, VariableEntry>();
  const seenModules = new Set<Module>([root]);
  const walk = (module: Module, prefix: string): void => {
    for (const { name, value, holder, key } of membersOf(module)) {
      if (value instanceof Variable) {
        const entry = byVariable.get(value);
        if (entry === undefined)
          byVariable.set(value, { name: prefix + name, variable: value, slots: [{ holder, key }] });
        else entry.slots.push({ holder, key });
      } else if (!seenModules.has(value)) {
        seenModules.add(value);
        walk(value, `${prefix}${name}.`);
      }
    }
  };
  walk(root, "");
  return [...byVariable.values()];
}

function allVariables(root: Module): Array<[string, Variable]> {
  return variableEntries(root).map((e) => [e.name, e.variable]);
}

/**
 * Options for {@link Module.loadStateDict}.
 *
 * @example
 * ```ts
 * const options: LoadStateDictOptions = { strict: false };
 * ```
 */
export interface LoadStateDictOptions {
  /**
   * With `true` (the default) a missing or unexpected key is an error; with `false` those are
   * skipped and the keys both sides share are loaded. A shape mismatch is an error either way.
   */
  strict?: boolean;
}

/**
 * The base class of every layer and model. A subclass declares its parameters (Variables, see
 * {@link parameter}) and child modules as fields and implements `forward`; the base class finds
 * them by walking the fields in definition order, so there is nothing to register. Arrays and
 * plain objects of modules or Variables are walked too.
 *
 * Parameter names are dotted field paths: `kernel`, `encoder.kernel`, `layers.0.bias`. They are
 * the keys of {@link Module.stateDict} and of saved safetensors files.
 *
 * @example
 * ```ts
 * class Affine extends Module {
 *   readonly w = parameter(randomNormal([3, 2], { seed: 0 }), "w");
 *   readonly b = parameter(zeros([2]), "b");
 *   forward(x: Tensor): Tensor {
 *     using xw = matmul(x, this.w);
 *     return add(xw, this.b);
 *   }
 * }
 * const layer = new Affine();
 * layer.namedParameters().map(([name]) => name); // ["w", "b"]
 * ```
 */
export abstract class Module {
  // A private field, so the member walk never sees it.
  #training = true;

  /**
   * The layer's computation. Returns a new tensor the caller owns; intermediates it makes
   * should be disposed (`using`) so a forward pass leaks nothing.
   */
  abstract forward(x: Tensor): Tensor;

  /**
   * Runs {@link Module.forward}: `model.call(x)` and `model.forward(x)` are the same.
   *
   * @example
   * ```ts
   * const y = model.call(x);
   * ```
   */
  call(x: Tensor): Tensor {
    return this.forward(x);
  }

  /**
   * Trainable parameters in registration order, recursing into child modules; each shared
   * Variable appears once. This is what optimizers and `grads` take.
   *
   * @example
   * ```ts
   * const opt = new SGD(model.parameters(), { lr: 0.1 });
   * ```
   */
  parameters(): Variable[] {
    return this.namedParameters().map(([, v]) => v);
  }

  /**
   * Trainable parameters with their dotted names (`layers.0.kernel`), in the order of
   * {@link Module.parameters}.
   *
   * @example
   * ```ts
   * for (const [name, p] of model.namedParameters()) console.log(name, p.shape);
   * ```
   */
  namedParameters(): Array<[string, Variable]> {
    return allVariables(this).filter(([, v]) => v.trainable);
  }

  /**
   * The direct child modules with their field names (array elements as `layers.0`).
   *
   * @example
   * ```ts
   * new Sequential([new Dense(4, 2), new ReLU()]).children().map(([n]) => n); // ["layers.0", "layers.1"]
   * ```
   */
  children(): Array<[string, Module]> {
    const seen = new Set<Module>();
    const out: Array<[string, Module]> = [];
    for (const { name, value } of membersOf(this)) {
      if (value instanceof Module && value !== this && !seen.has(value)) {
        seen.add(value);
        out.push([name, value]);
      }
    }
    return out;
  }

  /** Whether the module is in training mode (the default); Dropout only drops in training mode. */
  get training(): boolean {
    return this.#training;
  }

  /**
   * Sets training mode (`true`, the default) or evaluation mode on this module and every
   * module below it.
   *
   * @example
   * ```ts
   * model.train(); // dropout on
   * model.train(false); // same as model.eval()
   * ```
   */
  train(mode = true): this {
    // modulesPreorder includes this module itself.
    for (const m of modulesPreorder(this)) m.#training = mode;
    return this;
  }

  /**
   * Evaluation mode: `train(false)`. Dropout passes its input through unchanged.
   *
   * @example
   * ```ts
   * const y = model.eval().call(x);
   * ```
   */
  eval(): this {
    return this.train(false);
  }

  /**
   * Every parameter, trainable or not, keyed by dotted name. The values are the module's own
   * Variables (no copies): read or save them, but do not dispose them.
   *
   * @example
   * ```ts
   * const bytes = encodeSafetensors(model.stateDict());
   * ```
   */
  stateDict(): Record<string, Tensor> {
    const out: Record<string, Tensor> = {};
    for (const [name, v] of allVariables(this)) out[name] = v;
    return out;
  }

  /**
   * Copies values into the module's parameters (via `Variable.assign`; the dict stays the
   * caller's to dispose). Everything is checked before anything changes: on error no
   * parameter has been touched. The error lists every missing key, unexpected key and shape
   * mismatch. Float values of another float dtype are converted; other dtype differences are
   * mismatches.
   *
   * @example
   * ```ts
   * const { tensors } = decodeSafetensors(bytes);
   * model.loadStateDict(tensors);
   * dispose(tensors);
   * ```
   */
  loadStateDict(dict: Record<string, Tensor>, options: LoadStateDictOptions = {}): void {
    if (dict === null || typeof dict !== "object" || Array.isArray(dict) || dict instanceof Tensor) {
      throw new ArgumentError(`loadStateDict: got ${describeValue(dict)}, expected a record of tensors by name`);
    }
    const strict = options.strict ?? true;
    const own = allVariables(this);
    const ownNames = new Set(own.map(([name]) => name));
    const missingKeys = own.filter(([name]) => !Object.hasOwn(dict, name)).map(([name]) => name);
    const unexpectedKeys = Object.keys(dict).filter((k) => !ownNames.has(k));
    const mismatched: { key: string; expected: string; got: string }[] = [];
    const updates: Array<[Variable, Tensor]> = [];
    for (const [name, v] of own) {
      if (!Object.hasOwn(dict, name)) continue;
      const t = dict[name];
      if (!(t instanceof Tensor)) {
        mismatched.push({ key: name, expected: v.describe(), got: describeValue(t) });
        continue;
      }
      const sameShape = t.shape.length === v.shape.length && t.shape.every((d, i) => d === v.shape[i]);
      const dtypeOk = t.dtype === v.dtype || (isFloat(t.dtype) && isFloat(v.dtype));
      if (!sameShape || !dtypeOk || t.isDisposed) {
        mismatched.push({ key: name, expected: v.describe(), got: t.isDisposed ? "a disposed tensor" : t.describe() });
      } else {
        updates.push([v, t]);
      }
    }
    const problems = mismatched.length > 0 || (strict && (missingKeys.length > 0 || unexpectedKeys.length > 0));
    if (problems) {
      const lines = [`loadStateDict: the state dict does not fit ${this.constructor.name}; nothing was loaded`];
      if (strict && missingKeys.length > 0) lines.push(`  missing keys: ${missingKeys.join(", ")}`);
      if (strict && unexpectedKeys.length > 0) lines.push(`  unexpected keys: ${unexpectedKeys.join(", ")}`);
      for (const m of mismatched) lines.push(`  ${m.key}: expected ${m.expected}, got ${m.got}`);
      throw new StateDictError(lines.join("\n"), strict ? missingKeys : [], strict ? unexpectedKeys : [], mismatched);
    }
    for (const [v, t] of updates) {
      if (t.dtype === v.dtype) {
        v.assign(t);
      } else {
        using converted = cast(t, v.dtype);
        v.assign(converted);
      }
    }
  }

  /**
   * Frees every parameter of this module and the modules below it. The module is unusable
   * afterwards.
   *
   * @example
   * ```ts
   * model.dispose();
   * ```
   */
  dispose(): void {
    for (const [, v] of allVariables(this)) v.dispose();
  }

  /** Lets `using model = new Dense(...)` free the parameters at the end of a block. */
  [Symbol.dispose](): void {
    this.dispose();
  }

  /**
   * The shape `forward` returns for an input of `inputShape`; `-1` marks an unknown
   * dimension (the batch, printed `None` by {@link summary}). Layers compute it without
   * running; this default runs `forward` once on zeros (batch 1, evaluation mode, everything
   * freed afterwards) and reports the result with the leading dimension unknown again.
   *
   * @example
   * ```ts
   * new Dense(784, 128).outputShape([-1, 784]); // [-1, 128]
   * ```
   */
  outputShape(inputShape: readonly number[]): number[] {
    return traceShape(this, inputShape);
  }
}
