// @tapegrad/nn/node: file helpers that need Node's fs; the main entry stays browser-safe.
import { readFile, rename, rm, writeFile } from "node:fs/promises";
import { dispose, type Tensor } from "@tapegrad/core";
import type { LoadStateDictOptions, Module } from "./module.js";
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
