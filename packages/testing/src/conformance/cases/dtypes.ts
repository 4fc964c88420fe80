import type { DType } from "@tapegrad/core";

/** Every dtype core knows; a case for one the backend does not declare is skipped. */
export const ALL: readonly DType[] = ["bool", "int32", "float32", "float64"];
/** Numeric dtypes. */
export const NUMERIC: readonly DType[] = ["int32", "float32", "float64"];
/** Float dtypes. */
export const FLOATS: readonly DType[] = ["float32", "float64"];

/** NumPy-style promotion over bool < int32 < float32 < float64 (core's documented rule). */
export function promote(a: DType, b: DType): DType {
  return ALL.indexOf(a) >= ALL.indexOf(b) ? a : b;
}
