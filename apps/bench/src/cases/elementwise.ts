// y = relu(x·a + b) over 10⁶ floats, written the way a user writes it (three ops, no fusion
// asked for): measures per-op overhead, allocation and memory bandwidth rather than arithmetic.
import type { BenchSystem } from "../systems/common.js";
import { type KernelOptions, type KernelResult, measureKernel } from "./matmul.js";

export const ELEMENTWISE_SIZE = 1_000_000;

export async function runElementwise(systems: readonly BenchSystem[], options: KernelOptions): Promise<KernelResult> {
  const res = await measureKernel(
    systems,
    (s) => s.elementwise(ELEMENTWISE_SIZE, 1.5, -0.25),
    ELEMENTWISE_SIZE / 1e6,
    options,
  );
  options.log(
    `elementwise: ${Object.entries(res)
      .map(([k, v]) => `${k} ${v.median.toFixed(0)}`)
      .join(", ")} Melem/s`,
  );
  return { id: "relu(x·a+b) 1e6", note: "three elementwise ops on 10⁶ float32", unit: "Melem/s", systems: res };
}
