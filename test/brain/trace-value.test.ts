import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { traceText, traceValue } from "../../src/brain/trace-value.js";

/** The kept text and the count its note gives, or undefined without a note. */
function split(text: string): { kept: string; cut: number } | undefined {
  const note = / \[(\d+) more characters cut\]$/.exec(text);
  return note ? { kept: text.slice(0, note.index), cut: Number(note[1]) } : undefined;
}

describe("traceValue", () => {
  it("keeps a value whose JSON fits, as the same value", () => {
    const args = { city: "Paris", tags: ["a", "b"] };
    assert.equal(traceValue(args, 100), args);
    assert.equal(traceValue("x".repeat(100), 100), "x".repeat(100));
    assert.equal(traceValue(undefined, 10), undefined);
  });

  it("keeps the start of a longer value's JSON with a note that counts exactly what was cut", () => {
    for (const length of [150, 1_000, 99_990, 100_000, 1_000_000]) {
      const value = { s: "y".repeat(length) };
      const json = JSON.stringify(value);
      const kept = traceValue(value, 120) as string;
      assert.equal(kept.length, 120, `at ${length}`);
      const parts = split(kept)!;
      assert.ok(json.startsWith(parts.kept));
      assert.equal(parts.kept.length + parts.cut, json.length, `at ${length}`);
    }
    const text = traceValue("z".repeat(10_000), 100) as string;
    assert.equal(split(text)!.kept, "z".repeat(100 - ` [9927 more characters cut]`.length));
  });

  // With 100 kept, a 10,072-character text has 9,999 cut (a 27-character note); at 10,073 the count gains a digit.
  it("a count that gains a digit once its note takes room still adds up", () => {
    for (let length = 10_060; length < 10_090; length++) {
      const parts = split(traceText("q".repeat(length), 100))!;
      assert.equal(parts.kept.length + parts.cut, length, `at ${length}`);
    }
  });

  it("a value that is not JSON (a BigInt) is traced as its text", () => {
    assert.equal(traceValue(10n ** 200n, 30), traceText(String(10n ** 200n), 30));
  });
});
