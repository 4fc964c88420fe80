import type { Tensor } from "../tensor.js";
import { isFinite } from "./predicates.js";
import { where } from "./where.js";

/** @internal m where finite, else 0: the shift of stable softmax and logSumExp. */
export function finiteOrZero(m: Tensor): Tensor {
  using finite = isFinite(m);
  return where(finite, m, 0);
}
