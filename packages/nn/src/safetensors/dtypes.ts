import type { DType } from "@tapegrad/core";

/** The safetensors dtype tag for each tapegrad dtype (bool is one byte per element). */
export const SAFETENSORS_DTYPE: Readonly<Record<DType, string>> = {
  float32: "F32",
  float64: "F64",
  int32: "I32",
  bool: "BOOL",
};

/** Tags defined by the format that tapegrad has no dtype for; named in the error message. */
export const UNSUPPORTED_TAGS: ReadonlySet<string> = new Set([
  "F16",
  "BF16",
  "F8_E4M3",
  "F8_E5M2",
  "I8",
  "I16",
  "I64",
  "U8",
  "U16",
  "U32",
  "U64",
]);

/** The reference implementation refuses headers over 100 MB, so a corrupt length cannot exhaust memory. */
export const MAX_HEADER_BYTES = 100_000_000;

/** Everything is 8-byte aligned: the header is padded with spaces to a multiple of 8. */
export const ALIGNMENT = 8;
