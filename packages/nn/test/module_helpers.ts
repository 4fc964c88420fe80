import { cpu } from "@tapegrad/backend-cpu";
import { setBackend, type Tensor } from "@tapegrad/core";
import { checkLeaksEachTest } from "@tapegrad/testing";
import { expect } from "vitest";

/** One CPU backend per test file (vitest isolates files, so each file sets its own). */
setBackend(cpu());

/** Fails any test that leaves tensors alive or memory() off its baseline (see @tapegrad/testing). */
export const checkLeaks = checkLeaksEachTest;

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
