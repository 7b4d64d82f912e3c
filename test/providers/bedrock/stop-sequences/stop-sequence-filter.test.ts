import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { StopSequenceFilter } from "../../../../src/providers/bedrock/stop-sequences/stop-sequence-filter.js";

function run(stops: string[], chunks: string[]): { out: string[]; matched?: string } {
  const filter = new StopSequenceFilter(stops);
  const out: string[] = [];
  for (const chunk of chunks) {
    const result = filter.push(chunk);
    if (result.text) out.push(result.text);
    if (result.matched !== undefined) return { out, matched: result.matched };
  }
  const rest = filter.flush();
  if (rest) out.push(rest);
  return { out };
}

describe("StopSequenceFilter", () => {
  it("finds a stop split over several chunks and excludes it", () => {
    const { out, matched } = run(["<end_code>"], ["print(1)\n<e", "nd_c", "ode> trailing"]);
    assert.equal(out.join(""), "print(1)\n");
    assert.equal(matched, "<end_code>");
  });

  it("holds back only a tail shorter than the longest stop", () => {
    const filter = new StopSequenceFilter(["STOP"]);
    assert.deepEqual(filter.push("abcdef"), { text: "abc" });
    assert.deepEqual(filter.push("gh"), { text: "de" });
    assert.equal(filter.flush(), "fgh");
  });

  it("passes everything through when there is no stop, and picks the earliest of several", () => {
    assert.equal(run(["zzz"], ["one ", "two ", "three"]).out.join(""), "one two three");
    const { out, matched } = run(["B", "AAA"], ["xAA", "AyB"]);
    assert.equal(out.join(""), "x");
    assert.equal(matched, "AAA");
  });
});
