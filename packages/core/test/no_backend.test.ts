// This file never calls setBackend (and does not import ./helpers.js, which does): vitest
// runs each test file in its own module graph and process, so the engine has no backend here.
import { add, BackendError, getBackend, memory, ones, randomNormal, scalar, tensor, zeros } from "@tapegrad/core";
import { expect, test } from "vitest";

test("every entry point throws a BackendError that says what to call", () => {
  const message = /no backend set: call setBackend\(cpu\(\)\) from "@tapegrad\/backend-cpu"/;
  expect(() => getBackend()).toThrow(BackendError);
  expect(() => getBackend()).toThrow(message);
  expect(() => tensor([1, 2])).toThrow(message);
  expect(() => zeros([2])).toThrow(message);
  expect(() => ones([2])).toThrow(message);
  expect(() => scalar(1)).toThrow(message);
  expect(() => randomNormal([2], { seed: 1 })).toThrow(message);
  expect(memory().numTensors).toBe(0);
});

test("an op on a tensor-like number operand also names setBackend", () => {
  expect(() => add(1 as never, 2 as never)).toThrow(/add: got two numbers/);
});
