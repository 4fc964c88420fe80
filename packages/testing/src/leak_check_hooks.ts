import { memory } from "@tapegrad/core";
import { afterEach, beforeEach, expect } from "vitest";
import { type LeakTracker, trackLeaks } from "./leaks.js";

/**
 * Registers vitest hooks that fail any test in the enclosing file or `describe` which leaves
 * tensors alive (the error lists them, with creation sites in debug mode) or leaves `memory()`
 * (tensors, buffers, bytes) away from its value before the test. Leaked tensors are freed so one
 * leak does not cascade into the next test.
 *
 * @example
 * ```ts
 * import { checkLeaksEachTest } from "@tapegrad/testing";
 *
 * describe("my layer", () => {
 *   checkLeaksEachTest();
 *   it("frees its intermediates", () => {
 *     tidy(() => layer.call(x));
 *   });
 * });
 * ```
 */
export function checkLeaksEachTest(): void {
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
