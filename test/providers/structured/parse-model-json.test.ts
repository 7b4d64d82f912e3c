import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { MAX_JSON_CHARS, MAX_JSON_DEPTH, nestingDepth, parseModelJson, plainCopy } from "../../../src/providers/structured/parse-model-json.js";

describe("parseModelJson", () => {
  it("parses JSON, also inside a ```json fence", () => {
    assert.deepEqual(parseModelJson(' {"a": [1, {"b": null}]} '), { ok: true, value: { a: [1, { b: null }] } });
    assert.deepEqual(parseModelJson('```json\n{"a": 1}\n```'), { ok: true, value: { a: 1 } });
  });

  it("refuses text over the size limit without parsing it", () => {
    const result = parseModelJson(`"${"x".repeat(MAX_JSON_CHARS)}"`);
    assert.equal(result.ok, false);
    assert.match(!result.ok ? result.issue.message : "", /over the limit of 8388608/);
  });

  it("counts nesting outside strings only, and refuses deeper than the limit", () => {
    assert.equal(nestingDepth('{"a": "[[[[{{{{", "b": [[1]]}'), 3);
    assert.equal(nestingDepth('["\\"[["]'), 1);
    assert.equal(parseModelJson(`${"[".repeat(MAX_JSON_DEPTH)}${"]".repeat(MAX_JSON_DEPTH)}`).ok, true);
    const deep = parseModelJson(`${"{\"a\":".repeat(MAX_JSON_DEPTH + 1)}1${"}".repeat(MAX_JSON_DEPTH + 1)}`);
    assert.equal(deep.ok, false);
  });

  it("drops __proto__ and constructor.prototype keys", () => {
    const result = parseModelJson('{"ok":1,"__proto__":{"x":1},"nested":{"constructor":{"prototype":{"x":1}},"keep":2}}');
    assert.ok(result.ok);
    const value = result.value as Record<string, any>;
    assert.deepEqual(Object.keys(value), ["ok", "nested"]);
    assert.deepEqual(Object.keys(value.nested), ["keep"]);
    assert.equal(Object.getPrototypeOf(value), Object.prototype);
  });

  it("plainCopy gives objects a plain prototype again and keeps own keys", () => {
    const polluted = Object.create({ injected: true }) as Record<string, unknown>;
    polluted.a = [Object.assign(Object.create({ y: 1 }) as object, { b: 2 })];
    const copy = plainCopy(polluted) as Record<string, any>;
    assert.equal(copy.injected, undefined);
    assert.equal(copy.a[0].y, undefined);
    assert.equal(Object.getPrototypeOf(copy), Object.prototype);
    assert.deepEqual(copy, { a: [{ b: 2 }] });
  });
});
