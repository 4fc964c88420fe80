import { IdxError } from "./idx_error.js";

/**
 * The element types an IDX file can hold, named after their C types.
 *
 * @example
 * ```ts
 * const t: IdxDType = "ubyte"; // MNIST pixels and labels
 * ```
 */
export type IdxDType = "ubyte" | "byte" | "short" | "int" | "float" | "double";

/**
 * The typed array that holds each IDX dtype.
 *
 * @example
 * ```ts
 * const pixels: IdxTypedArrayFor<"ubyte"> = new Uint8Array(784);
 * ```
 */
export type IdxTypedArrayFor<D extends IdxDType> = {
  ubyte: Uint8Array;
  byte: Int8Array;
  short: Int16Array;
  int: Int32Array;
  float: Float32Array;
  double: Float64Array;
}[D];

/**
 * Any typed array an IDX file decodes to.
 *
 * @example
 * ```ts
 * const data: IdxTypedArray = new Int16Array([1, -2]);
 * ```
 */
export type IdxTypedArray = IdxTypedArrayFor<IdxDType>;

/**
 * A decoded IDX file: element type, dimensions (outermost first) and the elements in
 * row-major order, already converted from big-endian to native numbers.
 *
 * @example
 * ```ts
 * const { dtype, shape, data } = parseIdx(bytes); // "ubyte", [60000, 28, 28], Uint8Array
 * ```
 */
export interface IdxArray<D extends IdxDType = IdxDType> {
  dtype: D;
  shape: number[];
  data: IdxTypedArrayFor<D>;
}

/**
 * How one IDX element type is stored: its type code in the magic number and its byte size.
 *
 * @example
 * ```ts
 * IDX_DTYPES.ubyte.size; // 1
 * ```
 */
export interface IdxDTypeInfo {
  /** The third byte of the magic number. */
  code: number;
  /** Bytes per element (big-endian in the file). */
  size: number;
}

/**
 * The IDX type codes (third byte of the magic number) and element sizes, from the format's
 * definition on Yann LeCun's MNIST page.
 *
 * @example
 * ```ts
 * IDX_DTYPES.float; // { code: 0x0d, size: 4 }
 * ```
 */
export const IDX_DTYPES: Readonly<Record<IdxDType, Readonly<IdxDTypeInfo>>> = Object.freeze({
  ubyte: { code: 0x08, size: 1 },
  byte: { code: 0x09, size: 1 },
  short: { code: 0x0b, size: 2 },
  int: { code: 0x0c, size: 4 },
  float: { code: 0x0d, size: 4 },
  double: { code: 0x0e, size: 8 },
});

const BY_CODE = new Map<number, IdxDType>(
  (Object.keys(IDX_DTYPES) as IdxDType[]).map((name) => [IDX_DTYPES[name].code, name]),
);

function alloc(dtype: IdxDType, n: number): IdxTypedArray {
  switch (dtype) {
    case "ubyte":
      return new Uint8Array(n);
    case "byte":
      return new Int8Array(n);
    case "short":
      return new Int16Array(n);
    case "int":
      return new Int32Array(n);
    case "float":
      return new Float32Array(n);
    case "double":
      return new Float64Array(n);
  }
}

function hex(n: number): string {
  return `0x${n.toString(16).padStart(2, "0")}`;
}

/**
 * Decodes an IDX file (the format MNIST ships in): a magic number `00 00 <dtype> <ndim>`,
 * `ndim` big-endian uint32 dimensions, then the elements big-endian in row-major order.
 * Everything is validated before any element is read — the zero bytes, the dtype code, each
 * dimension, and that the data is exactly as long as the dimensions say — so a truncated or
 * corrupt file throws an {@link IdxError} and nothing past the buffer is touched.
 * Single-byte data is copied, so the result never aliases `bytes`.
 *
 * @example
 * ```ts
 * import { readFileSync } from "node:fs";
 * const labels = parseIdx(readFileSync("train-labels-idx1-ubyte"));
 * labels.shape; // [60000]
 * labels.data[0]; // 5
 * ```
 */
export function parseIdx(bytes: Uint8Array): IdxArray {
  if (bytes.length < 4) {
    throw new IdxError("length", `parseIdx: ${bytes.length} bytes is too short for the 4-byte magic number`);
  }
  if (bytes[0] !== 0 || bytes[1] !== 0) {
    throw new IdxError(
      "magic",
      `parseIdx: magic number starts ${hex(bytes[0] as number)} ${hex(bytes[1] as number)}, expected 0x00 0x00 (not an IDX file, or still gzip-compressed)`,
    );
  }
  const code = bytes[2] as number;
  const dtype = BY_CODE.get(code);
  if (dtype === undefined) {
    throw new IdxError(
      "dtype",
      `parseIdx: unknown dtype code ${hex(code)}, expected one of 0x08 0x09 0x0b 0x0c 0x0d 0x0e`,
    );
  }
  const ndim = bytes[3] as number;
  const headerLength = 4 + 4 * ndim;
  if (bytes.length < headerLength) {
    throw new IdxError(
      "length",
      `parseIdx: ${bytes.length} bytes cannot hold the header of ${ndim} dimensions (${headerLength} bytes)`,
    );
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const shape: number[] = [];
  let count = 1;
  for (let i = 0; i < ndim; i++) {
    // IDX dimensions are unsigned 32-bit; anything beyond int32 range cannot index a JS typed array.
    const d = view.getUint32(4 + 4 * i, false);
    if (d > 0x7fffffff) throw new IdxError("dims", `parseIdx: dimension ${i} is ${d}, larger than 2^31 - 1`);
    shape.push(d);
    count *= d;
  }
  const { size } = IDX_DTYPES[dtype];
  const expected = headerLength + count * size;
  if (bytes.length !== expected) {
    const what = bytes.length < expected ? "truncated" : "has trailing bytes";
    throw new IdxError(
      "length",
      `parseIdx: file ${what}: ${bytes.length} bytes, but dtype ${dtype} with shape [${shape.join(", ")}] needs ${expected}`,
    );
  }
  const data = alloc(dtype, count);
  if (size === 1) {
    (data as Uint8Array | Int8Array).set(
      dtype === "ubyte"
        ? bytes.subarray(headerLength)
        : new Int8Array(bytes.buffer, bytes.byteOffset + headerLength, count),
    );
  } else {
    for (let i = 0, off = headerLength; i < count; i++, off += size) {
      switch (dtype) {
        case "short":
          data[i] = view.getInt16(off, false);
          break;
        case "int":
          data[i] = view.getInt32(off, false);
          break;
        case "float":
          data[i] = view.getFloat32(off, false);
          break;
        default:
          data[i] = view.getFloat64(off, false);
      }
    }
  }
  return { dtype, shape, data };
}

/**
 * Encodes an array as an IDX file (big-endian), the inverse of {@link parseIdx}. Values are
 * stored as the typed array's element type would store them (a `short` keeps the low 16
 * bits); the data length must equal the product of `shape`.
 *
 * @example
 * ```ts
 * const bytes = encodeIdx({ dtype: "ubyte", shape: [2, 2], data: new Uint8Array([0, 1, 2, 3]) });
 * parseIdx(bytes).shape; // [2, 2]
 * ```
 */
export function encodeIdx(array: IdxArray): Uint8Array {
  const { dtype, shape, data } = array;
  const info = IDX_DTYPES[dtype];
  if (info === undefined) throw new IdxError("dtype", `encodeIdx: unknown dtype "${dtype}"`);
  if (shape.length > 255) throw new IdxError("dims", `encodeIdx: ${shape.length} dimensions, at most 255 fit`);
  let count = 1;
  for (const d of shape) {
    if (!Number.isInteger(d) || d < 0 || d > 0x7fffffff) {
      throw new IdxError("dims", `encodeIdx: dimension ${d} is not an integer in [0, 2^31 - 1]`);
    }
    count *= d;
  }
  if (data.length !== count) {
    throw new IdxError("length", `encodeIdx: ${data.length} values do not fill shape [${shape.join(", ")}]`);
  }
  const headerLength = 4 + 4 * shape.length;
  const out = new Uint8Array(headerLength + count * info.size);
  const view = new DataView(out.buffer);
  out[2] = info.code;
  out[3] = shape.length;
  shape.forEach((d, i) => {
    view.setUint32(4 + 4 * i, d, false);
  });
  for (let i = 0, off = headerLength; i < count; i++, off += info.size) {
    const v = data[i] as number;
    switch (dtype) {
      case "ubyte":
        view.setUint8(off, v);
        break;
      case "byte":
        view.setInt8(off, v);
        break;
      case "short":
        view.setInt16(off, v, false);
        break;
      case "int":
        view.setInt32(off, v, false);
        break;
      case "float":
        view.setFloat32(off, v, false);
        break;
      default:
        view.setFloat64(off, v, false);
    }
  }
  return out;
}
