/**
 * A corpus of hostile programs (issue 11): loops inside every host callback, slow native operations, floods,
 * growth, recursion, never-settling promises and wrapper escapes. Each must end with an error (never a
 * finalAnswer) within timeoutMs + 500 ms; the host's event loop must keep ticking; the host's RSS must stay
 * bounded; and the run after each one must answer. Two lanes run at once, like two concurrent Brain steps.
 * The time bounds are generous upper bounds against hangs (the bugs were hangs of seconds to minutes).
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { Sandbox } from "../src/brain/sandbox/quickjs-sandbox.js";
import { mapLimited } from "../src/brain/map-limited.js";
import type { HostFunction } from "../src/brain/sandbox/sandbox-types.js";
import { settledRssMiB, watchEventLoop } from "../test/brain/sandbox/host-watch.js";

const LOOP = "for (;;) {}";

const CORPUS: Array<[category: string, code: string]> = [
  // Loops inside every host callback: console, print, finalAnswer, tool arguments, error reporting, awaiting results.
  ["callback", "Array.prototype.join = () => ({ toString() { for (;;) {} } }); for (;;) console.log();"],
  ["callback", `console.log({ toJSON() { ${LOOP} } })`],
  ["callback", `console.log({ get a() { ${LOOP} } })`],
  ["callback", `console.log(new Proxy({}, { get() { ${LOOP} } }))`],
  ["callback", `console.log(new Proxy({}, { ownKeys() { ${LOOP} } }))`],
  ["callback", `print({ toJSON() { ${LOOP} } })`],
  ["callback", `console.error({ toString() { ${LOOP} }, message: "m", name: "n" })`],
  ["callback", `finalAnswer({ toJSON() { ${LOOP} } })`],
  ["callback", `finalAnswer({ get a() { ${LOOP} } })`],
  ["callback", `await echo({ toJSON() { ${LOOP} } })`],
  ["callback", `await echo({ get a() { ${LOOP} } })`],
  ["callback", `await echo([1, 2, { get a() { ${LOOP} } }])`],
  ["callback", `throw { get name() { ${LOOP} } }`],
  ["callback", `throw { get message() { ${LOOP} } }`],
  ["callback", `throw { toString() { ${LOOP} } }`],
  ["callback", `Object.defineProperty(Error.prototype, "name", { get() { ${LOOP} } }); null.x`],
  ["callback", `Object.defineProperty(Error.prototype, "message", { get() { ${LOOP} } }); throw new Error("x")`],
  ["callback", `JSON.stringify = () => { ${LOOP} }; console.log({ a: 1 }); await echo({ b: 2 }); throw new Error("end")`],
  ["callback", `Promise.prototype.then = function () { ${LOOP} }; await echo({}); await Promise.all([echo({})])`],
  ["callback", `Object.defineProperty(Object.prototype, "then", { get() { ${LOOP} } }); await echo({})`],
  ["callback", `Object.defineProperty(Array.prototype, "0", { set() { ${LOOP} } }); await Promise.all(Array.from({ length: 20 }, () => echo({}))); ${LOOP}`],
  ["callback", `Object.defineProperty(Object.prototype, "__proto__", { get() { ${LOOP} } }); await echo({}); ${LOOP}`],
  ["callback", "Array.prototype[Symbol.iterator] = function* () { for (;;) yield 1 }; console.log(...[1])"],
  ["callback", `String.prototype.slice = () => { ${LOOP} }; throw "x".repeat(100000)`],
  // Slow native operations the interrupt handler never sees.
  ["native", "const s = 'a'.repeat(4 << 20), n = 'a'.repeat(2000) + 'b'; s.indexOf(n)"],
  ["native", "const s = 'a'.repeat(4 << 20), n = 'a'.repeat(2000) + 'b'; for (;;) s.includes(n)"],
  ["native", "const a = []; for (let i = 0; i < 5e5; i++) a.push((i * 7919) % 1000003); for (;;) a.sort()"],
  ["native", "for (;;) /^(a+)+$/.test('a'.repeat(40) + 'b')"],
  ["native", "for (;;) (7n ** 200000n).toString()"],
  ["native", "const s = 'ab'.repeat(1 << 20); for (;;) s.replaceAll('a', 'cc').length"],
  ["native", "for (;;) JSON.parse(JSON.stringify(Array.from({ length: 2e5 }, (_, i) => ({ i }))))"],
  ["native", "'x'.repeat(2 ** 28)"],
  // Floods of output, tool calls, promise jobs.
  ["flood", "for (;;) console.log('x'.repeat(1000))"],
  ["flood", "for (;;) print()"],
  ["flood", "for (;;) { try { finalAnswer(1n) } catch {} }"],
  ["flood", "for (;;) echo({})"],
  ["flood", "for (;;) await echo({})"],
  ["flood", "for (;;) { try { await bigint({}) } catch {} }"],
  ["flood", "for (;;) { try { await circular({}) } catch {} }"],
  ["flood", "for (;;) await null"],
  ["flood", "for (;;) Promise.resolve().then(() => {})"],
  ["flood", "await Promise.all(Array.from({ length: 1000 }, () => hang({})))"],
  ["flood", "const big = 'x'.repeat(1 << 20); for (let i = 0; i < 1500; i++) echo({ big }); finalAnswer(1)"],
  // Growth.
  ["growth", "const a = []; for (;;) a.push({ n: a.length })"],
  ["growth", "const m = new Map(); for (let i = 0; ; i++) m.set(i, 'v' + i)"],
  ["growth", "const o = {}; for (let i = 0; ; i++) o['k' + i] = i"],
  ["growth", "let f = () => 0; for (;;) { const g = f; f = () => g() + 1 }"],
  ["growth", "const a = []; for (;;) a.push(new Uint8Array(1 << 20))"],
  ["growth", "const a = []; for (;;) a.push('x'.repeat(1e5) + a.length)"],
  ["growth", "let s = 'x'; for (;;) s += s"],
  ["growth", "const a = new Array(1e8).fill(0); finalAnswer(a.length)"],
  // Recursion.
  ["recursion", "function f() { return f() + 1 } f()"],
  ["recursion", "function a(n) { return b(n + 1) } function b(n) { return a(n + 1) } a(0)"],
  ["recursion", "const o = {}; o.toString = () => String(o); String(o)"],
  ["recursion", "const p = new Proxy({}, { get: (t, k) => p[k] }); p.x"],
  ["recursion", "function f() { try { f() } catch { f() } } f()"],
  ["recursion", "async function f() { await null; return f() } await f()"],
  ["recursion", "let o = {}; for (let i = 0; i < 1e5; i++) o = { o }; JSON.stringify(o)"],
  // Promises that never settle.
  ["never", "await new Promise(() => {})"],
  ["never", "await hang({})"],
  ["never", "await Promise.race([new Promise(() => {}), hang({})])"],
  ["never", "await { then() {} }"],
  ["never", "await new Promise((resolve) => { globalThis.keep = resolve })"],
  // Wrapper escapes.
  ["escape", "})(), (() => { return 5;"],
  ["escape", "}); for (;;) {} (async () => {"],
  ["escape", "})(); (() => {"],
  ["escape", `}); throw { get message() { ${LOOP} } }; (async () => {`],
  ["escape", "}), 1; for (;;) console.log('x'); (async () => {"],
];

const TIMEOUT_MS = 400;

const circular: Record<string, unknown> = {};
circular.self = circular;
const functions: Record<string, HostFunction> = {
  echo: async (args) => args,
  hang: (_args, { signal }) => new Promise((resolve) => signal.addEventListener("abort", () => resolve("late"))),
  bigint: () => 10n,
  circular: () => circular,
};

describe("Sandbox: a corpus of hostile programs", () => {
  it(`${CORPUS.length} hostile programs each end soon after timeoutMs, the host stays responsive with bounded RSS, and the next run answers`, async (t) => {
    assert.ok(CORPUS.length >= 50);
    const sandbox = new Sandbox({ timeoutMs: TIMEOUT_MS, memoryLimitBytes: 16 * 1024 * 1024 });
    // The check after each program: does the pool still answer? (Generous time: a fresh thread may be starting.)
    const check = new Sandbox({ timeoutMs: 20_000, memoryLimitBytes: 16 * 1024 * 1024 });
    await sandbox.warm(2);
    const rssBefore = await settledRssMiB();
    const loop = watchEventLoop();
    const problems: string[] = [];
    await mapLimited(CORPUS, 2, async ([category, code]) => {
      // The bound is on the run, not on starting a thread on this shared machine: begin with warm workers.
      await sandbox.warm(2);
      const start = performance.now();
      const result = await sandbox.run(code, { functions });
      const ms = performance.now() - start;
      const label = `[${category}] ${code.slice(0, 70)}`;
      // The worker is killed at timeoutMs + 200 ms. Alone these runs end within timeoutMs + 500 ms; under the full
      // parallel suite on 2 shared cores one took 914 ms, so the bound leaves room for a starved host thread.
      if (ms > TIMEOUT_MS + 1000) problems.push(`${label}: took ${ms.toFixed(0)} ms`);
      if (result.ok || result.finalAnswer !== undefined) problems.push(`${label}: ended without an error (${JSON.stringify(result).slice(0, 200)})`);
      if (result.error?.kind === "engine") problems.push(`${label}: engine failure: ${result.error.message}`);
      const next = await check.run("finalAnswer(6 * 7)");
      if (next.finalAnswer?.value !== 42) problems.push(`${label}: the next run did not answer: ${JSON.stringify(next.error)}`);
    });
    const maxGap = loop.stop();
    const growth = (await settledRssMiB()) - rssBefore;
    t.diagnostic(`longest event-loop gap ${maxGap.toFixed(0)} ms; host RSS growth ${growth.toFixed(0)} MiB`);
    assert.deepEqual(problems, []);
    // A guest running on the host thread would stall it for at least TIMEOUT_MS per program; under a loaded
    // 2-core machine a starved but free host thread was seen to pause for 271 ms, so the bound is TIMEOUT_MS.
    assert.ok(maxGap < TIMEOUT_MS, `the host's event loop stalled for ${maxGap.toFixed(0)} ms`);
    assert.ok(growth < 300, `host RSS grew by ${growth.toFixed(0)} MiB`);
  });
});
