export {
  axesArb,
  axisArb,
  broadcastPairArb,
  broadcastShapesArb,
  permutationArb,
  type ShapeOptions,
  shapeArb,
  type TensorArbOptions,
  tensorArb,
  type ValueOptions,
  valuesArb,
} from "./arbitraries.js";
export { type CloseOptions, expectClose, isClose } from "./close.js";
export { CONFORMANCE_CASES } from "./conformance/cases/index.js";
export { type ConformanceOptions, describeConformance } from "./conformance/describe_conformance.js";
export type { ConformanceCase, ConformanceContext } from "./conformance/harness.js";
/**
 * The plain-JS float64 reference implementations the conformance suite compares against
 * (NumPy semantics), for writing extra cases.
 *
 * @example
 * ```ts
 * reference.add; // (a, b) => elementwise sum with broadcasting
 * ```
 */
export * as reference from "./conformance/reference.js";
export { type Tolerance, type ToleranceKind, toleranceFor } from "./conformance/tolerance.js";
export { type TensorDescription, toTensor, typedArrayOf } from "./description.js";
export { checkGradientProperty, type GradientPropertyOptions } from "./gradient_properties.js";
export { checkLeaksEachTest } from "./leak_check_hooks.js";
export { expectNoLeaks, LeakError, type LeakTracker, trackLeaks } from "./leaks.js";
