import { cpu } from "@tapegrad/backend-cpu";
import { formatLeaks, liveTensors, memory, setBackend, type Tensor } from "@tapegrad/core";
import { afterEach, beforeEach, expect } from "vitest";

/** One CPU backend per test file (vitest isolates files, so each file sets its own). */
setBackend(cpu());

/**
 * Fails any test that leaves tensors alive: after each test the live tensors and memory()
 * must be back at the baseline taken before it. Leaked tensors are freed so one leak does
 * not cascade.
 */
export function checkLeaks(): void {
  let before = new Set<Tensor>();
  let baseline = memory();
  beforeEach(() => {
    before = new Set(liveTensors());
    baseline = memory();
  });
  afterEach(() => {
    const leaked = liveTensors().filter((t) => !before.has(t));
    for (const t of leaked) t.dispose();
    expect(leaked.length, formatLeaks(leaked)).toBe(0);
    const now = memory();
    expect([now.numTensors, now.numDataBuffers, now.numBytes]).toEqual([
      baseline.numTensors,
      baseline.numDataBuffers,
      baseline.numBytes,
    ]);
  });
}

/** A tensor's values as plain numbers, row-major. */
export function vals(t: Tensor): number[] {
  return Array.from(t.dataSync());
}

/** Elementwise `toBeCloseTo` of a tensor's values against expected numbers. */
export function expectClose(actual: Tensor, expected: readonly number[], digits = 5, label?: string): void {
  const got = vals(actual);
  expect(got.length, label).toBe(expected.length);
  for (let i = 0; i < got.length; i++) expect(got[i], label).toBeCloseTo(expected[i] as number, digits);
}
