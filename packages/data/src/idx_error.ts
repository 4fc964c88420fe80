import { TapegradError } from "@tapegrad/core";

/**
 * What part of an IDX file failed validation: the magic number's zero bytes, its dtype code,
 * the dimension header, or the total length (truncated data or trailing bytes).
 *
 * @example
 * ```ts
 * const reason: IdxErrorReason = "length";
 * ```
 */
export type IdxErrorReason = "magic" | "dtype" | "dims" | "length";

/**
 * A truncated or corrupt IDX file. `reason` tells which check failed, so callers (and tests)
 * can tell a wrong file from a cut-off download without parsing the message.
 *
 * @example
 * ```ts
 * try {
 *   parseIdx(new Uint8Array([0, 0, 0x08]));
 * } catch (e) {
 *   if (e instanceof IdxError) console.log(e.reason, e.message); // "length" ...
 * }
 * ```
 */
export class IdxError extends TapegradError {
  /** Which check failed. */
  readonly reason: IdxErrorReason;

  constructor(reason: IdxErrorReason, message: string) {
    super(message);
    this.reason = reason;
  }
}
