/**
 * Issue 11, part 2: native work the QuickJS interrupt never reaches (slow indexOf, sort, promise-job storms) is
 * cut off at the time limit, and the host's event loop keeps ticking meanwhile. The bounds are generous upper
 * bounds against hangs (the bugs were stalls of 7 s to 258 s), but they are still wall-clock bounds, so they run
 * with the soak tests rather than in the shared `npm test` loop.
 */
import { before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { Sandbox } from "../src/brain/sandbox/quickjs-sandbox.js";
import { watchEventLoop } from "../test/brain/sandbox/host-watch.js";

async function timed<T>(work: () => Promise<T>): Promise<{ value: T; ms: number; maxGap: number }> {
  const loop = watchEventLoop();
  const start = performance.now();
  const value = await work();
  return { value, ms: performance.now() - start, maxGap: loop.stop() };
}

async function assertStillAnswers(sandbox: Sandbox): Promise<void> {
  const after = await sandbox.run("console.log('alive'); finalAnswer(6 * 7)");
  assert.equal(after.ok, true, JSON.stringify(after.error));
  assert.deepEqual(after.finalAnswer, { value: 42 });
}

describe("issue 11, part 2: native work the interrupt never reaches is cut off at the time limit", () => {
  const sandbox = new Sandbox({ timeoutMs: 1000 });
  before(() => sandbox.warm(2));
  const programs: Array<[string, string]> = [
    ["one slow indexOf (7.2 s before)", "const s = 'a'.repeat(4 << 20), n = 'a'.repeat(2000) + 'b'; s.indexOf(n)"],
    ["a loop of slow indexOf calls (258 s before)", "const s = 'a'.repeat(4 << 20), n = 'a'.repeat(2000) + 'b'; for (let i = 0; i < 100; i++) s.indexOf(n)"],
    ["a large sort", "const a = []; for (let i = 0; i < 2e6; i++) a.push((i * 7919) % 1000003); for (;;) a.sort()"],
    ["a promise-job storm", "for (;;) { for (let i = 0; i < 1e5; i++) Promise.resolve(i).then((v) => v + 1); await null }"],
  ];
  for (const [title, code] of programs) {
    it(`${title}: ends within the limit + 500 ms, and the host's event loop keeps ticking`, async () => {
      const { value: result, ms, maxGap } = await timed(() => sandbox.run(code));
      assert.equal(result.ok, false);
      assert.ok(result.error?.kind === "timeout" || result.error?.kind === "memory", result.error?.message);
      assert.ok(ms < 1000 + 500, `ended after ${ms.toFixed(0)} ms`);
      assert.ok(maxGap < 250, `the host's event loop stalled for ${maxGap.toFixed(0)} ms`);
      await assertStillAnswers(sandbox);
    });
  }
});
