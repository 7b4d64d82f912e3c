/**
 * Some of the engine's recursion (its parser) runs out of the worker thread's own stack before the engine's
 * stack check notices. The worker is replaced either way; the error must say what the code did (nested too
 * deep, kind "stack"), not that the engine broke.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { Sandbox } from "../../../src/brain/sandbox/quickjs-sandbox.js";

const sandbox = new Sandbox({ timeoutMs: 20_000 });

describe("a sandbox worker whose own stack overflows", () => {
  for (const [title, code] of [
    ["100,000 nested parentheses", "eval('('.repeat(1e5) + '1' + ')'.repeat(1e5))"],
    ["30,000 nested function declarations", "eval('function f(){'.repeat(3e4) + '}'.repeat(3e4))"],
  ]) {
    it(`${title} in eval'd source: a stack error naming maxStackBytes, and the next run answers`, async () => {
      const result = await sandbox.run(code!);
      assert.equal(result.ok, false);
      assert.equal(result.error?.kind, "stack", result.error?.message);
      assert.equal(result.error?.limit, "maxStackBytes");
      assert.match(result.error?.message ?? "", /nested too deeply/);
      const after = await sandbox.run("finalAnswer(6 * 7)");
      assert.deepEqual(after.finalAnswer, { value: 42 });
    });
  }
});
