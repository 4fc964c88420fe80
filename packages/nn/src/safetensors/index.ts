export { type DecodedSafetensors, decodeSafetensors } from "./decode.js";
export { encodeSafetensors } from "./encode.js";
export { SafetensorsError } from "./errors.js";
