// @tapegrad/nn/node: file helpers that need Node's fs; the main entry stays browser-safe.
import { readFile, rename, rm, writeFile } from "node:fs/promises";
import { ArgumentError, dispose, isFloat, TapegradError, type Tensor } from "@tapegrad/core";
import type { LoadStateDictOptions, Module } from "./module.js";
import type { Optimizer, OptimizerState } from "./optimizers/optimizer.js";
import { type DecodedSafetensors, decodeSafetensors } from "./safetensors/decode.js";
import { encodeSafetensors } from "./safetensors/encode.js";

/**
 * Writes named tensors to a safetensors file. The bytes go to a temporary file beside `path`
 * that is then renamed over it, so an interrupted save never leaves a half-written file
 * under the real name.
 *
 * @example
 * ```ts
 * import { saveSafetensors } from "@tapegrad/nn/node";
 * await saveSafetensors("weights.safetensors", model.stateDict(), { epoch: "20" });
 * ```
 */
export async function saveSafetensors(
  path: string,
  dict: Record<string, Tensor>,
  metadata?: Record<string, string>,
): Promise<void> {
  const bytes = encodeSafetensors(dict, metadata);
  const tmp = `${path}.${process.pid}.${Date.now()}.tmp`;
  try {
    await writeFile(tmp, bytes);
    await rename(tmp, path);
  } catch (e) {
    await rm(tmp, { force: true });
    throw e;
  }
}

/**
 * Reads a safetensors file (any writer's: PyTorch's `safetensors.torch.save_file`, ours) into
 * tensors on the current backend; the caller owns them. A malformed file is a
 * `SafetensorsError`.
 *
 * @example
 * ```ts
 * import { loadSafetensors } from "@tapegrad/nn/node";
 * const { tensors, metadata } = await loadSafetensors("weights.safetensors");
 * ```
 */
export async function loadSafetensors(path: string): Promise<DecodedSafetensors> {
  return decodeSafetensors(await readFile(path));
}

/**
 * Saves a module's state dict (every parameter, by dotted name) as a safetensors file.
 *
 * @example
 * ```ts
 * import { saveModel } from "@tapegrad/nn/node";
 * await saveModel("autoencoder.safetensors", model);
 * ```
 */
export async function saveModel(path: string, module: Module, metadata?: Record<string, string>): Promise<void> {
  await saveSafetensors(path, module.stateDict(), metadata);
}

/**
 * Loads a safetensors file into a module's parameters with `loadStateDict` (strict by default:
 * every key must match) and frees the decoded tensors. Returns the module. On a mismatch the
 * module is left unchanged and the error lists every problem.
 *
 * @example
 * ```ts
 * import { loadModel } from "@tapegrad/nn/node";
 * await loadModel("autoencoder.safetensors", model);
 * ```
 */
export async function loadModel<M extends Module>(
  path: string,
  module: M,
  options: LoadStateDictOptions = {},
): Promise<M> {
  const { tensors } = await loadSafetensors(path);
  try {
    module.loadStateDict(tensors, options);
  } finally {
    dispose(tensors);
  }
  return module;
}

/**
 * An optimizer file that does not fit the optimizer {@link loadOptimizer} was given: not an
 * optimizer file at all, one written for another optimizer type, or one whose entries differ
 * (slot tensors missing, unexpected or of another shape; hyperparameters with other values;
 * unreadable numbers). The message lists every problem at once and the optimizer is left
 * unchanged; the lists are also kept as fields.
 *
 * @example
 * ```ts
 * try {
 *   await loadOptimizer("adam.safetensors", optimizer);
 * } catch (e) {
 *   if (e instanceof OptimizerFileError) console.log(e.missingKeys, e.unexpectedKeys, e.mismatched);
 * }
 * ```
 */
export class OptimizerFileError extends TapegradError {
  constructor(
    message: string,
    /** The file that was read. */
    readonly path: string,
    /** Entries the optimizer has and the file lacks. */
    readonly missingKeys: readonly string[],
    /** Entries of the file that the optimizer does not have. */
    readonly unexpectedKeys: readonly string[],
    /**
     * Entries on both sides that disagree (`"optimizer"` for the type, a hyperparameter's name,
     * a slot tensor's key), with a description of each side.
     */
    readonly mismatched: readonly { key: string; expected: string; got: string }[],
    options?: { cause?: unknown },
  ) {
    super(message);
    if (options !== undefined && "cause" in options) this.cause = options.cause;
  }
}

// The __metadata__ keys of an optimizer file; every value is a string (safetensors allows no
// other), the numbers as JSON.
const OPTIMIZER_FORMAT = "tapegrad.optimizer";
const META = { format: "format", type: "optimizer", numbers: "state", hyper: "hyperparameters" } as const;

/** The optimizer's class name, which a file must match (`AdamW` is not `Adam`). */
function optimizerType(optimizer: Optimizer): string {
  return optimizer.constructor.name;
}

/**
 * The optimizer's hyperparameters: its own public number and boolean fields other than
 * `learningRate` (which is part of the state dict), e.g. Adam's `beta1`, `beta2`, `epsilon`.
 */
function hyperparameters(optimizer: Optimizer): Record<string, number | boolean> {
  const out: Record<string, number | boolean> = {};
  for (const [k, v] of Object.entries(optimizer)) {
    if (k !== "learningRate" && (typeof v === "number" || typeof v === "boolean")) out[k] = v;
  }
  return out;
}

function splitState(state: OptimizerState): { numbers: Record<string, number>; tensors: Record<string, Tensor> } {
  const numbers: Record<string, number> = {};
  const tensors: Record<string, Tensor> = {};
  for (const [k, v] of Object.entries(state)) {
    if (typeof v === "number") numbers[k] = v;
    else tensors[k] = v;
  }
  return { numbers, tensors };
}

/**
 * Saves an optimizer's state (its {@link Optimizer.stateDict}) as a safetensors file: the
 * slot tensors (`"m.0"`, `"v.0"`, ...) as entries, and in `__metadata__` the optimizer's type,
 * the numbers of the state (`iterations`, `learningRate`) and its hyperparameters, as JSON
 * strings. Together with {@link saveModel} this is what resuming training needs; the write is
 * atomic like {@link saveSafetensors}'.
 *
 * @example
 * ```ts
 * import { saveModel, saveOptimizer } from "@tapegrad/nn/node";
 * await saveModel("model.safetensors", model);
 * await saveOptimizer("optimizer.safetensors", optimizer);
 * ```
 */
export async function saveOptimizer(path: string, optimizer: Optimizer): Promise<void> {
  const { numbers, tensors } = splitState(optimizer.stateDict());
  try {
    const hyper = hyperparameters(optimizer);
    for (const [k, v] of Object.entries({ ...numbers, ...hyper })) {
      if (typeof v === "number" && !Number.isFinite(v)) {
        throw new ArgumentError(`saveOptimizer: "${k}" is ${v}; only finite numbers can be saved`);
      }
    }
    await saveSafetensors(path, tensors, {
      [META.format]: OPTIMIZER_FORMAT,
      [META.type]: optimizerType(optimizer),
      [META.numbers]: JSON.stringify(numbers),
      [META.hyper]: JSON.stringify(hyper),
    });
  } finally {
    dispose(tensors);
  }
}

function parseRecord(text: string | undefined): Record<string, unknown> | undefined {
  if (text === undefined) return undefined;
  try {
    const v: unknown = JSON.parse(text);
    return v !== null && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function describeEntry(v: unknown): string {
  return typeof v === "number" || typeof v === "boolean" ? String(v) : JSON.stringify(v);
}

/**
 * Loads a file written by {@link saveOptimizer} into an optimizer of the same type over
 * parameters of the same shapes (e.g. a fresh one built over the model {@link loadModel}
 * filled), so training continues exactly where it stopped. Everything is checked before
 * anything changes: a file of another optimizer type, with other hyperparameters, or with
 * missing, unexpected or misshapen entries is an {@link OptimizerFileError} listing every
 * problem, and the optimizer is left as it was. Slot tensors of another float dtype are
 * converted. Returns the optimizer.
 *
 * @example
 * ```ts
 * import { loadModel, loadOptimizer } from "@tapegrad/nn/node";
 * await loadModel("model.safetensors", model);
 * const optimizer = await loadOptimizer("optimizer.safetensors", new Adam(model.parameters()));
 * ```
 */
export async function loadOptimizer<O extends Optimizer>(path: string, optimizer: O): Promise<O> {
  // The optimizer's own state names the entries the file must have (new handles, no copies).
  const current = splitState(optimizer.stateDict());
  let tensors: Record<string, Tensor> = {};
  try {
    const file = await loadSafetensors(path);
    tensors = file.tensors;
    const type = optimizerType(optimizer);
    const missing: string[] = [];
    const unexpected: string[] = [];
    const mismatched: { key: string; expected: string; got: string }[] = [];
    const refuse = (problem: string, details: readonly string[] = [], cause?: unknown): never => {
      const message = [`loadOptimizer: ${path} ${problem}; nothing was loaded`, ...details].join("\n");
      throw new OptimizerFileError(
        message,
        path,
        missing,
        unexpected,
        mismatched,
        cause === undefined ? {} : { cause },
      );
    };

    if (file.metadata[META.format] !== OPTIMIZER_FORMAT) {
      refuse(`is not an optimizer file (saveOptimizer writes "${META.format}": "${OPTIMIZER_FORMAT}" in its metadata)`);
    }
    const fileType = file.metadata[META.type] ?? "nothing";
    if (fileType !== type) {
      mismatched.push({ key: "optimizer", expected: type, got: fileType });
      refuse(`holds ${fileType} state, not ${type} state`);
    }
    const numbers = parseRecord(file.metadata[META.numbers]);
    const hyper = parseRecord(file.metadata[META.hyper]);
    if (numbers === undefined || hyper === undefined) {
      refuse(`has unreadable "${META.numbers}" or "${META.hyper}" metadata (each must be a JSON object)`);
      return optimizer; // unreachable: for the type checker
    }

    // The numbers of the state (iterations, learningRate): present, and numbers.
    for (const k of Object.keys(current.numbers)) {
      if (!Object.hasOwn(numbers, k)) missing.push(k);
      else if (typeof numbers[k] !== "number") {
        mismatched.push({ key: k, expected: "a number", got: describeEntry(numbers[k]) });
      }
    }
    // Hyperparameters: the same values, or training would not continue the same way.
    const own = hyperparameters(optimizer);
    for (const [k, v] of Object.entries(own)) {
      if (!Object.hasOwn(hyper, k)) missing.push(k);
      else if (hyper[k] !== v) mismatched.push({ key: k, expected: String(v), got: describeEntry(hyper[k]) });
    }
    // Slot tensors: every key, the same shape, a float dtype (another float dtype is converted).
    for (const [k, t] of Object.entries(current.tensors)) {
      const got = tensors[k];
      if (got === undefined || !Object.hasOwn(tensors, k)) missing.push(k);
      else if (!isFloat(got.dtype) || got.rank !== t.rank || got.shape.some((d, i) => d !== t.shape[i])) {
        mismatched.push({ key: k, expected: t.describe(), got: got.describe() });
      }
    }
    for (const k of Object.keys(numbers)) if (!Object.hasOwn(current.numbers, k)) unexpected.push(k);
    for (const k of Object.keys(hyper)) if (!Object.hasOwn(own, k)) unexpected.push(k);
    for (const k of Object.keys(tensors)) if (!Object.hasOwn(current.tensors, k)) unexpected.push(k);
    if (missing.length > 0 || unexpected.length > 0 || mismatched.length > 0) {
      const details: string[] = [];
      if (missing.length > 0) details.push(`  missing: ${missing.join(", ")}`);
      if (unexpected.length > 0) details.push(`  unexpected: ${unexpected.join(", ")}`);
      for (const m of mismatched) details.push(`  ${m.key}: expected ${m.expected}, got ${m.got}`);
      refuse(`does not fit this ${type}`, details);
    }

    const state: OptimizerState = { ...(numbers as Record<string, number>), ...tensors };
    try {
      // Checks everything again (that iterations is a non-negative integer, ...) before it writes.
      optimizer.loadStateDict(state);
    } catch (e) {
      refuse("was refused", [`  ${e instanceof Error ? e.message : String(e)}`], e);
    }
    return optimizer;
  } finally {
    dispose([tensors, current.tensors]);
  }
}
