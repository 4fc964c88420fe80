// The Module half of @tapegrad/nn: modules, layers, activations, initializers, summary and
// safetensors. Losses, optimizers and training live in ./training.ts.
export { type ActivationName, type ActivationSpec, activations, getActivation, linear, maxout } from "./activations.js";
export { functionalCall } from "./functional_call.js";
export {
  computeFans,
  constant,
  glorotNormal,
  glorotUniform,
  heNormal,
  heUniform,
  type Initializer,
  type InitializerOptions,
  initializers,
  normal,
  onesInitializer,
  uniform,
  zerosInitializer,
} from "./initializers/index.js";
export { Activation, ELU, LeakyReLU, Linear, ReLU, Sigmoid, Softmax, Tanh } from "./layers/activation.js";
export { Dense, type DenseOptions } from "./layers/dense.js";
export { Dropout } from "./layers/dropout.js";
export { Flatten } from "./layers/flatten.js";
export { Maxout } from "./layers/maxout.js";
export { Reshape } from "./layers/reshape.js";
export { Sequential, sequential } from "./layers/sequential.js";
export { type LoadStateDictOptions, Module } from "./module.js";
export { parameter } from "./parameter.js";
export {
  type DecodedSafetensors,
  decodeSafetensors,
  encodeSafetensors,
  SafetensorsError,
} from "./safetensors/index.js";
export { StateDictError } from "./state_dict_error.js";
export { printSummary, summary } from "./summary.js";
