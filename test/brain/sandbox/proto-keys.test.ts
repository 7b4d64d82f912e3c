/**
 * A `__proto__` key in JSON from the guest or the model is dropped, however it is spelled. The host walks a
 * parsed value for such keys only when the text may hold one (mayHoldProtoKey), so these tests try every
 * spelling JSON allows against that check, and against the parse itself on both routes' paths.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { MAX_JSON_DEPTH, mayHoldProtoKey, parseUntrustedJson } from "../../../src/brain/sandbox/json-crossing.js";
import { Sandbox } from "../../../src/brain/sandbox/quickjs-sandbox.js";
import { parseArguments } from "../../../src/brain/step-run.js";

/** Every way JSON text can write the key `__proto__`: each character as itself or as a \u escape, hex in either case. */
function spellings(): string[] {
  const forms = [..."__proto__"].map((char) => {
    const hex = char.charCodeAt(0).toString(16).padStart(4, "0");
    return [...new Set([char, `\\u${hex}`, `\\u${hex.toUpperCase()}`])];
  });
  let out = [""];
  for (const options of forms) out = out.flatMap((head) => options.map((option) => head + option));
  return out;
}

/** What the reviver the host used before gives: the reference for which keys are dropped. */
const reference = (text: string): unknown => JSON.parse(text, (key, value: unknown) => (key === "__proto__" ? undefined : value));

/** Throws when any object in `value` still has an own `__proto__` key or a prototype other than Object.prototype. */
function assertClean(value: unknown, where: string): void {
  if (typeof value !== "object" || value === null) return;
  if (!Array.isArray(value)) {
    assert.equal(Object.hasOwn(value, "__proto__"), false, `${where}: an own __proto__ key survived`);
    assert.equal(Object.getPrototypeOf(value), Object.prototype, `${where}: the prototype changed`);
  }
  for (const item of Object.values(value)) assertClean(item, where);
}

const ALL = spellings();

describe("__proto__ keys in untrusted JSON", () => {
  it(`there are ${ALL.length} spellings, each decoding to __proto__`, () => {
    assert.equal(ALL.length, 3 ** 6 * 2 ** 3);
    for (const spelled of ALL) assert.equal(JSON.parse(`"${spelled}"`), "__proto__");
    // The other escapes (\" \\ \/ \b \f \n \r \t) make none of its characters, and JSON has no \U or \x.
    for (const escape of ["\\U005f", "\\x5f", "\\137", "\\_"]) assert.throws(() => JSON.parse(`"${escape}_proto__"`), SyntaxError, escape);
  });

  it("every spelling is seen by mayHoldProtoKey and dropped, at the top, nested, deep and in arrays of objects", () => {
    let deepText = `{"${"\\u005f"}_proto__":{"polluted":1},"v":0}`;
    for (let i = 2; i < MAX_JSON_DEPTH; i++) deepText = `{"d":${deepText}}`;
    for (const spelled of ALL) {
      const key = `"${spelled}"`;
      const texts = [
        `{${key}:{"isAdmin":true},"user":"mallory"}`,
        `{"options":{"a":1,${key}:{"isAdmin":true}}}`,
        `[{"x":1},{${key}:[1,2]},[{"y":{${key}:null}}]]`,
        `{"list":[{${key}:{"${"__proto__"}":{"z":1}},"keep":true}]}`,
        deepText.replace('"\\u005f_proto__"', key),
      ];
      for (const text of texts) {
        assert.equal(mayHoldProtoKey(text), true, text);
        const value = parseUntrustedJson(text);
        assert.deepEqual(value, reference(text), text);
        assertClean(value, text);
      }
    }
  });

  it("text without such a key is not flagged, whatever else it holds (so a big answer skips the walk)", () => {
    const plain = [
      JSON.stringify(Array.from({ length: 100_000 }, (_, i) => i % 10)),
      JSON.stringify({ prototype: 1, __proto_: 2, _proto__: 3, "__proto__x": 4, x__proto__: 5, __PROTO__: 6, constructor: { prototype: {} } }),
      String.raw`{"\u0041":"\u00e9\ud83d\ude00","__\u0070roto_":1,"__prot\u006f":2,"\\u005f_proto__":3}`,
      '{"a":"__proto_","b":"_proto__"}',
    ];
    for (const text of plain) {
      assert.equal(mayHoldProtoKey(text), false, text.slice(0, 120));
      assert.deepEqual(parseUntrustedJson(text), JSON.parse(text));
    }
  });

  it("a string value spelled __proto__ is kept as a value (only keys are dropped)", () => {
    const text = String.raw`["__proto__",{"k":"\u005f_proto__"},{"__proto__":"__proto__"}]`;
    assert.equal(mayHoldProtoKey(text), true);
    assert.deepEqual(parseUntrustedJson(text), ["__proto__", { k: "__proto__" }, {}]);
  });

  it("the react route's tool arguments drop every spelling too", () => {
    for (const spelled of ALL) {
      const text = `{"options":{"${spelled}":{"isAdmin":true},"user":"mallory"},"items":[{"${spelled}":1,"n":2}]}`;
      const args = parseArguments(text) as { options: Record<string, unknown>; items: Array<Record<string, unknown>> };
      assert.deepEqual(args, { options: { user: "mallory" }, items: [{ n: 2 }] }, text);
      assertClean(args, text);
      assert.equal((Object.assign({}, args.options) as Record<string, unknown>)["isAdmin"], undefined);
    }
  });

  it("a finalAnswer and tool arguments from the code lose their __proto__ keys, at any depth and in arrays of objects", async () => {
    const sandbox = new Sandbox({ timeoutMs: 20_000 });
    const seen: unknown[] = [];
    const code = [
      "const k = '\\u005f_proto__';",
      "const hostile = () => { const o = { keep: 1 }; Object.defineProperty(o, k, { value: { polluted: true }, enumerable: true }); return o; };",
      "let deep = hostile(); for (let i = 0; i < 200; i++) deep = { d: deep };",
      "await tool({ top: hostile(), list: [hostile(), [hostile()]], deep });",
      "finalAnswer({ top: hostile(), list: [hostile(), [hostile()]], deep });",
    ].join("\n");
    const result = await sandbox.run(code, { functions: { tool: (args) => (seen.push(args), null) } });
    assert.equal(result.ok, true, result.error?.message);
    let expectedDeep: unknown = { keep: 1 };
    for (let i = 0; i < 200; i++) expectedDeep = { d: expectedDeep };
    const expected = { top: { keep: 1 }, list: [{ keep: 1 }, [{ keep: 1 }]], deep: expectedDeep };
    assert.deepEqual(result.finalAnswer?.value, expected);
    assert.deepEqual(seen, [expected]);
    assertClean(result.finalAnswer?.value, "finalAnswer");
    assertClean(seen[0], "tool arguments");
    assert.equal(({} as Record<string, unknown>)["polluted"], undefined);
  });
});
