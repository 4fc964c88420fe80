export { activationGrad } from "./activation_grad.js";
export {
  elu,
  gelu,
  hardSigmoid,
  leakyRelu,
  logSigmoid,
  relu,
  relu6,
  selu,
  sigmoid,
  sigmoidCrossEntropyWithLogits,
  silu,
  softplus,
  softsign,
} from "./activations.js";
export { type AdamUpdate, adamUpdate } from "./adam_update.js";
export { clip, mean, norm, square, std, variance } from "./arithmetic.js";
export {
  add,
  div,
  equal,
  greater,
  greaterEqual,
  less,
  lessEqual,
  logicalAnd,
  logicalOr,
  maximum,
  minimum,
  mul,
  notEqual,
  pow,
  sub,
} from "./binary.js";
export { broadcastTo } from "./broadcast_to.js";
export { cast, clone } from "./cast.js";
export { concat } from "./concat.js";
export { dense } from "./dense.js";
export { gather, scatterAdd } from "./gather.js";
export { type MatmulOptions, matmul } from "./matmul.js";
export { pad } from "./pad.js";
export { isFinite, isNaN } from "./predicates.js";
export { argmax, argmin, max, min, sum } from "./reduce.js";
export { reshape } from "./reshape.js";
export { expandDims, flatten, split, squeeze, stack, tile, unstack } from "./shape_ops.js";
export { slice } from "./slice.js";
export { logSoftmax, logSumExp, softmax } from "./softmax.js";
export { transpose } from "./transpose.js";
export {
  abs,
  ceil,
  cos,
  exp,
  floor,
  log,
  log1p,
  logicalNot,
  neg,
  reciprocal,
  round,
  sign,
  sin,
  sqrt,
  tanh,
} from "./unary.js";
export { where } from "./where.js";
