import { type Backend, type DType, getBackend, memory, OP_CATALOGUE, setBackend } from "@tapegrad/core";
import { afterAll, afterEach, beforeAll, beforeEach, describe, it } from "vitest";
import { type LeakTracker, trackLeaks } from "../leaks.js";
import { CONFORMANCE_CASES } from "./cases/index.js";
import type { ConformanceCase, ConformanceContext } from "./harness.js";
import { toleranceFor } from "./tolerance.js";

/**
 * Options of {@link describeConformance}.
 *
 * @example
 * ```ts
 * const opts: ConformanceOptions = { only: ["matmul", "softmax"], numRuns: 5 };
 * ```
 */
export interface ConformanceOptions {
  /** Run only the cases of these ops (catalogue names such as "matmul", or "arange", "tensor") or groups ("errors"). */
  readonly only?: readonly string[];
  /** fast-check runs per property (default 16; a slow backend may want fewer). */
  readonly numRuns?: number;
  /** Per-test timeout in milliseconds (default 30 000). */
  readonly timeout?: number;
}

/**
 * Registers the backend conformance suite with vitest: `beforeAll` creates the backend and
 * makes it current, then every primitive kernel and core composite of `OP_CATALOGUE` (plus
 * creation ops, dtype promotion, edge values, fused kernels and error cases) runs through
 * core's public ops on generated inputs — scalars, size-1 and empty dimensions, ranks 0–4,
 * broadcasting — per dtype the backend declares, and is compared with a float64 reference
 * using tolerances from the backend's `floatPrecision` (see `toleranceFor`). Each test also
 * fails if it leaves tensors alive. Pass the backend itself (rather than a factory) and cases
 * needing a dtype it does not declare are left out; with a factory they are skipped with a note,
 * since the capabilities are only known once it has been created.
 *
 * Call it at the top level of a test file; it runs unchanged in Node and in vitest browser
 * mode.
 *
 * @example
 * ```ts
 * // packages/backend-cpu/test/conformance.test.ts
 * import { cpu } from "@tapegrad/backend-cpu";
 * import { describeConformance } from "@tapegrad/testing";
 *
 * describeConformance("cpu", cpu());
 * ```
 */
export function describeConformance(
  name: string,
  backendOrFactory: Backend | (() => Backend | Promise<Backend>),
  options: ConformanceOptions = {},
): void {
  const only = options.only;
  const known = typeof backendOrFactory === "function" ? undefined : backendOrFactory;
  const createBackend = typeof backendOrFactory === "function" ? backendOrFactory : () => backendOrFactory;
  const cases = CONFORMANCE_CASES.filter(
    (c) =>
      (only === undefined || only.includes(c.op) || only.includes(c.group)) &&
      (known === undefined || c.dtypes.every((d) => known.capabilities.dtypes.includes(d))),
  );
  if (cases.length === 0) throw new Error(`describeConformance: no case matches only: [${only?.join(", ")}]`);
  const numRuns = options.numRuns ?? 16;
  const timeout = options.timeout ?? 30_000;

  describe(`conformance: ${name}`, () => {
    let backend: Backend | undefined;
    let previous: Backend | undefined;
    let tracker: LeakTracker;
    let baseline = { numTensors: 0, numDataBuffers: 0 };

    beforeAll(async () => {
      try {
        previous = getBackend();
      } catch {
        previous = undefined;
      }
      backend = await createBackend();
      setBackend(backend);
    }, timeout);

    afterAll(() => {
      if (previous !== undefined) setBackend(previous);
      backend?.dispose?.();
    });

    beforeEach(() => {
      tracker = trackLeaks();
      const m = memory();
      baseline = { numTensors: m.numTensors, numDataBuffers: m.numDataBuffers };
    });

    afterEach(() => {
      tracker.check("conformance case");
      const m = memory();
      if (m.numTensors !== baseline.numTensors || m.numDataBuffers !== baseline.numDataBuffers) {
        throw new Error(
          `conformance case changed memory: ${baseline.numTensors} → ${m.numTensors} tensors, ` +
            `${baseline.numDataBuffers} → ${m.numDataBuffers} buffers`,
        );
      }
    });

    const groups = new Map<string, ConformanceCase[]>();
    for (const c of cases) groups.set(c.group, [...(groups.get(c.group) ?? []), c]);
    for (const [group, members] of groups) {
      describe(group, () => {
        for (const c of members) {
          it(
            c.title,
            async (context) => {
              const b = backend;
              if (b === undefined) throw new Error(`conformance: backend "${name}" was not created`);
              const missing = c.dtypes.filter((d) => !b.capabilities.dtypes.includes(d));
              if (missing.length > 0) context.skip(`backend "${name}" does not declare ${missing.join(", ")}`);
              await c.run(contextFor(b, numRuns, (note) => context.skip(note)));
            },
            timeout,
          );
        }
      });
    }

    if (only === undefined) {
      it("covers every op of OP_CATALOGUE", () => {
        const covered = new Set(CONFORMANCE_CASES.map((c) => c.op));
        const missing = OP_CATALOGUE.filter((op) => !covered.has(op.name)).map((op) => op.name);
        if (missing.length > 0) throw new Error(`conformance: no case covers ${missing.join(", ")}`);
      });
    }
  });
}

function contextFor(backend: Backend, numRuns: number, skip: (note: string) => never): ConformanceContext {
  const precision = backend.capabilities.floatPrecision;
  return {
    backend,
    numRuns,
    has: (dtype: DType) => backend.capabilities.dtypes.includes(dtype),
    tolerance: (kind, dtype) => toleranceFor(kind, dtype, precision),
    skip,
  };
}
