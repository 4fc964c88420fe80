import { gradcheck } from "@tapegrad/autograd";
import { isFloat, type Tensor, tidy } from "@tapegrad/core";
import fc from "fast-check";
import { type TensorDescription, toTensor } from "./description.js";

/**
 * Options of {@link checkGradientProperty}: fast-check's run count and seed, and the
 * options of autograd's `gradcheck`.
 *
 * @example
 * ```ts
 * const opts: GradientPropertyOptions = { numRuns: 10, mode: "fast", rtol: 1e-4 };
 * ```
 */
export interface GradientPropertyOptions {
  /** Generated inputs to check (default 10). */
  readonly numRuns?: number;
  /** fast-check seed, to replay a failure. */
  readonly seed?: number;
  /** "full" compares the whole Jacobian (default); "fast" one random projection. */
  readonly mode?: "full" | "fast";
  /** Central-difference step (gradcheck's default when omitted). */
  readonly eps?: number;
  readonly atol?: number;
  readonly rtol?: number;
}

/**
 * Property-tests the gradients of `f`: for each generated tuple of input descriptions it
 * builds float64 tensors (float descriptions become float64; int32 and bool ones stay as they
 * are and are held constant, e.g. class indices), runs autograd's `gradcheck` against central
 * finite differences, and frees everything the run made. Throws, naming `name`, the
 * counterexample and gradcheck's report, on the first input where analytic and numeric
 * gradients disagree. Generate values away from kinks (`awayFrom`) for non-smooth functions.
 * Needs a backend with float64 (the CPU backend).
 *
 * @example
 * ```ts
 * it("my layer's gradients", () => {
 *   checkGradientProperty(
 *     "scaled tanh",
 *     (x, w) => sum(mul(tanh(x), w)),
 *     [tensorArb({ shape: [3, 2] }), tensorArb({ shape: [2] })],
 *     { numRuns: 5 },
 *   );
 * });
 * ```
 */
export function checkGradientProperty(
  name: string,
  f: (...xs: Tensor[]) => Tensor,
  inputArbs: readonly fc.Arbitrary<TensorDescription>[],
  options: GradientPropertyOptions = {},
): void {
  const { numRuns = 10, seed, mode, eps, atol, rtol } = options;
  const property = fc.property(fc.tuple(...inputArbs), (descriptions) => {
    tidy(() => {
      const inputs = descriptions.map((d: TensorDescription) => toTensor(d, isFloat(d.dtype) ? "float64" : d.dtype));
      gradcheck(f, inputs, {
        ...(mode === undefined ? {} : { mode }),
        ...(eps === undefined ? {} : { eps }),
        ...(atol === undefined ? {} : { atol }),
        ...(rtol === undefined ? {} : { rtol }),
      });
    });
  });
  try {
    fc.assert(property, { numRuns, ...(seed === undefined ? {} : { seed }) });
  } catch (e) {
    throw new Error(
      `${name}: gradients disagree with finite differences\n${e instanceof Error ? e.message : String(e)}`,
      {
        cause: e,
      },
    );
  }
}
