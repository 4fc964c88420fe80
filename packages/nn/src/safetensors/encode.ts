import { bytesPerElement, Tensor } from "@tapegrad/core";
import { describeValue } from "../describe_value.js";
import { ALIGNMENT, SAFETENSORS_DTYPE } from "./dtypes.js";
import { SafetensorsError } from "./errors.js";

/**
 * Serialises named tensors to the safetensors format — the weights format PyTorch, JAX and
 * Hugging Face tools read: an 8-byte little-endian header length, a JSON header
 * `{name: {dtype, shape, data_offsets: [begin, end]}, "__metadata__": {...}}` padded with spaces
 * to a multiple of 8 bytes (as the reference implementation writes it), then each tensor's
 * elements, little-endian and contiguous, in header order. Supports float32 (`F32`),
 * float64 (`F64`), int32 (`I32`) and bool (`BOOL`, one byte each). Reads the tensors
 * synchronously; disposes nothing.
 *
 * @param dict - the tensors by name (a module's `stateDict()` fits).
 * @param metadata - optional string-to-string notes stored under `__metadata__`.
 *
 * @example
 * ```ts
 * const bytes = encodeSafetensors(model.stateDict(), { format: "pt" });
 * ```
 */
export function encodeSafetensors(dict: Record<string, Tensor>, metadata?: Record<string, string>): Uint8Array {
  if (dict === null || typeof dict !== "object" || Array.isArray(dict)) {
    throw new SafetensorsError(`encodeSafetensors: got ${describeValue(dict)}, expected a record of tensors by name`);
  }
  const header: Record<string, unknown> = {};
  if (metadata !== undefined) {
    for (const [k, v] of Object.entries(metadata)) {
      if (typeof v !== "string") {
        throw new SafetensorsError(`encodeSafetensors: metadata "${k}" is a ${typeof v}, expected a string`);
      }
    }
    header["__metadata__"] = { ...metadata };
  }
  const entries = Object.entries(dict);
  let offset = 0;
  for (const [name, t] of entries) {
    if (name === "__metadata__") throw new SafetensorsError('encodeSafetensors: "__metadata__" cannot name a tensor');
    if (!(t instanceof Tensor) || t.isDisposed) {
      const got = t instanceof Tensor ? `a disposed ${t.describe()}` : describeValue(t);
      throw new SafetensorsError(`encodeSafetensors: "${name}" is ${got}, expected a live Tensor`);
    }
    const bytes = t.size * bytesPerElement(t.dtype);
    // defineProperty, so even a tensor named "__proto__" becomes an ordinary key.
    Object.defineProperty(header, name, {
      value: { dtype: SAFETENSORS_DTYPE[t.dtype], shape: [...t.shape], data_offsets: [offset, offset + bytes] },
      enumerable: true,
    });
    offset += bytes;
  }
  const json = new TextEncoder().encode(JSON.stringify(header));
  const padding = (ALIGNMENT - (json.length % ALIGNMENT)) % ALIGNMENT;
  const headerLength = json.length + padding;
  const out = new Uint8Array(8 + headerLength + offset);
  const view = new DataView(out.buffer);
  view.setBigUint64(0, BigInt(headerLength), true);
  out.set(json, 8);
  out.fill(0x20, 8 + json.length, 8 + headerLength);
  let at = 8 + headerLength;
  for (const [, t] of entries) {
    const data = t.dataSync();
    // DataView writes little-endian whatever the host's byte order.
    switch (t.dtype) {
      case "float32":
        for (let i = 0; i < data.length; i++, at += 4) view.setFloat32(at, data[i] as number, true);
        break;
      case "float64":
        for (let i = 0; i < data.length; i++, at += 8) view.setFloat64(at, data[i] as number, true);
        break;
      case "int32":
        for (let i = 0; i < data.length; i++, at += 4) view.setInt32(at, data[i] as number, true);
        break;
      case "bool":
        for (let i = 0; i < data.length; i++, at += 1) out[at] = data[i] ? 1 : 0;
        break;
    }
  }
  return out;
}
