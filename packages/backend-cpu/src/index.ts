import { CpuBackend, type CpuOptions } from "./cpu_backend.js";

export type { CpuBackend, CpuOptions } from "./cpu_backend.js";

/**
 * Creates the CPU backend: every kernel on typed arrays (float32, float64, int32, bool),
 * float64 computed in float64, synchronous reads, pooled storage.
 *
 * @example
 * ```ts
 * import { setBackend } from "@tapegrad/core";
 * import { cpu } from "@tapegrad/backend-cpu";
 * setBackend(cpu());
 * ```
 */
export function cpu(options?: CpuOptions): CpuBackend {
  return new CpuBackend(options);
}
