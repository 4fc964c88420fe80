import { cpu } from "@tapegrad/backend-cpu";
import { memory, setBackend, type Tensor } from "@tapegrad/core";
import { type LeakTracker, trackLeaks } from "@tapegrad/testing";
import { afterEach, beforeEach, expect } from "vitest";

/** One CPU backend per test file (vitest isolates files, so each file sets its own). */
setBackend(cpu());

/**
 * Fails any test that leaves tensors alive (`@tapegrad/testing`'s `trackLeaks`, whose error
 * lists them) or leaves `memory()` above the baseline taken before it. Leaked tensors are
 * freed so one leak does not cascade into the next test.
 */
export function checkLeaks(): void {
  let tracker: LeakTracker = trackLeaks();
  let baseline = memory();
  beforeEach(() => {
    tracker = trackLeaks();
    baseline = memory();
  });
  afterEach(() => {
    const leaked = tracker.leaked();
    try {
      tracker.check();
    } finally {
      for (const t of leaked) t.dispose();
    }
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
