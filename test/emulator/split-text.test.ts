import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { splitText } from "../../src/emulator/split-text.js";

describe("splitText", () => {
  it("splits into roughly equal pieces that join back to the text", () => {
    const pieces = splitText("abcdefghij", 3);
    assert.equal(pieces.length, 3);
    assert.equal(pieces.join(""), "abcdefghij");
    assert.ok(Math.max(...pieces.map((piece) => piece.length)) - Math.min(...pieces.map((piece) => piece.length)) <= 1);
  });

  it("gives fewer pieces when the text is shorter than the count", () => {
    assert.deepEqual(splitText("ab", 8), ["a", "b"]);
    assert.deepEqual(splitText("", 4), [""]);
  });

  it("never cuts a surrogate pair", () => {
    const text = "😀😀😀";
    for (const piece of splitText(text, 6)) assert.ok(!/^[\uDC00-\uDFFF]|[\uD800-\uDBFF]$/.test(piece), `bad piece ${JSON.stringify(piece)}`);
    assert.equal(splitText(text, 6).join(""), text);
  });
});
