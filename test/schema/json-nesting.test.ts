import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { jsonNestedDeeperThan } from "../../src/schema/json-nesting.js";

describe("jsonNestedDeeperThan", () => {
  it("counts open arrays and objects, up to the limit and one past it", () => {
    const nested = (depth: number) => "[".repeat(depth) + "]".repeat(depth);
    assert.equal(jsonNestedDeeperThan(nested(5), 5), false);
    assert.equal(jsonNestedDeeperThan(nested(6), 5), true);
    assert.equal(jsonNestedDeeperThan('{"a":{"b":[{"c":1}]}}', 4), false);
    assert.equal(jsonNestedDeeperThan('{"a":{"b":[{"c":1}]}}', 3), true);
    assert.equal(jsonNestedDeeperThan("[[],[],[],[],[],[]]", 2), false, "siblings do not add up");
  });

  it("skips brackets inside strings, escaped quotes included", () => {
    assert.equal(jsonNestedDeeperThan(`["${"[".repeat(50)}"]`, 1), false);
    assert.equal(jsonNestedDeeperThan(`["\\"${"{".repeat(50)}"]`, 1), false);
    assert.equal(jsonNestedDeeperThan(`["\\\\", [[1]]]`, 2), true, "an escaped backslash ends before the quote");
  });

  it("reads text nested a million levels deep without recursing", () => {
    assert.equal(jsonNestedDeeperThan("[".repeat(1_000_000), 1000), true);
  });
});
