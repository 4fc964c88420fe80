import type { DType, OpAttrs, Shape, Tensor } from "@tapegrad/core";
import { GradientError } from "./errors.js";

/**
 * How to differentiate one op: which of its tensors the backward pass reads (only those are
 * kept alive on the tape) and the backward itself, written with core ops so that it is taped
 * in turn and can be differentiated again.
 *
 * `backward` receives the cotangent of the op's output and returns one cotangent per input
 * (null where `needs[i]` is false, or for inputs such as indices that carry no gradient). It
 * may return cotangents of the *broadcast* shape: the engine sums them back to each input's
 * shape, so no rule ever deals with broadcasting.
 *
 * @example
 * ```ts
 * const expRule: GradientRule = {
 *   saveInputs: [],
 *   saveOutput: true,
 *   backward: (dy, op) => [mul(dy, op.output())],
 * };
 * ```
 */
export interface GradientRule {
  /** Positions of the inputs the backward reads; the others are known only by shape and dtype. */
  readonly saveInputs: readonly number[];
  /** Whether the backward reads the op's output. */
  readonly saveOutput: boolean;
  /** Maps the output's cotangent `dy` to one cotangent per input (null where not needed). */
  backward(dy: Tensor, op: TapeRecord, needs: readonly boolean[]): readonly (Tensor | null | undefined)[];
}

/**
 * One op as the tape remembers it: its name, attributes, the handles of its inputs and output
 * (for ids, shapes and dtypes) and private handles of the tensors its rule saved, which stay
 * valid even if the user disposes the originals. A record can be shared by nested tapes; it is
 * freed when the last of them lets go.
 *
 * @example
 * ```ts
 * const rule: GradientRule = {
 *   saveInputs: [0],
 *   saveOutput: false,
 *   backward: (dy, op: TapeRecord) => [div(dy, op.input(0))], // log
 * };
 * ```
 */
export class TapeRecord {
  /** How many tapes hold this record. */
  refs = 0;

  constructor(
    readonly op: string,
    readonly rule: GradientRule,
    readonly inputs: readonly Tensor[],
    readonly outputHandle: Tensor,
    readonly attrs: OpAttrs,
    /** Saved inputs by position (undefined where the rule did not ask). */
    private readonly savedInputs: readonly (Tensor | undefined)[],
    private readonly savedOutput: Tensor | undefined,
    /** Extra residuals (customGrad's `save`). */
    readonly residuals: readonly Tensor[] = [],
  ) {}

  /** The saved value of input `i`. */
  input(i: number): Tensor {
    const t = this.savedInputs[i];
    if (t === undefined) {
      throw new GradientError(`${this.op}: its gradient rule read input ${i} without listing it in saveInputs`);
    }
    return t;
  }

  /** The saved value of the output. */
  output(): Tensor {
    if (this.savedOutput === undefined) {
      throw new GradientError(`${this.op}: its gradient rule read the output without setting saveOutput`);
    }
    return this.savedOutput;
  }

  /** Shape of input `i` (always known, saved or not). */
  shape(i: number): Shape {
    return (this.inputs[i] as Tensor).shape;
  }

  /** Dtype of input `i`. */
  dtype(i: number): DType {
    return (this.inputs[i] as Tensor).dtype;
  }

  /** Every handle the record owns. */
  saved(): Tensor[] {
    const all: Tensor[] = [...this.residuals];
    for (const t of this.savedInputs) if (t !== undefined) all.push(t);
    if (this.savedOutput !== undefined) all.push(this.savedOutput);
    return all;
  }

  /** Drops one tape's hold; the last frees what was saved. */
  release(): void {
    if (--this.refs > 0) return;
    for (const t of this.saved()) t.dispose();
  }
}

/**
 * Shorthand for a {@link GradientRule}.
 *
 * @example
 * ```ts
 * const negRule = defineRule([], false, (dy) => [neg(dy)]);
 * ```
 */
export function defineRule(
  saveInputs: readonly number[],
  saveOutput: boolean,
  backward: GradientRule["backward"],
): GradientRule {
  return { saveInputs, saveOutput, backward };
}
