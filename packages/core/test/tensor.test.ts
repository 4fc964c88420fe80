import {
  ArgumentError,
  arange,
  DisposedError,
  DTypeError,
  eye,
  full,
  linspace,
  oneHot,
  ones,
  onesLike,
  ShapeError,
  scalar,
  tensor,
  tidy,
  zeros,
  zerosLike,
} from "@tapegrad/core";
import { describe, expect, test } from "vitest";
import { checkLeaks, vals } from "./helpers.js";

checkLeaks();

describe("Tensor properties and reads", () => {
  test("shape, dtype, size, rank", () => {
    using x = tensor([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    expect(x.shape).toEqual([2, 3]);
    expect(x.dtype).toBe("float32");
    expect(x.size).toBe(6);
    expect(x.rank).toBe(2);
    expect(Object.isFrozen(x.shape)).toBe(true);
    using s = scalar(3);
    expect([s.shape, s.size, s.rank]).toEqual([[], 1, 0]);
  });

  test("data, dataSync, toArray and item", async () => {
    using x = tensor([
      [1.5, 2],
      [3, 4],
    ]);
    expect(x.dataSync()).toEqual(new Float32Array([1.5, 2, 3, 4]));
    expect(await x.data()).toEqual(new Float32Array([1.5, 2, 3, 4]));
    expect(x.toArray()).toEqual([
      [1.5, 2],
      [3, 4],
    ]);
    // dataSync returns a copy: writing to it does not change the tensor.
    const copy = x.dataSync();
    copy[0] = 99;
    expect(x.dataSync()[0]).toBe(1.5);
    using b = tensor([true, false]);
    expect(b.toArray()).toEqual([true, false]);
    using s = scalar(7, "int32");
    expect(s.item()).toBe(7);
    expect(s.toArray()).toBe(7);
    using bs = scalar(true);
    expect(bs.item()).toBe(true);
    expect(() => x.item()).toThrow(/item: tensor float32\[2,2\] has 4 elements, expected 1/);
  });

  test("a disposed tensor refuses reads and says which tensor", async () => {
    const x = tensor([1, 2]);
    x.dispose();
    expect(x.isDisposed).toBe(true);
    x.dispose(); // idempotent
    expect(() => x.dataSync()).toThrow(DisposedError);
    expect(() => x.toArray()).toThrow(/dataSync: tensor #\d+ float32\[2\] was disposed/);
    await expect(x.data()).rejects.toThrow(DisposedError);
    expect(x.toString()).toBe("Tensor(disposed, float32[2])");
  });
});

describe("toString", () => {
  test("is NumPy-like for small tensors", () => {
    using x = tensor([
      [1, 2],
      [3, 4],
    ]);
    expect(x.toString()).toBe("tensor([[1., 2.],\n        [3., 4.]], dtype=float32)");
    using i = tensor([1, -20, 3], { dtype: "int32" });
    expect(i.toString()).toBe("tensor([  1, -20,   3], dtype=int32)");
    using b = tensor([true, false]);
    expect(b.toString()).toBe("tensor([ true, false], dtype=bool)");
    using s = scalar(2.5, "float64");
    expect(s.toString()).toBe("tensor(2.5, dtype=float64)");
    using special = tensor([Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 1e-7]);
    expect(special.toString()).toContain("nan");
    expect(special.toString()).toContain("-inf");
    expect(special.toString()).toContain("1.0000e-7");
    // Regression: large non-integers lost integer digits (123456.7 printed as 123460).
    using big = tensor([123456.7, 1.5, 0.25]);
    expect(big.toString()).toBe("tensor([123457.,     1.5,    0.25], dtype=float32)");
    using big64 = tensor([123456.789, -2.5], { dtype: "float64" });
    expect(big64.toString()).toBe("tensor([123456.79,      -2.5], dtype=float64)");
    using e = zeros([0]);
    expect(e.toString()).toBe("tensor([], dtype=float32)");
  });

  test("is truncated with ... for large tensors, keeping the first and last values", () => {
    using x = arange(2000);
    const s = x.toString();
    expect(s).toContain("...");
    expect(s).toMatch(/^tensor\(\[\s*0,\s*1,\s*2, \.\.\., 1997, 1998, 1999\], dtype=int32\)$/);
    using flat = arange(0, 1200, 1, "float32");
    using m = flat.reshape([30, 40]);
    const t = m.toString();
    expect(t).toContain("...");
    expect(t).toContain("0.");
    expect(t).toContain("1199.");
    expect(t).not.toContain("600.");
    expect(t.split("\n").length).toBeLessThan(10);
    using small = arange(1000);
    expect(small.toString()).not.toContain("...");
  });
});

describe("creation", () => {
  test("tensor from nested arrays infers shape and dtype", () => {
    using a = tensor([
      [
        [1, 2],
        [3, 4],
      ],
    ]);
    expect([a.shape, a.dtype]).toEqual([[1, 2, 2], "float32"]);
    using b = tensor([true, false, true]);
    expect([b.shape, b.dtype, vals(b)]).toEqual([[3], "bool", [1, 0, 1]]);
    using c = tensor(5);
    expect([c.shape, vals(c)]).toEqual([[], [5]]);
    using d = tensor([]);
    expect(d.shape).toEqual([0]);
    using e = tensor([[], []]);
    expect(e.shape).toEqual([2, 0]);
    using f = tensor([1.7, -1.7, 2], { dtype: "int32" });
    expect([f.dtype, vals(f)]).toEqual(["int32", [1, -1, 2]]);
    using g = tensor([0, 2, -1], { dtype: "bool" });
    expect(vals(g)).toEqual([0, 1, 1]);
    using h = tensor([1, 2, 3, 4, 5, 6], { shape: [3, 2] });
    expect(h.toArray()).toEqual([
      [1, 2],
      [3, 4],
      [5, 6],
    ]);
  });

  test("tensor from typed arrays keeps their dtype and copies them", () => {
    const src = new Float64Array([1, 2, 3, 4]);
    using a = tensor(src, { shape: [2, 2] });
    src[0] = 100;
    expect([a.dtype, a.shape, vals(a)]).toEqual(["float64", [2, 2], [1, 2, 3, 4]]);
    using b = tensor(new Int32Array([5, 6]));
    expect([b.dtype, b.shape]).toEqual(["int32", [2]]);
    using c = tensor(new Float32Array([0.5]));
    expect(c.dtype).toBe("float32");
    // Bytes (MNIST pixels) are numbers, not booleans, unless asked for.
    using d = tensor(new Uint8Array([0, 255]));
    expect([d.dtype, vals(d)]).toEqual(["int32", [0, 255]]);
    using e = tensor(new Uint8Array([0, 255]), { dtype: "bool" });
    expect([e.dtype, vals(e)]).toEqual(["bool", [0, 1]]);
  });

  test("tensor rejects ragged, mis-sized and non-numeric input", () => {
    expect(() => tensor([[1, 2], [3]])).toThrow(ShapeError);
    expect(() => tensor([[1, 2], [3]])).toThrow(/tensor: nested arrays are ragged, expected shape \[2,2\]/);
    expect(() => tensor([1, [2]] as never)).toThrow(/ragged/);
    expect(() => tensor([[1], 2] as never)).toThrow(/ragged/);
    expect(() => tensor([1, 2, 3], { shape: [2, 2] })).toThrow(
      /tensor: 3 values do not fill shape \[2,2\] \(4 elements\)/,
    );
    expect(() => tensor(["a"] as never)).toThrow(ArgumentError);
    expect(() => tensor(new Int16Array(2) as never)).toThrow(DTypeError);
    expect(() => tensor([1], { dtype: "float16" as never })).toThrow(/tensor: dtype has dtype float16/);
    expect(() => tensor([1, 2], { shape: [-1, -2] })).toThrow(ArgumentError);
  });

  test("zeros, ones, full, zerosLike, onesLike", () => {
    using z = zeros([2, 3]);
    expect([z.shape, z.dtype, vals(z)]).toEqual([[2, 3], "float32", [0, 0, 0, 0, 0, 0]]);
    using o = ones([3], "int32");
    expect([o.dtype, vals(o)]).toEqual(["int32", [1, 1, 1]]);
    using f = full([2, 2], 7, "float64");
    expect([f.dtype, vals(f)]).toEqual(["float64", [7, 7, 7, 7]]);
    using fb = full([2], 3, "bool");
    expect(fb.toArray()).toEqual([true, true]);
    using zl = zerosLike(f);
    expect([zl.shape, zl.dtype, vals(zl)]).toEqual([[2, 2], "float64", [0, 0, 0, 0]]);
    using ol = onesLike(o);
    expect([ol.dtype, vals(ol)]).toEqual(["int32", [1, 1, 1]]);
    using empty = zeros([3, 0]);
    expect([empty.size, vals(empty)]).toEqual([0, []]);
    expect(() => zeros([2, -1])).toThrow(/zeros|full: shape \[2,-1\] must hold non-negative integers/);
    expect(() => full([1.5], 0)).toThrow(ArgumentError);
    expect(() => ones([2], "complex64" as never)).toThrow(DTypeError);
  });

  test("arange", () => {
    using a = arange(5);
    expect([a.dtype, vals(a)]).toEqual(["int32", [0, 1, 2, 3, 4]]);
    using b = arange(2, 8, 2);
    expect(vals(b)).toEqual([2, 4, 6]);
    using c = arange(0, 1, 0.25);
    expect([c.dtype, vals(c)]).toEqual(["float32", [0, 0.25, 0.5, 0.75]]);
    using d = arange(5, 0, -2);
    expect(vals(d)).toEqual([5, 3, 1]);
    using e = arange(3, 1);
    expect(e.shape).toEqual([0]);
    using f = arange(3, undefined, 1, "float64");
    expect([f.dtype, vals(f)]).toEqual(["float64", [0, 1, 2]]);
    expect(() => arange(0, 5, 0)).toThrow(/arange: step 0 must be finite and non-zero/);
    expect(() => arange(0, Number.POSITIVE_INFINITY)).toThrow(/arange: start 0 and stop Infinity must be finite/);
    expect(() => arange(Number.NaN)).toThrow(ArgumentError);
    expect(() => arange(3, undefined, 1, "bool")).toThrow(DTypeError);
  });

  test("linspace", () => {
    using a = linspace(0, 1, 5);
    expect(vals(a)).toEqual([0, 0.25, 0.5, 0.75, 1]);
    using b = linspace(-1, 1, 3, "float64");
    expect([b.dtype, vals(b)]).toEqual(["float64", [-1, 0, 1]]);
    using c = linspace(3, 7, 1);
    expect(vals(c)).toEqual([3]);
    using d = linspace(0, 1, 0);
    expect(d.shape).toEqual([0]);
    // The last value is exactly stop, with no accumulated rounding.
    using e = linspace(0, 0.3, 4, "float64");
    expect(vals(e)[3]).toBe(0.3);
    expect(() => linspace(0, 1, -1)).toThrow(/linspace: num -1 must be a non-negative integer/);
    expect(() => linspace(0, 1, 2.5)).toThrow(ArgumentError);
  });

  test("eye", () => {
    using a = eye(3);
    expect(a.toArray()).toEqual([
      [1, 0, 0],
      [0, 1, 0],
      [0, 0, 1],
    ]);
    using b = eye(2, 3, "int32");
    expect([b.dtype, b.toArray()]).toEqual([
      "int32",
      [
        [1, 0, 0],
        [0, 1, 0],
      ],
    ]);
    expect(() => eye(-1)).toThrow(/eye: shape \[-1,-1\] must hold non-negative integers/);
  });

  test("oneHot", () => {
    using idx = tensor(
      [
        [0, 2],
        [1, 1],
      ],
      { dtype: "int32" },
    );
    using h = oneHot(idx, 3);
    expect([h.shape, h.dtype]).toEqual([[2, 2, 3], "float32"]);
    expect(vals(h)).toEqual([1, 0, 0, 0, 0, 1, 0, 1, 0, 0, 1, 0]);
    using hi = oneHot(idx, 3, "int32");
    expect(hi.dtype).toBe("int32");
    using f = tensor([0, 1]);
    expect(() => oneHot(f, 3)).toThrow(/oneHot: indices have dtype float32, expected int32/);
    expect(() => oneHot(idx, 0)).toThrow(/oneHot: depth 0 must be a positive integer/);
    using bad = tensor([0, 3], { dtype: "int32" });
    expect(() => oneHot(bad, 3)).toThrow(/oneHot: index 3 is out of range \[0, 3\)/);
    using neg = tensor([-1], { dtype: "int32" });
    expect(() => oneHot(neg, 3)).toThrow(/index -1 is out of range/);
    const gone = tensor([0], { dtype: "int32" });
    gone.dispose();
    expect(() => oneHot(gone, 2)).toThrow(/oneHot: input tensor #\d+ int32\[1\] was disposed/);
  });

  test("fluent methods are the functions of the same name", () => {
    using x = tensor([
      [1, -2],
      [3, 4],
    ]);
    const y = tidy(() => x.add(1).mul(2).sub(1).div(2));
    expect(vals(y)).toEqual([1.5, -1.5, 3.5, 4.5]);
    y.dispose();
    using r = x.relu();
    expect(vals(r)).toEqual([1, 0, 3, 4]);
    using t = x.transpose();
    expect(vals(t)).toEqual([1, 3, -2, 4]);
    using s = x.sum(1, true);
    expect([s.shape, vals(s)]).toEqual([
      [2, 1],
      [-1, 7],
    ]);
    using m = x.matmul(x);
    expect(vals(m)).toEqual([-5, -10, 15, 10]);
    using am = x.argmax();
    expect(vals(am)).toEqual([0, 1]);
    using c = x.cast("int32");
    expect(c.dtype).toBe("int32");
  });
});
