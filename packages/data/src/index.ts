export { type BatchOptions, batches, gatherBatch } from "./batches.js";
export {
  encodeIdx,
  IDX_DTYPES,
  type IdxArray,
  type IdxDType,
  type IdxDTypeInfo,
  type IdxTypedArray,
  type IdxTypedArrayFor,
  parseIdx,
} from "./idx.js";
export { IdxError, type IdxErrorReason } from "./idx_error.js";
