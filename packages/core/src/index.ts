export {
  type AdamHyper,
  BACKEND_KERNEL_METHODS,
  type Backend,
  type BackendCapabilities,
  type BinaryOp,
  type DataId,
  type FusedActivation,
  type FusedKernels,
  type ReduceOp,
  type TensorInfo,
  type UnaryOp,
} from "./backend.js";
export { OP_CATALOGUE, type OpInfo, opInfo } from "./catalogue.js";
export {
  arange,
  eye,
  full,
  linspace,
  oneHot,
  ones,
  onesLike,
  scalar,
  type TensorOptions,
  tensor,
  zeros,
  zerosLike,
} from "./creation.js";
export {
  allocTypedArray,
  assertDType,
  bytesPerElement,
  DTYPES,
  type DType,
  dtypeOfTypedArray,
  FLOAT_DTYPES,
  isFloat,
  NUMERIC_DTYPES,
  promoteTypes,
  type TypedArray,
  type TypedArrayFor,
} from "./dtype.js";
export {
  type FusedCall,
  getBackend,
  getOpObserver,
  type OpAttrs,
  type OpObserver,
  runComposite,
  runFusable,
  runOp,
  setBackend,
  setDebugMode,
  setOpObserver,
} from "./engine.js";
export { ArgumentError, BackendError, DisposedError, DTypeError, ShapeError, TapegradError } from "./errors.js";
export { formatTensor } from "./format.js";
export {
  dispose,
  formatLeaks,
  keep,
  liveTensors,
  type MemoryInfo,
  MemoryScope,
  memory,
  resetPeakBytes,
  type TensorContainer,
  tidy,
} from "./memory.js";
export * from "./ops/index.js";
export { type RandomOptions, Rng, randomNormal, randomUniform, setSeed, truncatedNormal } from "./random.js";
export {
  assertShape,
  broadcastShapes,
  formatShape,
  normalizeAxes,
  normalizeAxis,
  type Shape,
  shapesEqual,
  sizeOf,
  stridesOf,
} from "./shape.js";
export { type NestedArray, Tensor, type TensorLike } from "./tensor.js";
export { Variable, variable } from "./variable.js";
