/**
 * What crosses between the sandbox and the host is JSON text the host parses and later stringifies again with
 * recursive code: a value nested thousands of levels deep would overflow the host's stack there. Such a value
 * must never reach the host: the code gets a TypeError it can catch, and the host keeps running.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { MAX_JSON_DEPTH, parseUntrustedJson, toJsonText } from "../../../src/brain/sandbox/json-crossing.js";
import { Sandbox } from "../../../src/brain/sandbox/quickjs-sandbox.js";

const sandbox = new Sandbox({ timeoutMs: 20_000 });
const nested = (depth: number) => `let v = []; for (let i = 1; i < ${depth}; i++) v = [v];`;

describe("values nested too deep to cross", () => {
  it("a finalAnswer nested 5000 levels deep is a TypeError the code catches, and the host keeps running", async () => {
    const result = await sandbox.run(`${nested(5000)} try { finalAnswer(v) } catch (e) { finalAnswer(e.name + ': ' + e.message) }`);
    assert.equal(result.ok, true, result.error?.message);
    assert.match(String(result.finalAnswer?.value), new RegExp(`^TypeError: .*nested deeper than ${MAX_JSON_DEPTH} levels`));
  });

  it("a tool argument nested 5000 levels deep is a TypeError the code catches; the tool is never called", async () => {
    let called = 0;
    const result = await sandbox.run(`${nested(5000)} try { await echo(v) } catch (e) { console.log(e.name) } finalAnswer(await echo({ ok: 1 }))`, {
      functions: { echo: (args) => (called++, args) },
    });
    assert.equal(result.ok, true, result.error?.message);
    assert.equal(result.output, "TypeError");
    assert.deepEqual(result.finalAnswer, { value: { ok: 1 } });
    assert.equal(called, 1);
  });

  it(`a value exactly ${MAX_JSON_DEPTH} levels deep crosses both ways`, async () => {
    const result = await sandbox.run(`${nested(MAX_JSON_DEPTH)} finalAnswer(await echo(v))`, { functions: { echo: (args) => args } });
    assert.equal(result.ok, true, result.error?.message);
    assert.equal(JSON.stringify(result.finalAnswer?.value), "[".repeat(MAX_JSON_DEPTH) + "]".repeat(MAX_JSON_DEPTH));
  });

  it("a tool result nested too deep reaches the code as an error it catches", async () => {
    let deep: unknown = [];
    for (let i = 1; i < MAX_JSON_DEPTH + 1; i++) deep = [deep];
    const result = await sandbox.run("try { await deep({}) } catch (e) { finalAnswer(e.message) }", { functions: { deep: () => deep } });
    assert.match(String(result.finalAnswer?.value), /deep\(\) returned the value cannot be sent to the sandbox as JSON: .*nested deeper than/);
  });

  it("the host refuses JSON text nested too deep, whatever sent it, with an error instead of a stack overflow", () => {
    const text = "[".repeat(100_000) + "]".repeat(100_000);
    assert.throws(() => parseUntrustedJson(text), { name: "TypeError", message: new RegExp(`nested deeper than ${MAX_JSON_DEPTH} levels`) });
    assert.deepEqual(parseUntrustedJson('{"a":"[[[[[[","b":[{"c":"]]]\\"["}]}'), { a: "[[[[[[", b: [{ c: ']]]"[' }] });
    assert.equal(toJsonText({ s: "[".repeat(10_000) }), JSON.stringify({ s: "[".repeat(10_000) }));
  });
});
