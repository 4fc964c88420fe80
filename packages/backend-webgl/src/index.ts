export type { WebGLOptions } from "./context.js";
export { WARMUP_OPS } from "./warmup.js";
export { WebGLBackend, type WebGLMemory, warmup, webgl } from "./webgl_backend.js";
