import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { Sandbox } from "../../../src/brain/sandbox/quickjs-sandbox.js";
import { InvalidRequestError } from "../../../src/schema/errors.js";

const sandbox = new Sandbox({ timeoutMs: 20_000, memoryLimitBytes: 16 * 1024 * 1024 });

/** The host is unharmed: a fresh run right after still computes and answers. */
async function assertStillAnswers(): Promise<void> {
  const after = await sandbox.run("console.log('alive'); finalAnswer(6 * 7)");
  assert.equal(after.ok, true, JSON.stringify(after.error));
  assert.equal(after.output, "alive");
  assert.deepEqual(after.finalAnswer, { value: 42 });
}

describe("Sandbox: running code", () => {
  it("computes what only code can, prints, and returns finalAnswer", async () => {
    const result = await sandbox.run("let s = 0; for (let i = 0; i < 100000; i++) s += i * i; console.log('sum', s); finalAnswer(s);");
    assert.equal(result.ok, true);
    assert.equal(result.output, "sum 333328333350000");
    assert.deepEqual(result.finalAnswer, { value: 333328333350000 });
  });

  it("supports top-level await and prints objects as JSON", async () => {
    const result = await sandbox.run("const v = await Promise.resolve({ a: [1, 2] }); console.log(v, 'x', 3);");
    assert.equal(result.ok, true);
    assert.equal(result.output, '{"a":[1,2]} x 3');
    assert.equal(result.finalAnswer, undefined);
  });

  it("calls host functions as async functions, with JSON copies both ways", async () => {
    const seen: unknown[] = [];
    const result = await sandbox.run("const r = await lookup({ city: 'Paris' }); console.log(r.country); finalAnswer(r);", {
      functions: {
        lookup: async (args) => {
          seen.push(args);
          return { country: "France", at: new Date(0) };
        },
      },
    });
    assert.equal(result.ok, true);
    assert.deepEqual(seen, [{ city: "Paris" }]);
    assert.equal(result.output, "France");
    assert.deepEqual(result.finalAnswer, { value: { country: "France", at: "1970-01-01T00:00:00.000Z" } });
    assert.deepEqual(result.calls, [{ name: "lookup", args: { city: "Paris" }, result: { country: "France", at: "1970-01-01T00:00:00.000Z" } }]);
  });

  it("runs host calls started together concurrently", async () => {
    let active = 0;
    let maxActive = 0;
    let bothStarted!: () => void;
    const gate = new Promise<void>((resolve) => (bothStarted = resolve));
    const slow = async (): Promise<string> => {
      active++;
      maxActive = Math.max(maxActive, active);
      if (active === 2) bothStarted();
      await Promise.race([gate, new Promise((resolve) => setTimeout(resolve, 5_000))]); // the timeout only guards against a hang
      active--;
      return "done";
    };
    const result = await sandbox.run("const r = await Promise.all([a({}), b({})]); finalAnswer(r)", { functions: { a: slow, b: slow } });
    assert.deepEqual(result.finalAnswer, { value: ["done", "done"] });
    assert.equal(maxActive, 2);
  });

  it("gives a host function's error to the code, which can catch it", async () => {
    const result = await sandbox.run("try { await broken({}) } catch (e) { console.log('caught:', e.message) } await broken({})", {
      functions: { broken: () => { throw new Error("disk on fire"); } },
    });
    assert.equal(result.ok, false);
    assert.equal(result.output, "caught: disk on fire");
    assert.equal(result.error?.kind, "exception");
    assert.match(result.error?.message ?? "", /disk on fire/);
    assert.equal(result.calls[0]?.error, "disk on fire");
  });

  it("keeps finalAnswer when the code throws right after it", async () => {
    const result = await sandbox.run("finalAnswer({ done: true }); throw new Error('after the answer')");
    assert.equal(result.ok, true);
    assert.deepEqual(result.finalAnswer, { value: { done: true } });
  });

  it("stops at finalAnswer even if code keeps looping", async () => {
    const result = await sandbox.run("finalAnswer('early'); while (true) {}");
    assert.equal(result.ok, true);
    assert.deepEqual(result.finalAnswer, { value: "early" });
  });

  it("leaves nothing behind: 60 runs that each keep 1 MiB alive never add up against a 16 MiB limit", async () => {
    for (let i = 0; i < 60; i++) {
      const result = await sandbox.run(`globalThis.keep = 'k'.repeat(1024 * 1024); globalThis.n = (globalThis.n ?? 0) + 1; finalAnswer(n)`);
      assert.equal(result.ok, true, `run ${i}: ${result.error?.message}`);
      assert.deepEqual(result.finalAnswer, { value: 1 }, "no state survives from an earlier run");
    }
  });

  it("bounds printed output", async () => {
    const small = new Sandbox({ maxOutputChars: 50 });
    const result = await small.run("for (let i = 0; i < 1000; i++) console.log('line ' + i)");
    assert.equal(result.ok, true);
    assert.ok(result.output.startsWith("line 0\nline 1\n"));
    assert.match(result.output, /\[output truncated: \d+ more characters/);
    assert.ok(result.output.length < 200);
  });

  it("reports syntax errors and thrown values", async () => {
    const syntax = await sandbox.run("let = = 3");
    assert.equal(syntax.error?.name, "SyntaxError");
    const thrown = await sandbox.run("throw new TypeError('bad input')");
    assert.equal(thrown.error?.message, "TypeError: bad input");
  });

  it("rejects invalid limits and function names with InvalidRequestError", async () => {
    assert.throws(() => new Sandbox({ timeoutMs: -1 }), InvalidRequestError);
    assert.throws(() => new Sandbox({ maxStackBytes: 10 * 1024 * 1024 }), InvalidRequestError);
    await assert.rejects(sandbox.run("1", { functions: { "not a name": () => 1 } }), InvalidRequestError);
  });
});

describe("Sandbox: hostile code fails safely and the host keeps working", () => {
  const cases: Array<{ title: string; code: string; kind: string; message: RegExp }> = [
    { title: "reading a file with require('fs')", code: "const fs = require('fs'); finalAnswer(fs.readFileSync('/etc/passwd', 'utf8'))", kind: "exception", message: /require.*not defined.*no require\/import, process, file system/ },
    { title: "reading a file with dynamic import", code: "const fs = await import('fs'); finalAnswer(fs.readFileSync('/etc/passwd', 'utf8'))", kind: "exception", message: /could not load module 'fs'/ },
    { title: "a static import", code: "import { readFileSync } from 'node:fs';\nfinalAnswer(readFileSync('/etc/passwd'))", kind: "exception", message: /SyntaxError.*import\/export statements are not available/ },
    { title: "process.exit", code: "process.exit(1)", kind: "exception", message: /'process' is not defined.*no process object/ },
    { title: "require('child_process')", code: "require('child_process').execSync('id')", kind: "exception", message: /'require' is not defined/ },
    { title: "fetch", code: "await fetch('http://127.0.0.1:1/')", kind: "exception", message: /'fetch' is not defined.*no network access/ },
    { title: "setTimeout that would fire after the run", code: "setTimeout(() => finalAnswer('late'), 10)", kind: "exception", message: /'setTimeout' is not defined.*no timers/ },
    { title: "reaching the host through the Function constructor", code: "const P = (function () {}).constructor('return process')(); P.exit(1)", kind: "exception", message: /'process' is not defined/ },
    { title: "using the bridge functions directly", code: "__minionCall('x', '{}')", kind: "exception", message: /'__minionCall' is not defined/ },
    { title: "a promise that never settles", code: "await new Promise(() => {})", kind: "stuck", message: /can never settle/ },
    { title: "unbounded recursion", code: "function f(n) { return f(n + 1) + 1 } f(0)", kind: "stack", message: /stack overflow/ },
  ];
  for (const { title, code, kind, message } of cases) {
    it(`${title}: the run ends with a clear error`, async () => {
      const result = await sandbox.run(code);
      assert.equal(result.ok, false);
      assert.equal(result.finalAnswer, undefined);
      assert.equal(result.error?.kind, kind, result.error?.message);
      assert.match(result.error?.message ?? "", message);
      await assertStillAnswers();
    });
  }

  it("while(true){} is stopped by the time limit", async () => {
    const result = await sandbox.run("while (true) {}", { timeoutMs: 300 });
    assert.equal(result.ok, false);
    assert.equal(result.error?.kind, "timeout");
    assert.match(result.error?.message ?? "", /time limit of 300 ms/);
    await assertStillAnswers();
  });

  it("an endless loop in promise jobs is stopped by the time limit", async () => {
    const result = await sandbox.run("for (;;) await null", { timeoutMs: 300 });
    assert.equal(result.error?.kind, "timeout");
    await assertStillAnswers();
  });

  it("a tool call still pending at the time limit is abandoned and its signal fires", async () => {
    let aborted = false;
    const result = await sandbox.run("await hang({})", {
      timeoutMs: 300,
      functions: { hang: (_args, { signal }) => new Promise((resolve) => signal.addEventListener("abort", () => { aborted = true; resolve("too late"); })) },
    });
    assert.equal(result.error?.kind, "timeout");
    assert.equal(aborted, true);
    await assertStillAnswers();
  });

  const bombs: Array<[string, string]> = [
    ["many small objects", "const a = []; while (true) a.push({ n: a.length })"],
    ["many strings", "const a = []; while (true) a.push('x'.repeat(1000) + a.length)"],
    ["large arrays", "const a = []; while (true) a.push(new Array(100000).fill(1))"],
    ["one huge array", "const a = new Array(1e8).fill(0); finalAnswer(a.length)"],
  ];
  for (const [title, code] of bombs) {
    it(`allocating until memory runs out (${title}) is stopped by the memory limit`, async () => {
      const result = await sandbox.run(code, { timeoutMs: 60_000 });
      assert.equal(result.ok, false);
      assert.equal(result.error?.kind, "memory", result.error?.message);
      assert.match(result.error?.message ?? "", /memory limit of 16 MiB/);
      await assertStillAnswers();
    });
  }

  it("concurrent runs each get their own memory: two runs holding 50 MiB each under a 64 MiB limit both succeed", async () => {
    const roomy = new Sandbox({ memoryLimitBytes: 64 * 1024 * 1024, timeoutMs: 30_000 });
    let release!: (value: string) => void;
    const gate = new Promise<string>((resolve) => (release = resolve));
    let second: Promise<Awaited<ReturnType<Sandbox["run"]>>> | undefined;
    const first = roomy.run("const s = 'x'.repeat(50 * 1024 * 1024); await hold({}); finalAnswer(s.length)", {
      functions: {
        hold: () => {
          second = roomy.run("const s = 'y'.repeat(50 * 1024 * 1024); finalAnswer(s.length)");
          void second.then(() => release("go"));
          return gate;
        },
      },
    });
    const a = await first;
    const b = await second!;
    assert.equal(b.ok, true, b.error?.message);
    assert.deepEqual(b.finalAnswer, { value: 50 * 1024 * 1024 });
    assert.equal(a.ok, true, a.error?.message);
    assert.deepEqual(a.finalAnswer, { value: 50 * 1024 * 1024 });
  });

  it("prototype pollution through values passed in stays inside the sandbox", async () => {
    const input = { user: { name: "ada" } };
    const result = await sandbox.run(
      [
        "input.user.__proto__.polluted = 'yes';",
        "Object.prototype.polluted2 = 'yes';",
        "input.constructor.prototype.polluted3 = 'yes';",
        "input.user.name = 'mallory';",
        "const back = await echo(JSON.parse('{\"__proto__\": {\"polluted4\": \"yes\"}, \"ok\": 1}'));",
        "finalAnswer(JSON.parse('{\"__proto__\": {\"polluted5\": \"yes\"}, \"name\": \"' + input.user.name + '\"}'));",
      ].join("\n"),
      { globals: { input }, functions: { echo: (args) => args } },
    );
    assert.equal(result.ok, true, result.error?.message);
    const probe: Record<string, unknown> = {};
    for (const key of ["polluted", "polluted2", "polluted3", "polluted4", "polluted5"]) {
      assert.equal(probe[key], undefined, `host Object.prototype.${key} must stay clean`);
      assert.equal(Object.prototype.hasOwnProperty.call(Object.prototype, key), false);
    }
    assert.deepEqual(input, { user: { name: "ada" } }, "the host object is untouched (the sandbox got a copy)");
    assert.deepEqual(result.finalAnswer, { value: { name: "mallory" } });
    assert.equal(Object.getPrototypeOf(result.finalAnswer?.value), Object.prototype);
    await assertStillAnswers();
  });

  it("an error with a looping getter cannot hang the host", async () => {
    const result = await sandbox.run("throw { get message() { while (true) {} }, name: 'Evil' }", { timeoutMs: 300 });
    assert.equal(result.ok, false);
    assert.equal(result.error?.kind, "timeout");
    await assertStillAnswers();
  });

  it("an AbortSignal stops a run waiting on a host call", async () => {
    const controller = new AbortController();
    const result = await sandbox.run("await wait({}); finalAnswer('never')", {
      timeoutMs: 60_000,
      signal: controller.signal,
      functions: { wait: () => { setImmediate(() => controller.abort()); return new Promise(() => {}); } },
    });
    assert.equal(result.error?.kind, "aborted");
    assert.equal(result.finalAnswer, undefined);
    await assertStillAnswers();
  });

  it("an already aborted signal stops the run before it starts", async () => {
    const result = await sandbox.run("finalAnswer(1)", { signal: AbortSignal.abort() });
    assert.equal(result.error?.kind, "aborted");
  });
});
