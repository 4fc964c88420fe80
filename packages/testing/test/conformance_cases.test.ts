import { cpu } from "@tapegrad/backend-cpu";
import { type Backend, type DataId, setBackend, type TensorInfo } from "@tapegrad/core";
import { CONFORMANCE_CASES, type ConformanceContext, toleranceFor } from "@tapegrad/testing";
import { describe, expect, it } from "vitest";

/** The CPU backend with some methods replaced. */
function mutant(override: (real: Backend) => Partial<Backend>): Backend {
  const real = cpu();
  const replaced = override(real);
  return new Proxy(real, {
    get(target, p) {
      if (typeof p === "string" && p in replaced) return replaced[p as keyof Backend];
      const v = Reflect.get(target, p, target);
      return typeof v === "function" ? v.bind(target) : v;
    },
  });
}

function context(backend: Backend, numRuns: number): ConformanceContext {
  return {
    backend,
    numRuns,
    has: (dtype) => backend.capabilities.dtypes.includes(dtype),
    tolerance: (kind, dtype) => toleranceFor(kind, dtype, backend.capabilities.floatPrecision),
    skip: (note) => {
      throw new Error(`skipped: ${note}`);
    },
  };
}

// Bugs that only show on some inputs get enough runs to be caught with near certainty.
async function run(backend: Backend, title: string, numRuns = 16): Promise<void> {
  const c = CONFORMANCE_CASES.find((x) => x.title === title);
  if (c === undefined) throw new Error(`no case titled ${title}`);
  setBackend(backend);
  await c.run(context(backend, numRuns));
}

const view = (id: DataId, x: TensorInfo): TensorInfo => ({ dataId: id, shape: x.shape, dtype: x.dtype });

// Each bug must be caught by the case that covers the kernel, and the real backend must pass it.
const BUGS: readonly { title: string; bug: string; override: (real: Backend) => Partial<Backend> }[] = [
  {
    title: "exp float64",
    bug: "exp off by 0.1%",
    override: (real) => ({
      unary: (op, x) => {
        const y = real.unary(op, x);
        if (op !== "exp") return y;
        const k = real.fill(1, 1.001, x.dtype);
        return real.binary("mul", view(y, x), { dataId: k, shape: [], dtype: x.dtype }, x.shape);
      },
    }),
  },
  {
    title: "matmul float32 transposeA=true transposeB=true, batch broadcasting",
    bug: "transposeB ignored when transposeA is set",
    override: (real) => ({ matmul: (a, b, ta, tb, s) => real.matmul(a, b, ta, tb && !ta, s) }),
  },
  {
    title: "scatterAdd float32",
    bug: "repeated indices overwrite instead of accumulating",
    override: (real) => ({
      scatterAdd: (u, i, axis, shape) => {
        const indices = real.readSync(i.dataId);
        if (new Set(indices).size === indices.length) return real.scatterAdd(u, i, axis, shape);
        return real.fill(
          shape.reduce((p, q) => p * q, 1),
          0,
          u.dtype,
        );
      },
    }),
  },
  {
    title: "transpose int32",
    bug: "rank-3 permutations ignored",
    override: (real) => ({ transpose: (x, perm) => real.transpose(x, perm.length === 3 ? [0, 1, 2] : perm) }),
  },
  {
    title: "softmax of large values is stable (float32)",
    bug: "fused softmax without the max shift",
    override: (real) => ({
      fused: {
        ...real.fused,
        softmax: (x) => {
          const e = real.unary("exp", x);
          const s = real.reduce("sum", view(e, x), [x.shape.length - 1]);
          const kept = { dataId: s, shape: [...x.shape.slice(0, -1), 1], dtype: x.dtype };
          return real.binary("div", view(e, x), kept, x.shape);
        },
      },
    }),
  },
];

describe("conformance cases", () => {
  for (const { title, bug, override } of BUGS) {
    it(`"${title}" passes on the CPU backend and catches: ${bug}`, async () => {
      await run(cpu(), title);
      await expect(run(mutant(override), title, 100)).rejects.toThrow();
    });
  }

  it("have unique titles within each group", () => {
    const seen = new Set<string>();
    for (const c of CONFORMANCE_CASES) {
      const key = `${c.group} > ${c.title}`;
      expect(seen.has(key), key).toBe(false);
      seen.add(key);
    }
  });
});
