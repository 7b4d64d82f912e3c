/**
 * Every reproduction of issue 11 ("the code sandbox holds against hostile code"), as a test. Time bounds are
 * generous upper bounds that catch a hang (the bug was a host that never returned), not measurements.
 */
import { before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { Sandbox } from "../../../src/brain/sandbox/quickjs-sandbox.js";
import { InvalidRequestError } from "../../../src/schema/errors.js";
import { countedEcho, delay, timed } from "./host-watch.js";

async function assertStillAnswers(sandbox: Sandbox): Promise<void> {
  const after = await sandbox.run("console.log('alive'); finalAnswer(6 * 7)");
  assert.equal(after.ok, true, JSON.stringify(after.error));
  assert.deepEqual(after.finalAnswer, { value: 42 });
}

describe("issue 11, part 1: an interrupt inside a host callback no longer hangs the host", () => {
  const sandbox = new Sandbox({ timeoutMs: 1000 });
  before(() => sandbox.warm(2)); // time bounds below are for runs, not for starting a thread

  it("a console.log whose join returns an object with a looping toString, in an endless loop, ends at the time limit", async () => {
    const { value: result, ms } = await timed(() =>
      sandbox.run("Array.prototype.join = () => ({ toString() { for (;;) {} } }); for (;;) console.log();"),
    );
    assert.equal(result.ok, false);
    assert.equal(result.error?.kind, "timeout");
    assert.equal(result.finalAnswer, undefined);
    assert.ok(ms < 1000 + 500, `ended after ${ms.toFixed(0)} ms`);
    await assertStillAnswers(sandbox);
  });

  it("the console is built from built-ins captured before the code runs: an overridden join does not reach it", async () => {
    const result = await sandbox.run("Array.prototype.join = () => ({ toString() { for (;;) {} } }); console.log('x', [1, 2]); finalAnswer(1)");
    assert.equal(result.ok, true, result.error?.message);
    assert.equal(result.output, 'x [1,2]');
    assert.deepEqual(result.finalAnswer, { value: 1 });
  });

  it("a run that hits its time limit after calling finalAnswer returns no finalAnswer", async () => {
    const result = await sandbox.run("finalAnswer(1); const s = 'a'.repeat(4 << 20), n = 'a'.repeat(2000) + 'b'; for (;;) s.indexOf(n);", { timeoutMs: 500 });
    assert.equal(result.ok, false);
    assert.equal(result.error?.kind, "timeout");
    assert.equal(result.finalAnswer, undefined);
  });

  it("an AbortSignal stops a run stuck in guest code (no tool call to wait on)", async () => {
    const { value: result, ms } = await timed(() =>
      sandbox.run("Array.prototype.join = () => ({ toString() { for (;;) {} } }); for (;;) console.log();", { timeoutMs: 60_000, signal: AbortSignal.timeout(300) }),
    );
    assert.equal(result.error?.kind, "aborted");
    assert.ok(ms < 300 + 500, `ended after ${ms.toFixed(0)} ms`);
    await assertStillAnswers(sandbox);
  });
});

describe("issue 11, part 3: model code cannot make the host do unbounded work", () => {
  it("1,500 calls with a 1 MiB argument: the first is refused by maxToolBytes, the host never sees it", async () => {
    const sandbox = new Sandbox({ timeoutMs: 5000 });
    const { stats, echo } = countedEcho(50);
    const result = await sandbox.run("const big = 'x'.repeat(1 << 20); for (let i = 0; i < 1500; i++) echo({ big }); finalAnswer(1)", { functions: { echo } });
    assert.equal(result.ok, false);
    assert.equal(result.error?.kind, "tool_bytes");
    assert.equal(result.error?.limit, "maxToolBytes");
    assert.match(result.error?.message ?? "", /larger than 1 MiB as JSON.*maxToolBytes/);
    assert.equal(result.finalAnswer, undefined);
    assert.equal(stats.total, 0);
  });

  it("the 101st tool call of a run ends it with kind tool_calls, naming maxToolCalls", async () => {
    // The cap is the subject, not the time limit: 100 awaited round trips took over 5 s on a loaded 2-core machine.
    const sandbox = new Sandbox({ timeoutMs: 60_000 });
    const { stats, echo } = countedEcho(0);
    const result = await sandbox.run("for (let i = 0; i < 1000; i++) { try { await echo({ i }) } catch (e) {} } finalAnswer('done')", { functions: { echo } });
    assert.equal(result.error?.kind, "tool_calls");
    assert.equal(result.error?.limit, "maxToolCalls");
    assert.match(result.error?.message ?? "", /more than 100 tool calls/);
    assert.equal(result.finalAnswer, undefined);
    assert.equal(stats.total, 100);
    assert.equal(result.calls.length, 100);
  });

  it("each cap is settable on the Sandbox and per run", async () => {
    const sandbox = new Sandbox({ timeoutMs: 5000, maxToolCalls: 3, maxConcurrentToolCalls: 2, maxToolBytes: 100 });
    const { stats, echo } = countedEcho(20);
    const calls = await sandbox.run("await Promise.all([1, 2, 3].map((i) => echo({ i }))); await echo({})", { functions: { echo } });
    assert.equal(calls.error?.kind, "tool_calls");
    assert.match(calls.error?.message ?? "", /more than 3 tool calls/);
    assert.equal(stats.maxInFlight, 2);
    const bytes = await sandbox.run("await echo({ s: 'x'.repeat(200) })", { functions: { echo } });
    assert.equal(bytes.error?.kind, "tool_bytes");
    const result = await sandbox.run("await echo({})", { functions: { echo: () => "y".repeat(200) } });
    assert.equal(result.error?.kind, "tool_bytes");
    assert.match(result.error?.message ?? "", /A tool result was larger than 100 bytes/);
    const raised = await sandbox.run("const r = await echo({ s: 'x'.repeat(200) }); finalAnswer(r.s.length)", { functions: { echo }, maxToolBytes: 1000 });
    assert.deepEqual(raised.finalAnswer, { value: 200 });
    assert.throws(() => new Sandbox({ maxToolCalls: 0 }), InvalidRequestError);
    assert.throws(() => new Sandbox({ maxConcurrentToolCalls: 1.5 }), InvalidRequestError);
  });

  it("throw 'E'.repeat(4e6) gives an error message cut to maxOutputChars", async () => {
    const sandbox = new Sandbox({ maxOutputChars: 2000 });
    const result = await sandbox.run("throw 'E'.repeat(4e6)");
    assert.equal(result.error?.kind, "exception");
    assert.ok((result.error?.message.length ?? Infinity) <= 2000, `${result.error?.message.length} characters`);
    assert.match(result.error?.message ?? "", /^Error: EEEE/);
    assert.match(result.error?.message ?? "", /more characters cut/);
  });
});

describe("issue 11, part 4: smaller problems", () => {
  const sandbox = new Sandbox({ timeoutMs: 5000 });

  it("a tool returning a BigInt, a circular value or a function raises an error the code catches, with nothing on stderr", async () => {
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    const written: string[] = [];
    const realWrite = process.stderr.write.bind(process.stderr);
    process.stderr.write = ((chunk: string | Uint8Array) => {
      written.push(String(chunk));
      return true;
    }) as typeof process.stderr.write;
    try {
      const result = await sandbox.run(
        "for (const f of [big, loop, fn]) { try { await f({}); console.log('no error') } catch (e) { console.log('caught', e.message) } } finalAnswer('ok')",
        { functions: { big: () => 10n, loop: () => circular, fn: () => () => 1 } },
      );
      await delay(50);
      assert.equal(result.ok, true, result.error?.message);
      assert.deepEqual(result.finalAnswer, { value: "ok" });
      const caught = result.output.split("\ncaught ");
      assert.equal(caught.length, 3, result.output);
      assert.match(caught[0]!, /^caught big\(\) returned the value cannot be sent to the sandbox as JSON: a bigint is not a JSON value$/);
      assert.match(caught[1]!, /^loop\(\) returned the value cannot be sent to the sandbox as JSON: Converting circular structure/);
      assert.match(caught[2]!, /^fn\(\) returned the value cannot be sent to the sandbox as JSON: a function is not a JSON value$/);
    } finally {
      process.stderr.write = realWrite;
    }
    assert.deepEqual(written, []);
  });

  it("code passing a BigInt, a circular value or a function to a tool or finalAnswer gets a catchable TypeError", async () => {
    const result = await sandbox.run(
      "const o = {}; o.o = o; const out = []; for (const v of [{ n: 1n }, o, { f() {} }]) { try { await echo(v) } catch (e) { out.push(e.name) } try { finalAnswer(v) } catch (e) { out.push(e.name) } } finalAnswer(out)",
      { functions: { echo: (args) => args } },
    );
    assert.deepEqual(result.finalAnswer, { value: ["TypeError", "TypeError", "TypeError", "TypeError", "TypeError", "TypeError"] });
    assert.deepEqual(result.calls, []);
  });

  for (const name of ["undefined", "Error", "not a name", "1st", "toString", "console", "finalAnswer", "eval", "await"]) {
    it(`a tool named ${JSON.stringify(name)} is refused when the Sandbox is created, and per run`, async () => {
      assert.throws(() => new Sandbox({ functions: { [name]: () => 1 } }), InvalidRequestError);
      await assert.rejects(sandbox.run("1", { functions: { [name]: () => 1 } }), InvalidRequestError);
    });
  }

  it("a Sandbox's own functions are in every run", async () => {
    const withTools = new Sandbox({ functions: { twice: (args) => 2 * (args as { n: number }).n } });
    const result = await withTools.run("finalAnswer(await twice({ n: 21 }))");
    assert.deepEqual(result.finalAnswer, { value: 42 });
  });

  for (const code of ["})(), (() => { return 5;", "}); while (true) {} (async () => {", "})(); (() => {"]) {
    it(`code that closes the wrapper (${JSON.stringify(code)}) is reported as a SyntaxError, not an engine failure`, async () => {
      const result = await sandbox.run(code, { timeoutMs: 500 });
      assert.equal(result.ok, false);
      assert.notEqual(result.error?.kind, "engine");
      assert.doesNotMatch(result.error?.message ?? "", /Lifetime/);
      if (result.error?.kind !== "timeout") assert.match(result.error?.message ?? "", /SyntaxError: the code closes the function it runs in/);
      await assertStillAnswers(sandbox);
    });
  }
});
