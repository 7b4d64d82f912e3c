/**
 * Strings leave the engine as UTF-8 copies made inside its WebAssembly memory. When that copy does not fit,
 * the engine hands back an empty string: a long line printed vanished without a note, and a long finalAnswer
 * reached the host as empty JSON text (which crashed the host before it was guarded).
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { Sandbox } from "../../../src/brain/sandbox/quickjs-sandbox.js";

const sandbox = new Sandbox({ timeoutMs: 20_000, maxOutputChars: 100 });

describe("strings too large to copy out of the engine", () => {
  it("a printed line of 30 million 'é' is kept up to maxOutputChars, with a note of what was cut", async () => {
    const result = await sandbox.run("console.log('é'.repeat(30e6)); console.log('next'); finalAnswer(1)");
    assert.equal(result.ok, true, result.error?.message);
    assert.deepEqual(result.finalAnswer, { value: 1 });
    const [kept, note] = result.output.split("\n"); // 99 kept + a line end; 30e6 - 99 cut, and "next" + its line end
    assert.equal(kept, "é".repeat(99));
    assert.equal(note, "[output truncated: 29999906 more characters were printed than the 100-character limit keeps]");
  });

  it("a printed line keeps its NUL characters and lone surrogates (a C-string copy ended at the NUL)", async () => {
    const result = await sandbox.run("console.log('\\u0000 after nul'); console.log('a\\u0000b\\ud800c'); finalAnswer(1)");
    assert.equal(result.ok, true, result.error?.message);
    assert.equal(result.output, "\u0000 after nul\na\u0000b\ud800c");
  });

  it("an error's name and message keep their NUL characters", async () => {
    const result = await sandbox.run("const e = new Error('before\\u0000after'); e.name = 'Bad\\u0000Name'; throw e");
    assert.equal(result.error?.message, "Bad\u0000Name: before\u0000after");
  });

  it("a finalAnswer whose JSON cannot be copied out ends the run at the memory limit, not as unreadable JSON", async () => {
    const result = await sandbox.run("finalAnswer('é'.repeat(20e6))");
    assert.equal(result.ok, false);
    assert.equal(result.finalAnswer, undefined);
    assert.equal(result.error?.kind, "memory", result.error?.message);
    const after = await sandbox.run("finalAnswer('ok')");
    assert.deepEqual(after.finalAnswer, { value: "ok" });
  });
});
