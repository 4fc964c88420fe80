import { TapegradError } from "@tapegrad/core";

/**
 * A state dict that does not fit a module: keys the module has but the dict lacks, keys the
 * dict has but the module lacks, and entries whose shape (or dtype) differs. The message
 * lists every problem at once, so one failed load tells the whole story; the lists are also
 * kept as fields for programs that want to react to them.
 *
 * @example
 * ```ts
 * try {
 *   model.loadStateDict(weights);
 * } catch (e) {
 *   if (e instanceof StateDictError) console.log(e.missingKeys, e.unexpectedKeys, e.mismatched);
 * }
 * ```
 */
export class StateDictError extends TapegradError {
  constructor(
    message: string,
    /** Parameter names the module has and the dict lacks. */
    readonly missingKeys: readonly string[],
    /** Dict keys that name no parameter of the module. */
    readonly unexpectedKeys: readonly string[],
    /** Keys present on both sides whose shape or dtype disagree, with a description of each side. */
    readonly mismatched: readonly { key: string; expected: string; got: string }[],
  ) {
    super(message);
  }
}
