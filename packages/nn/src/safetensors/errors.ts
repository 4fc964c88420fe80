import { TapegradError } from "@tapegrad/core";

/**
 * A safetensors buffer that breaks the format (a header length past the end of the file or
 * over 100 MB, a header that is not a JSON object, an unknown dtype, data offsets out of
 * range, overlapping or leaving gaps, a shape that disagrees with its byte length), or a
 * state dict that cannot be written as one. Decoding never throws anything else on bad
 * input and never reads outside the buffer.
 *
 * @example
 * ```ts
 * try {
 *   decodeSafetensors(bytes);
 * } catch (e) {
 *   if (e instanceof SafetensorsError) console.error(`not a valid weights file: ${e.message}`);
 * }
 * ```
 */
export class SafetensorsError extends TapegradError {}
