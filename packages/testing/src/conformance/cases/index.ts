import type { ConformanceCase } from "../harness.js";
import { COMPOSITE_CASES } from "./composites.js";
import { CREATION_CASES } from "./creation.js";
import { ELEMENTWISE_CASES } from "./elementwise.js";
import { ERROR_CASES } from "./errors.js";
import { FUSED_CASES } from "./fused.js";
import { LINALG_CASES } from "./linalg.js";
import { MOVEMENT_CASES } from "./movement.js";
import { REDUCTION_CASES } from "./reduction.js";
import { SHAPE_OP_CASES } from "./shape_ops.js";
import { SPECIAL_VALUE_CASES } from "./special_values.js";

/**
 * Every conformance case, in the order the suite registers them.
 *
 * @example
 * ```ts
 * new Set(CONFORMANCE_CASES.map((c) => c.op)).has("matmul"); // true
 * ```
 */
export const CONFORMANCE_CASES: readonly ConformanceCase[] = [
  ...CREATION_CASES,
  ...ELEMENTWISE_CASES,
  ...REDUCTION_CASES,
  ...LINALG_CASES,
  ...MOVEMENT_CASES,
  ...SHAPE_OP_CASES,
  ...COMPOSITE_CASES,
  ...SPECIAL_VALUE_CASES,
  ...FUSED_CASES,
  ...ERROR_CASES,
];
