import { isFloat, tidy, zeros } from "@tapegrad/core";
import type { Module } from "./module.js";

/** `root` and every module below it, each once, parents before children. */
export function modulesPreorder(root: Module): Module[] {
  const seen = new Set<Module>();
  const out: Module[] = [];
  const walk = (m: Module): void => {
    if (seen.has(m)) return;
    seen.add(m);
    out.push(m);
    for (const [, child] of m.children()) walk(child);
  };
  walk(root);
  return out;
}

/**
 * Runs `module.forward` once on zeros of `inputShape` (unknown dimensions, -1, taken as 1)
 * and returns the output's shape, with the leading dimension unknown again when it was. Runs
 * in evaluation mode, so a dropout inside draws no random numbers, and restores every
 * module's mode afterwards; every tensor made is freed.
 */
export function traceShape(module: Module, inputShape: readonly number[]): number[] {
  const concrete = inputShape.map((d) => (d === -1 ? 1 : d));
  const dtype = Object.values(module.stateDict()).find((v) => isFloat(v.dtype))?.dtype ?? "float32";
  const modules = modulesPreorder(module);
  const modes = modules.map((m) => m.training);
  module.eval();
  try {
    const shape = tidy(() => {
      using input = zeros(concrete, dtype);
      using out = module.forward(input);
      return [...out.shape];
    });
    if (inputShape[0] === -1 && shape.length > 0) shape[0] = -1;
    return shape;
  } finally {
    // Parents first, so a child's own mode overrides what its parent's train() set.
    modules.forEach((m, i) => {
      m.train(modes[i]);
    });
  }
}
