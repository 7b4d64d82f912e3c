/**
 * The bytes JSON parser agrees with JSON.parse: the same values (bit for bit for numbers, -0 included) for
 * what JSON.parse accepts, a JsonBytesError for what it refuses, and the same in chunks split anywhere.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { JsonBytesError, parseJsonBytes, parseJsonChunks } from "../../../../src/providers/bedrock/transport/parse-json-bytes.js";

const bytes = (text: string) => new TextEncoder().encode(text);

/** Deterministic doubles of every kind: float32-like, full precision, tiny, huge, integers. */
function numbers(count: number): number[] {
  let seed = 12345;
  const next = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
  return Array.from({ length: count }, (_, i) => {
    const x = next() - 0.5;
    switch (i % 8) {
      case 0: return Math.fround(x);
      case 1: return x;
      case 2: return x * 1e-30;
      case 3: return x * 1e300;
      case 4: return Math.round(x * 1e6);
      case 5: return Number(x.toPrecision(8));
      case 6: return 0;
      default: return x * 2 ** 60;
    }
  });
}

describe("parseJsonBytes", () => {
  it("yields exactly JSON.parse's values for numbers, bit for bit", () => {
    const texts = [
      ...numbers(20_000).map((n) => JSON.stringify(n)),
      "0", "-0", "1", "-1", "0.1", "1e5", "1E+5", "1e-5", "-1.5e-7", "123456789012345678901234567890", "1e400", "-1e400",
      "9007199254740993", "0.30000000000000004", "2.2250738585072014e-308", "5e-324", "1.7976931348623157e308", "1e-400",
      "0.000000000000000000000000000001", "12345678901234.5678", "4.35", "0.0200805664", "1e22", "1e23", "123e-22", "123e-23",
      // Around the 9-digit int32 fast path: 9 digits, 10 digits (past int32 when wrapped), leading zeros.
      "999999999", "1000000000", "2147483647", "2147483648", "4294967295", "4294967297", "0.999999999", "0.9999999999",
      "-0.002878092", "123456789.1", "12345.6789", "0.000000001", "-0.0000000001", "99999.9999", "9999999999",
    ];
    for (const text of texts) {
      const expected = JSON.parse(text) as number;
      const got = parseJsonBytes(bytes(text));
      assert.ok(Object.is(got, expected), `${text}: ${String(got)} vs ${expected}`);
      const inArray = parseJsonBytes(bytes(`[${text},${text}]`)) as number[];
      assert.ok(Object.is(inArray[1], expected), `[${text}]`);
    }
  });

  it("reads fractions of every length, whatever ends them and wherever the body ends, as JSON.parse does", () => {
    // The first eight fraction digits are read four bytes at a time: every length, end and position in the body.
    const ends = [",", "]", " ,", "\n,", "e1,", "E-2,", "e+3]"];
    for (let length = 1; length <= 18; length++) {
      const fraction = "1234567890123456789".slice(0, length);
      for (const integer of ["0", "-0", "7", "-123456789", "1234567890"]) {
        const text = `${integer}.${fraction}`;
        for (const end of ends) {
          const document = `[${text}${end}${end.endsWith("]") ? "" : `${text}]`}`;
          const got = parseJsonBytes(bytes(document)) as number[];
          const expected = JSON.parse(document) as number[];
          assert.equal(got.length, expected.length, document);
          expected.forEach((value, i) => assert.ok(Object.is(got[i], value), `${document}: ${String(got[i])} vs ${value}`));
        }
        assert.ok(Object.is(parseJsonBytes(bytes(text)), JSON.parse(text)), text);
      }
    }
  });

  it("stops a fraction at the first byte that is not a digit, whatever byte it is", () => {
    // Bytes next to the digits (/ and :), and bytes whose sum with 6 carries into the next byte (0xfa-0xff).
    for (const stop of [0x2f, 0x3a, 0x00, 0x7f, 0x80, 0xc3, 0xf9, 0xfa, 0xff]) {
      for (let length = 1; length <= 10; length++) {
        const document = [...bytes(`[0.${"9".repeat(length)}`), stop, ...bytes("5,1]")];
        assert.throws(() => parseJsonBytes(new Uint8Array(document)), JsonBytesError, `0x${stop.toString(16)} after ${length} digits`);
      }
    }
  });

  it("yields JSON.parse's value for documents of every shape", () => {
    const documents = [
      '{"id":"e1","texts":["a","Straße ✓ 日本","with \\"quotes\\" and \\\\ and \\n \\u00e9 \\ud83d\\ude00"],"embeddings":{"float":[[0.1,-0.2,3e-5],[1,2,3]]},"response_type":"embeddings_by_type"}',
      ' \n\t{ "a" : [ 1 , 2 , { "b" : null } , true , false , "x" , [ ] , { } , -0.5 ] } \r\n',
      "[]", "{}", '""', "true", "null", "[[[]]]", '[1,"two",3]', '["a",1,2]', "[1,2,[3,4],5]",
      "[-1,-0,0.5,-0.25,7,-8.5e-3]", "[1, -2,\n-3 ,\t4]", '[-1,"x",-2]', "[-0.5,null]",
      '{"embedding":[0.5,0.25],"inputTextTokenCount":7,"embeddingsByType":{"float":[0.5,0.25]}}',
      JSON.stringify({ long: "x".repeat(500), unicode: "é".repeat(100), nested: { deep: [{ a: [1.5] }] } }),
    ];
    for (const text of documents) assert.deepEqual(parseJsonBytes(bytes(text)), JSON.parse(text), text);
  });

  it("refuses what JSON.parse refuses, with the byte offset", () => {
    const bad = [
      "", " ", "[", "]", "{", '{"a"}', '{"a":}', '{"a":1,}', "[1,]", "[,1]", "[1 2]", "01", "1.", ".5", "-", "+1", "1e", "1e+",
      "NaN", "Infinity", "-Infinity", "0x10", "tru", "nul", "True", "'a'", '"abc', '"a\u0001b"', '"\\x41"', '"\\u12"', '{a:1}',
      "[1]x", "{} {}", '"\\', "[-]", "[--1]", "1 2",
      // A comma then something that only starts like a number, where the run of numbers reads its next value.
      "[1,-]", "[-0.5,-x]", "[0.5,--1]", "[1,-.5]", "[1,-01]", "[-1,-1.]", "[1,-1e]", "[1,", "[1,-",
    ];
    for (const text of bad) {
      assert.throws(() => JSON.parse(text), `JSON.parse accepts ${JSON.stringify(text)}`);
      assert.throws(() => parseJsonBytes(bytes(text)), (error: unknown) => error instanceof JsonBytesError && /at byte \d+$/.test(error.message), JSON.stringify(text));
    }
  });

  it("a __proto__ key is an own property, not the object's prototype", () => {
    const parsed = parseJsonBytes(bytes('{"__proto__":{"polluted":true},"a":1}')) as Record<string, unknown>;
    assert.equal(Object.getPrototypeOf(parsed), Object.prototype);
    assert.deepEqual(Object.keys(parsed), ["__proto__", "a"]);
    assert.equal(({} as Record<string, unknown>)["polluted"], undefined);
    assert.deepEqual((parsed["__proto__"] as Record<string, unknown>)["polluted"], true);
  });

  it("refuses nesting deeper than it recurses, instead of overflowing the stack", () => {
    assert.throws(() => parseJsonBytes(bytes(`${"[".repeat(100_000)}${"]".repeat(100_000)}`)), /nesting too deep/);
    assert.throws(() => parseJsonBytes(bytes(`${'{"a":'.repeat(10_000)}1${"}".repeat(10_000)}`)), /nesting too deep/);
    assert.deepEqual(parseJsonBytes(bytes(`${"[".repeat(200)}${"]".repeat(200)}`)), JSON.parse(`${"[".repeat(200)}${"]".repeat(200)}`));
  });
});

/** Documents JSON.parse refuses; the message and offset the parser gives for each are compared below. */
const BAD_VALUES = [
  "", "[", "{", '{"a"}', '{"a":}', '{"a":1,}', "[1,]", "[,1]", "[1 2]", "01", "1.", ".5", "-", "+1", "1e", "1e+",
  "NaN", "Infinity", "-Infinity", "0x10", "tru", "nul", "True", "'a'", '"abc', '"a\u0001b"', '"\\x41"', '"\\u12"', "{a:1}",
  '"\\uZZZZ"', '"\\u00e"', '"ok\\', '"\\\u0001"', '"\\é"', '["x", "\\q"]', '{"k\\q":1}', "[-]", "[--1]", '[1,"a" "b"]', '{"a":1 "b":2}',
];

function errorOf(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    assert.ok(error instanceof JsonBytesError, String(error));
    return error.message;
  }
  return "no error";
}

describe("parseJsonBytes with skip", () => {
  const skip = new Set(["texts", "images"]);

  it("leaves the named top-level fields out and yields the rest as JSON.parse does", () => {
    const values = ['["a","Straße ✓","with \\"quotes\\" \\\\ \\n \\u00e9 \\ud83d\\ude00 \\/ \\b\\f\\r\\t"]', "[]", "{}", "null", "true", "false", "-1.5e-7", '"x"', '{"a":[1,{"b":[null,"c"]}],"texts":[1]}', `[${"[".repeat(200)}${"]".repeat(200)}]`];
    for (const value of values) {
      const text = ` { "id" : "e1" , "texts" : ${value} , "embeddings" : { "float" : [ [ 0.5 , -2 ] ] , "texts" : [ "kept" ] } , "images" : ${value} } `;
      const expected = JSON.parse(text) as Record<string, unknown>;
      delete expected["texts"];
      delete expected["images"];
      assert.deepEqual(parseJsonBytes(bytes(text), { skip }), expected, value);
    }
  });

  it("keeps a skipped name below the top level, and a top-level array's elements", () => {
    assert.deepEqual(parseJsonBytes(bytes('{"a":{"texts":[1]}}'), { skip }), { a: { texts: [1] } });
    assert.deepEqual(parseJsonBytes(bytes('[{"texts":"x"}]'), { skip }), [{ texts: "x" }]);
  });

  it("refuses a malformed skipped value with the same error, at the same byte, as when it is built", () => {
    for (const value of BAD_VALUES) {
      for (const text of [`{"texts":${value},"a":1}`, `{"a":1,"texts":[["ok"],${value}]}`, `{"texts":{"k":${value}}}`]) {
        assert.throws(() => JSON.parse(text), `JSON.parse accepts ${text}`);
        const built = errorOf(() => parseJsonBytes(bytes(text)));
        assert.match(built, /at byte \d+$/, text);
        assert.equal(errorOf(() => parseJsonBytes(bytes(text), { skip })), built, text);
      }
    }
  });

  it("refuses a skipped value nested too deep, and data after the object", () => {
    assert.throws(() => parseJsonBytes(bytes(`{"texts":${"[".repeat(100_000)}${"]".repeat(100_000)}}`), { skip }), /nesting too deep/);
    assert.throws(() => parseJsonBytes(bytes(`{"texts":${'{"a":'.repeat(1000)}1${"}".repeat(1000)}}`), { skip }), /nesting too deep/);
    assert.throws(() => parseJsonBytes(bytes('{"texts":["a"]} x'), { skip }), /unexpected data after the JSON value/);
  });

  it("skips in chunks split anywhere", () => {
    const text = JSON.stringify({ id: "x", texts: Array.from({ length: 96 }, (_, i) => `text ${i} ü "q"`), embeddings: { float: [numbers(300)] } });
    const all = bytes(text);
    for (const size of [1, 13, 4096]) {
      const chunks: Uint8Array[] = [];
      for (let at = 0; at < all.length; at += size) chunks.push(all.slice(at, at + size));
      assert.deepEqual(parseJsonChunks(chunks, { skip }), { id: "x", embeddings: { float: [JSON.parse(JSON.stringify(numbers(300)))] } });
    }
  });
});

describe("parseJsonBytes with numberArrays", () => {
  it("collects exactly the non-empty arrays that hold only finite numbers", () => {
    const numberArrays = new Set<unknown[]>();
    const text = '{"a":[1,-0.5,2e3],"b":[1,"x"],"c":[],"d":[[0.5 , 7],[1e400],[1,null],[-1e999]],"e":["x",1],"f":[ 3 ],"g":[1,[2]],"h":[9007199254740993,1e-400]}';
    const parsed = parseJsonBytes(bytes(text), { numberArrays }) as Record<string, unknown[][]>;
    assert.deepEqual(parsed, JSON.parse(text));
    const d = parsed["d"]!;
    const expected = [parsed["a"], d[0], parsed["f"], (parsed["g"] as unknown[])[1], parsed["h"]];
    assert.equal(numberArrays.size, expected.length);
    for (const array of expected) assert.ok(numberArrays.has(array as unknown[]), JSON.stringify(array));
  });

  it("vouches for no array of a skipped field", () => {
    const numberArrays = new Set<unknown[]>();
    parseJsonBytes(bytes('{"texts":[[1,2],[3]],"v":[[4]]}'), { skip: new Set(["texts"]), numberArrays });
    assert.deepEqual([...numberArrays], [[4]]);
  });
});

describe("parseJsonChunks", () => {
  it("gives the same value however the body is split, and the scratch buffer leaks nothing between calls", () => {
    const first = JSON.stringify({ id: "one", embeddings: { float: [numbers(300), numbers(300).reverse()] }, texts: ["ü".repeat(40)] });
    const second = JSON.stringify({ id: "two", embeddings: [[1, 2, 3]] });
    for (const text of [first, second, first]) {
      const all = bytes(text);
      for (const size of [1, 7, 100, 4096, all.length]) {
        const chunks: Uint8Array[] = [];
        for (let at = 0; at < all.length; at += size) chunks.push(all.slice(at, at + size));
        assert.deepEqual(parseJsonChunks(chunks), JSON.parse(text), `${text.slice(0, 20)} in chunks of ${size}`);
      }
    }
    const truncated = bytes(first).slice(0, 1000);
    assert.throws(() => parseJsonChunks([truncated.slice(0, 500), truncated.slice(500)]), JsonBytesError);
  });
});
