import { type DType, dispose, TapegradError, type Tensor, tensor } from "@tapegrad/core";
import { decodeSafetensors, encodeSafetensors, SafetensorsError } from "@tapegrad/nn";
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { checkLeaks, vals } from "./module_helpers.js";

checkLeaks();

interface Spec {
  dtype: DType;
  shape: number[];
  values: number[];
}

const specArb: fc.Arbitrary<Spec> = fc
  .record({
    dtype: fc.constantFrom<DType>("float32", "float64", "int32", "bool"),
    shape: fc.array(fc.integer({ min: 0, max: 3 }), { maxLength: 3 }),
  })
  .chain(({ dtype, shape }) => {
    const n = shape.reduce((a, b) => a * b, 1);
    const value: fc.Arbitrary<number> =
      dtype === "float32"
        ? fc.float()
        : dtype === "float64"
          ? fc.double()
          : dtype === "int32"
            ? fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 })
            : fc.integer({ min: 0, max: 1 });
    return fc.array(value, { minLength: n, maxLength: n }).map((values) => ({ dtype, shape, values }));
  });

const nameArb = fc.string({ minLength: 1, maxLength: 12 }).filter((s) => s !== "__metadata__");
const dictArb = fc.dictionary(nameArb, specArb, { maxKeys: 5 });
const metadataArb = fc.option(
  fc.dictionary(fc.string({ maxLength: 8 }), fc.string({ maxLength: 16 }), { maxKeys: 3 }),
  {
    nil: undefined,
  },
);

function build(specs: Record<string, Spec>): Record<string, Tensor> {
  const out: Record<string, Tensor> = {};
  for (const [name, s] of Object.entries(specs)) {
    Object.defineProperty(out, name, {
      value: tensor(s.values, { dtype: s.dtype, shape: s.shape }),
      enumerable: true,
    });
  }
  return out;
}

/** A safetensors file from a header written by hand and its data bytes. */
function file(header: string, data: number[] = []): Uint8Array {
  const json = new TextEncoder().encode(header);
  const out = new Uint8Array(8 + json.length + data.length);
  new DataView(out.buffer).setBigUint64(0, BigInt(json.length), true);
  out.set(json, 8);
  out.set(data, 8 + json.length);
  return out;
}

function decodeError(bytes: Uint8Array): unknown {
  try {
    dispose(decodeSafetensors(bytes).tensors);
  } catch (e) {
    return e;
  }
  return undefined;
}

describe("safetensors round trip", () => {
  test("random state dicts of every dtype, rank 0–3 and empty tensors come back bit for bit", () => {
    fc.assert(
      fc.property(dictArb, metadataArb, (specs, metadata) => {
        const dict = build(specs);
        try {
          const bytes = encodeSafetensors(dict, metadata);
          const headerLength = Number(new DataView(bytes.buffer).getBigUint64(0, true));
          expect(headerLength % 8).toBe(0);
          const { tensors, metadata: meta } = decodeSafetensors(bytes);
          try {
            expect(Object.keys(tensors)).toEqual(Object.keys(dict));
            for (const [name, t] of Object.entries(dict)) {
              const back = tensors[name] as Tensor;
              expect([back.dtype, back.shape]).toEqual([t.dtype, t.shape]);
              expect(vals(back)).toEqual(vals(t));
            }
            expect(meta).toEqual(metadata ?? {});
          } finally {
            dispose(tensors);
          }
        } finally {
          dispose(dict);
        }
      }),
      { numRuns: 150 },
    );
  });

  test("decodes a subarray of a larger buffer", () => {
    using a = tensor([1.5, -2.25, 3], { dtype: "float64" });
    const bytes = encodeSafetensors({ a });
    const padded = new Uint8Array(bytes.length + 13);
    padded.set(bytes, 5);
    const { tensors } = decodeSafetensors(padded.subarray(5, 5 + bytes.length));
    expect(vals(tensors["a"] as Tensor)).toEqual([1.5, -2.25, 3]);
    dispose(tensors);
  });
});

describe("safetensors bytes, checked against the format by hand", () => {
  // {"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}} is 54 bytes; 2 spaces pad it to 56.
  const header = '{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}';
  const expected = [
    ...[56, 0, 0, 0, 0, 0, 0, 0],
    ...Array.from(header, (c) => c.charCodeAt(0)),
    0x20,
    0x20,
    ...[0x00, 0x00, 0x80, 0x3f], // 1.0f little-endian
    ...[0x00, 0x00, 0x00, 0xc0], // -2.0f little-endian
  ];

  test("encode writes exactly the specified layout", () => {
    using a = tensor([1, -2]);
    expect(Array.from(encodeSafetensors({ a }))).toEqual(expected);
    expect(expected.length).toBe(72);
  });

  test("decode reads a file whose header lists tensors out of data order, with metadata", () => {
    const bytes = file(
      '{"__metadata__":{"format":"pt"},"b":{"dtype":"I32","shape":[],"data_offsets":[2,6]},' +
        '"a":{"dtype":"BOOL","shape":[2,1],"data_offsets":[0,2]},"e":{"dtype":"F64","shape":[0,3],"data_offsets":[6,6]}}',
      [1, 0, 0xff, 0xff, 0xff, 0x7f],
    );
    const { tensors, metadata } = decodeSafetensors(bytes);
    expect(metadata).toEqual({ format: "pt" });
    expect(tensors["a"]?.toArray()).toEqual([[true], [false]]);
    expect(tensors["b"]?.dtype).toBe("int32");
    expect(tensors["b"]?.item()).toBe(2147483647);
    expect(tensors["e"]?.shape).toEqual([0, 3]);
    dispose(tensors);
  });

  test("decodes a file written by the reference implementation (Python safetensors 0.8 serialize)", () => {
    const reference = Buffer.from(
      "QAEAAAAAAAB7Il9fbWV0YWRhdGFfXyI6eyJmb3JtYXQiOiJwdCJ9LCJkIjp7ImR0eXBlIjoiRjY0Iiwic2hhcGUiOltdLCJkYXRh" +
        "X29mZnNldHMiOlswLDhdfSwiZW1wdHkiOnsiZHR5cGUiOiJGMzIiLCJzaGFwZSI6WzAsMl0sImRhdGFfb2Zmc2V0cyI6WzgsOF19" +
        "LCJ6ZXRhIjp7ImR0eXBlIjoiRjMyIiwic2hhcGUiOlsyLDJdLCJkYXRhX29mZnNldHMiOls4LDI0XX0sIm4iOnsiZHR5cGUiOiJJ" +
        "MzIiLCJzaGFwZSI6WzJdLCJkYXRhX29mZnNldHMiOlsyNCwzMl19LCJhbHBoYSI6eyJkdHlwZSI6IkJPT0wiLCJzaGFwZSI6WzNd" +
        "LCJkYXRhX29mZnNldHMiOlszMiwzNV19fSAgIAAAAAAAAApAAACAPwAAIEAAAEBAAACAwAEAAAD5////AQAB",
      "base64",
    );
    const { tensors, metadata } = decodeSafetensors(reference);
    expect(metadata).toEqual({ format: "pt" });
    expect(Object.fromEntries(Object.entries(tensors).map(([k, t]) => [k, [t.dtype, t.shape, t.toArray()]]))).toEqual({
      d: ["float64", [], 3.25],
      empty: ["float32", [0, 2], []],
      zeta: [
        "float32",
        [2, 2],
        [
          [1, 2.5],
          [3, -4],
        ],
      ],
      n: ["int32", [2], [1, -7]],
      alpha: ["bool", [3], [true, false, true]],
    });
    dispose(tensors);
  });

  test('encode refuses a tensor named "__metadata__" and non-string metadata', () => {
    using a = tensor([1]);
    expect(() => encodeSafetensors({ __metadata__: a })).toThrow(SafetensorsError);
    expect(() => encodeSafetensors({ a }, { n: 1 as unknown as string })).toThrow(/expected a string/);
  });

  test("encode refuses what is not a record of live tensors, naming the entry", () => {
    using a = tensor([1]);
    const gone = tensor([2]);
    gone.dispose();
    expect(() => encodeSafetensors(null as never)).toThrow(
      /^encodeSafetensors: got null, expected a record of tensors by name$/,
    );
    expect(() => encodeSafetensors({ a, b: 3 as never })).toThrow(SafetensorsError);
    expect(() => encodeSafetensors({ a, b: 3 as never })).toThrow(
      /^encodeSafetensors: "b" is number 3, expected a live Tensor$/,
    );
    expect(() => encodeSafetensors({ a, gone })).toThrow(/^encodeSafetensors: "gone" is a disposed float32\[1\]/);
  });
});

describe("malformed safetensors", () => {
  const ok = '{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}';
  const cases: Array<[string, Uint8Array, RegExp]> = [
    ["shorter than the length field", new Uint8Array([1, 0, 0]), /at least the 8-byte header length/],
    ["header length past the end", file(ok, [0, 0, 0, 0, 0, 0, 0, 0]).slice(0, 40), /runs past the end/],
    [
      "header length over 100 MB",
      (() => {
        const b = file(ok, [0, 0, 0, 0, 0, 0, 0, 0]);
        new DataView(b.buffer).setBigUint64(0, 100_000_001n, true);
        return b;
      })(),
      /exceeds the 100000000-byte limit/,
    ],
    [
      "header length near 2^64",
      (() => {
        const b = file(ok, [0, 0, 0, 0, 0, 0, 0, 0]);
        new DataView(b.buffer).setBigUint64(0, 2n ** 64n - 1n, true);
        return b;
      })(),
      /exceeds/,
    ],
    ["invalid JSON", file('{"a":{"dtype":"F32",}}'), /not valid JSON/],
    ["not an object", file("[1, 2]"), /does not start with a JSON object/],
    ["invalid UTF-8", file('{"a":1}').fill(0xff, 10, 11), /UTF-8/],
    [
      "unknown dtype",
      file('{"a":{"dtype":"F17","shape":[1],"data_offsets":[0,4]}}', [0, 0, 0, 0]),
      /unknown dtype "F17"/,
    ],
    [
      "a dtype tapegrad lacks",
      file('{"a":{"dtype":"F16","shape":[2],"data_offsets":[0,4]}}', [0, 0, 0, 0]),
      /F16 is valid safetensors but tapegrad has no such dtype/,
    ],
    [
      "offsets past the data",
      file('{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}', [0, 0, 0, 0]),
      /need 8 data bytes but the buffer holds 4/,
    ],
    [
      "overlapping offsets",
      file(
        '{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"b":{"dtype":"F32","shape":[1],"data_offsets":[2,6]}}',
        [0, 0, 0, 0, 0, 0],
      ),
      /overlap/,
    ],
    [
      "a gap in the data",
      file('{"a":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}', [0, 0, 0, 0, 0, 0, 0, 0]),
      /unused/,
    ],
    [
      "trailing bytes",
      file('{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}', [0, 0, 0, 0, 9]),
      /cover 4 data bytes but the buffer holds 5/,
    ],
    [
      "shape and byte length disagree",
      file('{"a":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}}', [0, 0, 0, 0, 0, 0, 0, 0]),
      /needs 12 bytes/,
    ],
    [
      "end before begin",
      file('{"a":{"dtype":"F32","shape":[0],"data_offsets":[4,0]}}', [0, 0, 0, 0]),
      /end before they begin/,
    ],
    ["negative shape", file('{"a":{"dtype":"F32","shape":[-1],"data_offsets":[0,0]}}'), /non-negative integers/],
    [
      "fractional offsets",
      file('{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4.5]}}', [0, 0, 0, 0]),
      /data_offsets/,
    ],
    ["entry not an object", file('{"a":3}'), /not an object/],
    ["metadata of numbers", file('{"__metadata__":{"k":1}}'), /__metadata__ "k" is not a string/],
    [
      "huge shape",
      file('{"a":{"dtype":"F64","shape":[4294967296,4294967296],"data_offsets":[0,8]}}', [0, 0, 0, 0, 0, 0, 0, 0]),
      /needs/,
    ],
  ];

  test.each(cases)("%s is a SafetensorsError", (_, bytes, message) => {
    const e = decodeError(bytes);
    expect(e).toBeInstanceOf(SafetensorsError);
    expect(e).toBeInstanceOf(TapegradError);
    expect((e as Error).message).toMatch(message);
  });

  test("fuzzed corruptions of valid files never throw anything but SafetensorsError", () => {
    const corruption = fc.oneof(
      fc.record({ kind: fc.constant("truncate" as const), at: fc.nat() }),
      fc.record({ kind: fc.constant("flip" as const), at: fc.nat(), bits: fc.integer({ min: 1, max: 255 }) }),
      fc.record({ kind: fc.constant("length" as const), value: fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }) }),
      fc.record({ kind: fc.constant("smallLength" as const), delta: fc.integer({ min: -64, max: 64 }) }),
      fc.record({ kind: fc.constant("random" as const), bytes: fc.uint8Array({ maxLength: 64 }) }),
    );
    fc.assert(
      fc.property(dictArb, fc.array(corruption, { minLength: 1, maxLength: 3 }), (specs, corruptions) => {
        const dict = build(specs);
        let bytes: Uint8Array;
        try {
          bytes = encodeSafetensors(dict);
        } finally {
          dispose(dict);
        }
        const headerEnd = 8 + Number(new DataView(bytes.buffer).getBigUint64(0, true));
        for (const c of corruptions) {
          if (c.kind === "truncate") bytes = bytes.slice(0, c.at % (bytes.length + 1));
          else if (c.kind === "flip" && bytes.length > 0) {
            // Mostly inside the header, where a flipped byte changes the meaning.
            const i = c.at % Math.max(1, Math.min(bytes.length, headerEnd));
            bytes[i] = (bytes[i] as number) ^ c.bits;
          } else if (c.kind === "length" && bytes.length >= 8) {
            new DataView(bytes.buffer, bytes.byteOffset).setBigUint64(0, c.value, true);
          } else if (c.kind === "smallLength" && bytes.length >= 8) {
            const n = new DataView(bytes.buffer, bytes.byteOffset).getBigUint64(0, true);
            const next = n + BigInt(c.delta);
            new DataView(bytes.buffer, bytes.byteOffset).setBigUint64(0, next < 0n ? 0n : next, true);
          } else if (c.kind === "random") bytes = c.bytes;
        }
        const e = decodeError(bytes);
        if (e !== undefined && !(e instanceof SafetensorsError)) throw e;
      }),
      { numRuns: 400 },
    );
  });
});
