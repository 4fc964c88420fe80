export { customGrad } from "./custom_grad.js";
export { GradcheckError, GradientError } from "./errors.js";
export { type Gradients, type GradOptions, grad, grads, valueAndGrad, valueAndGrads } from "./grad.js";
export {
  type GradcheckEntry,
  type GradcheckOptions,
  type GradcheckResult,
  gradcheck,
  gradgradcheck,
} from "./gradcheck.js";
export { noGrad, stopGradient } from "./no_grad.js";
export { defineRule, type GradientRule, TapeRecord } from "./rule.js";
export { GRADIENT_RULES } from "./rules/index.js";
export { type VjpResult, vjp } from "./vjp.js";
