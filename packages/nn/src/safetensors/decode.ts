import { allocTypedArray, bytesPerElement, type DType, type Tensor, tensor } from "@tapegrad/core";
import { MAX_HEADER_BYTES, SAFETENSORS_DTYPE, UNSUPPORTED_TAGS } from "./dtypes.js";
import { SafetensorsError } from "./errors.js";

/**
 * What {@link decodeSafetensors} returns: the tensors by name (the caller owns them) and the
 * `__metadata__` strings (empty when the file has none).
 *
 * @example
 * ```ts
 * const { tensors, metadata }: DecodedSafetensors = decodeSafetensors(bytes);
 * ```
 */
export interface DecodedSafetensors {
  tensors: Record<string, Tensor>;
  metadata: Record<string, string>;
}

interface Entry {
  name: string;
  dtype: DType;
  shape: number[];
  begin: number;
  end: number;
}

const DTYPE_OF_TAG = new Map<string, DType>(Object.entries(SAFETENSORS_DTYPE).map(([d, tag]) => [tag, d as DType]));

/** Sets an own property even for a name like "__proto__", which plain assignment would not. */
function setOwn<T>(target: Record<string, T>, key: string, value: T): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

function fail(message: string): never {
  throw new SafetensorsError(`decodeSafetensors: ${message}`);
}

function isIndex(v: unknown): v is number {
  return typeof v === "number" && Number.isSafeInteger(v) && v >= 0;
}

function parseEntry(name: string, info: unknown): Entry {
  if (info === null || typeof info !== "object" || Array.isArray(info)) {
    fail(`tensor "${name}": header entry is not an object`);
  }
  const { dtype: tag, shape, data_offsets: offsets } = info as Record<string, unknown>;
  if (typeof tag !== "string") fail(`tensor "${name}": dtype is missing or not a string`);
  const dtype = DTYPE_OF_TAG.get(tag);
  if (dtype === undefined) {
    fail(
      UNSUPPORTED_TAGS.has(tag)
        ? `tensor "${name}": dtype ${tag} is valid safetensors but tapegrad has no such dtype (it reads F32, F64, I32, BOOL)`
        : `tensor "${name}": unknown dtype ${JSON.stringify(tag)}`,
    );
  }
  if (!Array.isArray(shape) || !shape.every(isIndex)) {
    fail(`tensor "${name}": shape must be an array of non-negative integers, got ${JSON.stringify(shape)}`);
  }
  if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every(isIndex)) {
    fail(
      `tensor "${name}": data_offsets must be [begin, end] with non-negative integers, got ${JSON.stringify(offsets)}`,
    );
  }
  const [begin, end] = offsets as [number, number];
  if (end < begin) fail(`tensor "${name}": data_offsets [${begin}, ${end}] end before they begin`);
  let elements = 1;
  for (const d of shape as number[]) elements *= d;
  const expected = elements * bytesPerElement(dtype);
  if (!Number.isSafeInteger(expected) || expected !== end - begin) {
    fail(
      `tensor "${name}": shape [${(shape as number[]).join(",")}] of ${tag} needs ${expected} bytes but data_offsets ` +
        `[${begin}, ${end}] hold ${end - begin}`,
    );
  }
  return { name, dtype, shape: shape as number[], begin, end };
}

function parseMetadata(value: unknown): Record<string, string> {
  if (value === null) return {};
  if (typeof value !== "object" || Array.isArray(value)) fail("__metadata__ must be an object of strings");
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    if (typeof v !== "string") fail(`__metadata__ "${k}" is not a string`);
    setOwn(out, k, v);
  }
  return out;
}

function readHeader(bytes: Uint8Array): { header: Record<string, unknown>; dataStart: number } {
  if (bytes.length < 8) fail(`got ${bytes.length} bytes; a file needs at least the 8-byte header length`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const length = view.getBigUint64(0, true);
  if (length > BigInt(MAX_HEADER_BYTES)) fail(`header length ${length} exceeds the ${MAX_HEADER_BYTES}-byte limit`);
  const n = Number(length);
  if (8 + n > bytes.length) fail(`header length ${n} runs past the end of the ${bytes.length}-byte buffer`);
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes.subarray(8, 8 + n));
  } catch {
    fail("header is not valid UTF-8");
  }
  // The reference implementation requires the JSON to open the header; so do we.
  if (!text.startsWith("{")) fail("header does not start with a JSON object");
  let header: unknown;
  try {
    header = JSON.parse(text);
  } catch (e) {
    fail(`header is not valid JSON (${(e as Error).message})`);
  }
  if (header === null || typeof header !== "object" || Array.isArray(header)) fail("header is not a JSON object");
  return { header: header as Record<string, unknown>, dataStart: 8 + n };
}

/** Offsets must tile the data section exactly: sorted, each starting where the last ended. */
function checkLayout(entries: readonly Entry[], dataLength: number): void {
  const sorted = [...entries].sort((a, b) => a.begin - b.begin || a.end - b.end);
  let at = 0;
  for (const e of sorted) {
    if (e.begin < at) fail(`tensor "${e.name}": data_offsets [${e.begin}, ${e.end}] overlap the previous tensor`);
    if (e.begin > at) fail(`tensor "${e.name}": data_offsets leave bytes ${at}..${e.begin} unused`);
    at = e.end;
  }
  if (at !== dataLength) {
    fail(
      at > dataLength
        ? `tensors need ${at} data bytes but the buffer holds ${dataLength}`
        : `tensors cover ${at} data bytes but the buffer holds ${dataLength}`,
    );
  }
}

function readTensor(view: DataView, base: number, e: Entry): Tensor {
  const n = (e.end - e.begin) / bytesPerElement(e.dtype);
  const data = allocTypedArray(e.dtype, n);
  const at = base + e.begin;
  switch (e.dtype) {
    case "float32":
      for (let i = 0; i < n; i++) data[i] = view.getFloat32(at + 4 * i, true);
      break;
    case "float64":
      for (let i = 0; i < n; i++) data[i] = view.getFloat64(at + 8 * i, true);
      break;
    case "int32":
      for (let i = 0; i < n; i++) data[i] = view.getInt32(at + 4 * i, true);
      break;
    case "bool":
      for (let i = 0; i < n; i++) data[i] = view.getUint8(at + i) !== 0 ? 1 : 0;
      break;
  }
  return tensor(data, { shape: e.shape, dtype: e.dtype });
}

/**
 * Parses a safetensors buffer into tensors on the current backend. The whole header is
 * validated before any tensor is made — length within the buffer and at most 100 MB, UTF-8
 * JSON object, known dtypes, offsets that tile the data section exactly with no gap or
 * overlap, byte lengths that match the shapes — and any violation is a
 * {@link SafetensorsError}; nothing is read outside `bytes`. The caller owns the returned
 * tensors.
 *
 * @example
 * ```ts
 * const { tensors, metadata } = decodeSafetensors(bytes);
 * model.loadStateDict(tensors);
 * dispose(tensors);
 * ```
 */
export function decodeSafetensors(bytes: Uint8Array): DecodedSafetensors {
  if (!(bytes instanceof Uint8Array)) throw new SafetensorsError("decodeSafetensors: expected a Uint8Array");
  const { header, dataStart } = readHeader(bytes);
  let metadata: Record<string, string> = {};
  const entries: Entry[] = [];
  for (const [name, info] of Object.entries(header)) {
    if (name === "__metadata__") metadata = parseMetadata(info);
    else entries.push(parseEntry(name, info));
  }
  checkLayout(entries, bytes.length - dataStart);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const tensors: Record<string, Tensor> = {};
  try {
    for (const e of entries) setOwn(tensors, e.name, readTensor(view, dataStart, e));
  } catch (err) {
    for (const t of Object.values(tensors)) t.dispose();
    throw err;
  }
  return { tensors, metadata };
}
