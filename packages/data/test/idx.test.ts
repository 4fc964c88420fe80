import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { encodeIdx, IDX_DTYPES, type IdxArray, type IdxDType, IdxError, parseIdx } from "../src/index.js";

const shapeArb = fc.array(fc.integer({ min: 0, max: 5 }), { minLength: 1, maxLength: 4 });

function valuesArb(dtype: IdxDType, n: number): fc.Arbitrary<IdxArray["data"]> {
  switch (dtype) {
    case "ubyte":
      return fc.uint8Array({ minLength: n, maxLength: n });
    case "byte":
      return fc.int8Array({ minLength: n, maxLength: n });
    case "short":
      return fc.int16Array({ minLength: n, maxLength: n });
    case "int":
      return fc.int32Array({ minLength: n, maxLength: n });
    case "float":
      return fc.float32Array({ minLength: n, maxLength: n });
    case "double":
      return fc.float64Array({ minLength: n, maxLength: n });
  }
}

const arrayArb: fc.Arbitrary<IdxArray> = fc
  .tuple(fc.constantFrom(...(Object.keys(IDX_DTYPES) as IdxDType[])), shapeArb)
  .chain(([dtype, shape]) =>
    valuesArb(
      dtype,
      shape.reduce((a, b) => a * b, 1),
    ).map((data) => ({ dtype, shape, data }) as IdxArray),
  );

function reasonOf(bytes: Uint8Array): string | undefined {
  try {
    parseIdx(bytes);
    return undefined;
  } catch (e) {
    if (e instanceof IdxError) return e.reason;
    throw e;
  }
}

describe("IDX", () => {
  it("round-trips every dtype and shape bit-exactly (NaNs included)", () => {
    fc.assert(
      fc.property(arrayArb, (array) => {
        const bytes = encodeIdx(array);
        expect(bytes.length).toBe(4 + 4 * array.shape.length + array.data.length * IDX_DTYPES[array.dtype].size);
        const back = parseIdx(bytes);
        expect(back.dtype).toBe(array.dtype);
        expect(back.shape).toEqual(array.shape);
        expect(back.data.constructor).toBe(array.data.constructor);
        // Compare the bytes so NaN payloads and -0 count as equal only when identical.
        expect(new Uint8Array(back.data.buffer, back.data.byteOffset, back.data.byteLength)).toEqual(
          new Uint8Array(array.data.buffer, array.data.byteOffset, array.data.byteLength),
        );
      }),
      { numRuns: 200 },
    );
  });

  it("reads big-endian values at a non-zero byte offset", () => {
    const bytes = encodeIdx({ dtype: "short", shape: [2], data: new Int16Array([258, -2]) });
    expect([...bytes.subarray(8)]).toEqual([1, 2, 0xff, 0xfe]);
    const padded = new Uint8Array(bytes.length + 3);
    padded.set(bytes, 3);
    expect([...parseIdx(padded.subarray(3)).data]).toEqual([258, -2]);
  });

  it("rejects a wrong magic number", () => {
    fc.assert(
      fc.property(arrayArb, fc.integer({ min: 0, max: 1 }), fc.integer({ min: 1, max: 255 }), (array, pos, v) => {
        const bytes = encodeIdx(array);
        bytes[pos] = v;
        expect(reasonOf(bytes)).toBe("magic");
      }),
    );
    // A gzip header, the usual mistake.
    expect(reasonOf(new Uint8Array([0x1f, 0x8b, 8, 0, 0, 0, 0, 0]))).toBe("magic");
  });

  it("rejects unknown dtype codes", () => {
    const known = new Set(Object.values(IDX_DTYPES).map((d) => d.code));
    for (let code = 0; code < 256; code++) {
      if (known.has(code)) continue;
      const bytes = encodeIdx({ dtype: "ubyte", shape: [1], data: new Uint8Array([7]) });
      bytes[2] = code;
      expect(reasonOf(bytes)).toBe("dtype");
    }
  });

  it("rejects every truncation and any trailing bytes", () => {
    fc.assert(
      fc.property(arrayArb, fc.nat(), fc.integer({ min: 1, max: 9 }), (array, cut, extra) => {
        const bytes = encodeIdx(array);
        const n = cut % bytes.length;
        expect(reasonOf(bytes.subarray(0, n))).toBe("length");
        const longer = new Uint8Array(bytes.length + extra);
        longer.set(bytes);
        expect(reasonOf(longer)).toBe("length");
      }),
    );
  });

  it("rejects a header whose dimensions disagree with the data, without reading past it", () => {
    const bytes = encodeIdx({ dtype: "float", shape: [2, 3], data: new Float32Array(6) });
    const view = new DataView(bytes.buffer);
    view.setUint32(4, 3);
    expect(reasonOf(bytes)).toBe("length");
    // A huge dimension claims far more data than exists; it must fail on length, not allocate.
    view.setUint32(4, 0x7fffffff);
    expect(reasonOf(bytes)).toBe("length");
    view.setUint32(4, 0x80000000);
    expect(reasonOf(bytes)).toBe("dims");
    // More dimensions than the header has room for.
    bytes[3] = 200;
    expect(reasonOf(bytes)).toBe("length");
  });

  it("throws IdxError, a TapegradError, with a message naming the problem", () => {
    expect(() => parseIdx(new Uint8Array([0, 0, 8]))).toThrowError(/too short/);
    expect(() => parseIdx(new Uint8Array([0, 0, 8, 1, 0, 0, 0, 2, 1]))).toThrowError(/truncated/);
  });

  it("encodeIdx rejects data that does not fill the shape", () => {
    expect(() => encodeIdx({ dtype: "int", shape: [2, 2], data: new Int32Array(3) })).toThrow(IdxError);
    expect(() => encodeIdx({ dtype: "int", shape: [-1], data: new Int32Array(0) })).toThrow(IdxError);
  });
});
