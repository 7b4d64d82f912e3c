import assert from "node:assert/strict";
import { after, beforeEach, describe, it } from "node:test";
import { MAX_WARNING_KEYS, resetWarningsForTests, warnOnce } from "../../src/config/warn-once.js";

describe("warnOnce", () => {
  beforeEach(() => resetWarningsForTests());
  // The test files of a process share the set: leave it empty (full, it would silence their warnings).
  after(() => resetWarningsForTests());

  it("warns once per key, with control characters made visible", () => {
    const seen: string[] = [];
    warnOnce("k", "first\x1b[2J", "CODE", (message) => seen.push(message));
    warnOnce("k", "second", "CODE", (message) => seen.push(message));
    assert.deepEqual(seen, ["first\\x1b[2J"]);
  });

  it("remembers a bounded number of keys: a server choosing a new value per call cannot grow the set", () => {
    const seen: string[] = [];
    for (let i = 0; i < MAX_WARNING_KEYS + 500; i++) warnOnce(`tier:${i}`, `tier ${i}`, "CODE", (message) => seen.push(message));
    assert.equal(seen.length, MAX_WARNING_KEYS);
    warnOnce("tier:0", "again", "CODE", (message) => seen.push(message));
    assert.equal(seen.length, MAX_WARNING_KEYS, "a remembered key stays quiet");
  });
});
