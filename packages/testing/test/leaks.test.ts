import { cpu } from "@tapegrad/backend-cpu";
import { add, ones, setBackend, type Tensor, tidy } from "@tapegrad/core";
import { expectNoLeaks, LeakError, trackLeaks } from "@tapegrad/testing";
import { beforeAll, describe, expect, it } from "vitest";

beforeAll(() => {
  setBackend(cpu());
});

describe("expectNoLeaks", () => {
  it("passes when everything made is freed, and keeps returned tensors", () => {
    expectNoLeaks(() => {
      using x = ones([2]);
      tidy(() => add(x, 1)).dispose();
    });
    const kept = expectNoLeaks(() => ones([3]));
    expect(kept.shape).toEqual([3]);
    kept.dispose();
  });

  it("throws a LeakError listing what leaked", () => {
    let leaked: Tensor | undefined;
    try {
      expectNoLeaks(() => {
        leaked = ones([2, 3], "int32");
      });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(LeakError);
      expect((e as LeakError).leaked).toEqual([leaked]);
      expect((e as Error).message).toMatch(/1 tensor leaked\n1 live tensor:\n {2}#\d+ int32\[2,3\]/);
    } finally {
      leaked?.dispose();
    }
  });

  it("works with async functions", async () => {
    await expectNoLeaks(async () => {
      using x = ones([2]);
      await x.data();
    });
    let leaked: Tensor | undefined;
    await expect(
      expectNoLeaks(async () => {
        await Promise.resolve();
        leaked = ones([1]);
      }),
    ).rejects.toBeInstanceOf(LeakError);
    leaked?.dispose();
  });

  it("passes a thrown error through, or wraps it when the function also leaked", () => {
    expect(() =>
      expectNoLeaks(() => {
        throw new RangeError("boom");
      }),
    ).toThrow(RangeError);
    let leaked: Tensor | undefined;
    expect(() =>
      expectNoLeaks(() => {
        leaked = ones([1]);
        throw new RangeError("boom");
      }),
    ).toThrow(/1 tensor leaked[\s\S]*the function also threw: boom/);
    leaked?.dispose();
  });
});

describe("trackLeaks", () => {
  it("reports tensors made since the snapshot", () => {
    const tracker = trackLeaks();
    const x = ones([2]);
    expect(tracker.leaked()).toEqual([x]);
    expect(() => tracker.check("step")).toThrow(/^step: 1 tensor leaked/);
    x.dispose();
    expect(() => tracker.check()).not.toThrow();
  });
});
