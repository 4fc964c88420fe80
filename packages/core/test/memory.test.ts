import { readFileSync } from "node:fs";
import {
  ArgumentError,
  add,
  DisposedError,
  dispose,
  exp,
  formatLeaks,
  keep,
  liveTensors,
  MemoryScope,
  memory,
  mul,
  resetPeakBytes,
  reshape,
  setDebugMode,
  type Tensor,
  tensor,
  tidy,
  zeros,
} from "@tapegrad/core";
import { describe, expect, test } from "vitest";
import { checkLeaks, numTensors, vals } from "./helpers.js";

checkLeaks();

describe("tidy", () => {
  test("frees intermediates and keeps what is returned", () => {
    using x = tensor([1, 2, 3]);
    const before = numTensors();
    const y = tidy(() => {
      const a = add(x, 1);
      const b = mul(a, 2);
      return exp(b);
    });
    expect(numTensors()).toBe(before + 1);
    expect(x.isDisposed).toBe(false);
    y.dispose();
    expect(numTensors()).toBe(before);
  });

  test("keeps tensors anywhere inside returned arrays and objects", () => {
    using x = tensor([1, 2]);
    const before = numTensors();
    let scratch: Tensor | undefined;
    const out = tidy(() => {
      scratch = add(x, 100);
      return { loss: add(x, 1), grads: [mul(x, 2), { deep: mul(x, 3) }], n: 3, label: "x", none: null };
    });
    expect(scratch?.isDisposed).toBe(true);
    expect(vals(out.loss)).toEqual([2, 3]);
    expect(vals((out.grads[1] as { deep: Tensor }).deep)).toEqual([3, 6]);
    expect(numTensors()).toBe(before + 3);
    dispose(out);
    expect(numTensors()).toBe(before);
  });

  test("returning an input keeps it alive; returning nothing frees everything", () => {
    using x = tensor([1]);
    const same = tidy(() => {
      add(x, 1);
      return x;
    });
    expect(same).toBe(x);
    expect(x.isDisposed).toBe(false);
    const before = numTensors();
    tidy(() => {
      add(x, 1);
    });
    expect(numTensors()).toBe(before);
  });

  test("nested tidy hands its result to the outer scope", () => {
    using x = tensor([1, 2]);
    const before = numTensors();
    let inner: Tensor | undefined;
    let innerScratch: Tensor | undefined;
    const outer = tidy(() => {
      inner = tidy(() => {
        innerScratch = add(x, 1);
        return mul(innerScratch, 2);
      });
      expect(innerScratch?.isDisposed).toBe(true);
      expect(inner.isDisposed).toBe(false);
      return add(inner, 1);
    });
    // The inner result was an intermediate of the outer tidy.
    expect(inner?.isDisposed).toBe(true);
    expect(vals(outer)).toEqual([5, 7]);
    outer.dispose();
    expect(numTensors()).toBe(before);
  });

  test("keep exempts a tensor from every enclosing scope", () => {
    using x = tensor([1, 2]);
    let kept: Tensor | undefined;
    tidy(() => {
      tidy(() => {
        kept = keep(add(x, 1));
      });
    });
    expect(kept?.isDisposed).toBe(false);
    kept?.dispose();
  });

  test("frees everything when the function throws", () => {
    using x = tensor([1, 2]);
    const before = numTensors();
    expect(() =>
      tidy(() => {
        add(x, 1);
        throw new Error("boom");
      }),
    ).toThrow("boom");
    expect(numTensors()).toBe(before);
  });

  test("rejects async functions, freeing what they made synchronously", () => {
    using x = tensor([1, 2]);
    const before = numTensors();
    expect(() =>
      tidy((async () => {
        add(x, 1);
      }) as never),
    ).toThrow(/tidy: the function returned a Promise; tidy is synchronous, use a MemoryScope/);
    expect(numTensors()).toBe(before);
  });
});

describe("argument checks", () => {
  test("tidy, keep and MemoryScope.run refuse what is not a function or a tensor, naming themselves", () => {
    expect(() => tidy(3 as never)).toThrow(ArgumentError);
    expect(() => tidy(3 as never)).toThrow(/^tidy: got number, expected a function to run$/);
    expect(() => keep(null as never)).toThrow(/^keep: got null, expected a Tensor$/);
    const scope = new MemoryScope();
    expect(() => scope.run([] as never)).toThrow(/^MemoryScope.run: got an array, expected a function to run$/);
    scope.dispose();
  });
});

describe("MemoryScope", () => {
  test("collects tensors across awaits and frees them on dispose", async () => {
    using x = tensor([1, 2]);
    const before = numTensors();
    const scope = new MemoryScope();
    let last: Tensor | undefined;
    for (let i = 0; i < 3; i++) {
      last = scope.run(() => add(x, i));
      await new Promise((r) => setTimeout(r, 1));
    }
    expect(scope.size).toBe(3);
    const kept = scope.keep(last as Tensor);
    scope.dispose();
    expect(numTensors()).toBe(before + 1);
    expect(vals(kept)).toEqual([3, 4]);
    kept.dispose();
    expect(() => scope.run(() => 1)).toThrow(/MemoryScope.run: the scope was already disposed/);
    expect(() => scope.run(() => 1)).toThrow(ArgumentError);
  });

  test("with using, and with tensors tracked from outside", async () => {
    const before = numTensors();
    let inside: Tensor | undefined;
    let outside: Tensor | undefined;
    {
      using scope = new MemoryScope();
      outside = scope.track(zeros([2]));
      await Promise.resolve();
      inside = scope.run(() => tidy(() => add(zeros([2]), 1)));
      expect(scope.size).toBe(2);
    }
    expect(inside?.isDisposed).toBe(true);
    expect(outside?.isDisposed).toBe(true);
    expect(numTensors()).toBe(before);
  });

  test("size counts only live tensors (regression: disposed ones were counted)", () => {
    const scope = new MemoryScope();
    const a = scope.run(() => zeros([1]));
    scope.run(() => zeros([1]));
    a.dispose();
    expect(scope.size).toBe(1);
    scope.dispose();
    expect(scope.size).toBe(0);
  });
});

describe("dispose, using, views and memory()", () => {
  test("using disposes at block end", () => {
    let t: Tensor | undefined;
    {
      using x = zeros([3]);
      t = x;
      expect(t.isDisposed).toBe(false);
    }
    expect(t.isDisposed).toBe(true);
  });

  test("reshape views share storage until the last handle goes", () => {
    const base = memory();
    const x = zeros([2, 3]);
    const v = reshape(x, [6]);
    const m = memory();
    expect(m.numTensors - base.numTensors).toBe(2);
    expect(m.numDataBuffers - base.numDataBuffers).toBe(1);
    expect(m.numBytes - base.numBytes).toBe(24);
    x.dispose();
    expect(memory().numDataBuffers - base.numDataBuffers).toBe(1);
    expect(vals(v)).toEqual([0, 0, 0, 0, 0, 0]);
    v.dispose();
    expect(memory().numDataBuffers).toBe(base.numDataBuffers);
    expect(memory().numBytes).toBe(base.numBytes);
  });

  test("memory() reports bytes per backend", () => {
    const base = memory();
    using a = zeros([4], "float64");
    using b = zeros([4], "bool");
    const m = memory();
    expect(m.numBytes - base.numBytes).toBe(36);
    const cpu = m.backends["cpu"];
    expect(cpu?.numTensors).toBe(m.numTensors);
    expect(cpu?.numBytes).toBe(m.numBytes);
    expect(cpu?.bytesInUse).toBeGreaterThanOrEqual(36);
    expect([a.size, b.size]).toEqual([4, 4]);
  });

  test("peakBytes is the high-water mark since resetPeakBytes, views not counted twice", () => {
    resetPeakBytes();
    const base = memory();
    expect(base.peakBytes).toBe(base.numBytes);
    const a = zeros([10], "float64"); // 80 bytes
    const view = reshape(a, [2, 5]); // shares a's buffer
    const b = zeros([5], "float32"); // 20 bytes
    a.dispose();
    view.dispose();
    const c = zeros([4], "int32"); // 16 bytes, after 80 were freed
    expect(memory().peakBytes - base.numBytes).toBe(100);
    expect(memory().numBytes - base.numBytes).toBe(36);
    resetPeakBytes();
    expect(memory().peakBytes).toBe(memory().numBytes);
    b.dispose();
    c.dispose();
    expect(memory().peakBytes - memory().numBytes).toBe(36);
  });

  test("ops on a disposed tensor throw DisposedError naming the op", () => {
    const x = tensor([1, 2]);
    x.dispose();
    expect(() => add(x, 1)).toThrow(DisposedError);
    expect(() => add(x, 1)).toThrow(/add: input tensor #\d+ float32\[2\] was disposed/);
    expect(() => reshape(x, [2, 1])).toThrow(/reshape: input tensor/);
  });
});

describe("debug mode", () => {
  test("records creation sites, so formatLeaks names the test file line", () => {
    setDebugMode(true);
    let leaked: Tensor[];
    try {
      const before = new Set(liveTensors());
      const t = zeros([2, 2]); // the line formatLeaks must name
      leaked = liveTensors().filter((l) => !before.has(l));
      expect(leaked).toEqual([t]);
    } finally {
      setDebugMode(false);
    }
    const report = formatLeaks(leaked);
    expect(report).toMatch(/^1 live tensor:\n {2}#\d+ float32\[2,2\] created at .*memory\.test\.ts:\d+:\d+/);
    const line = Number(/memory\.test\.ts:(\d+)/.exec(report)?.[1]);
    const source = readFileSync(new URL(import.meta.url), "utf8").split("\n");
    expect(source[line - 1]).toContain("the line formatLeaks must name");
    dispose(leaked);
    using off = zeros([1]);
    expect(off.creationSite).toBeUndefined();
    expect(formatLeaks([off])).toContain("turn on setDebugMode(true) to see where");
  });
});
