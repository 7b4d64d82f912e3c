/**
 * Issue 11, part 3 under load: thousands of tool calls from model code (1,500 of 1 MiB, 200,000 small ones) stay
 * within the caps, keep the host's RSS bounded and end in time. Moved from
 * test/brain/sandbox/issue-11-reproductions.test.ts, which keeps the cheap cases of part 3: these take seconds
 * of CPU each and carry wall-clock bounds, so they run with the soak tests rather than in `npm test`.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { Sandbox } from "../src/brain/sandbox/quickjs-sandbox.js";
import { countedEcho, settledRssMiB, timed } from "../test/brain/sandbox/host-watch.js";

describe("issue 11, part 3 under load: model code cannot make the host do unbounded work", () => {
  it("1,500 calls with a 1 MiB argument and maxToolBytes raised to 2 MiB: at most 8 calls run at once, at most 100 in all, RSS stays bounded", async () => {
    const sandbox = new Sandbox({ timeoutMs: 5000, maxToolBytes: 2 * 1024 * 1024 });
    const { stats, echo } = countedEcho(50);
    const before = await settledRssMiB();
    const { value: result, ms } = await timed(() =>
      sandbox.run("const big = 'x'.repeat(1 << 20); const all = []; for (let i = 0; i < 1500; i++) all.push(echo({ big })); await Promise.all(all); finalAnswer(1)", { functions: { echo } }),
    );
    const growth = (await settledRssMiB()) - before;
    assert.equal(result.ok, false);
    // Which limit ends it first depends on the machine's speed: 1,500 JSON copies of 1 MiB are slow to make.
    assert.ok(["tool_calls", "memory", "timeout"].includes(result.error?.kind ?? ""), result.error?.message);
    assert.ok(stats.maxInFlight <= 8, `${stats.maxInFlight} calls ran at once`);
    assert.ok(stats.total <= 100, `${stats.total} calls reached the host`);
    assert.ok(ms < 5000 + 500, `ended after ${ms.toFixed(0)} ms`);
    assert.ok(growth < 400, `host RSS grew by ${growth.toFixed(0)} MiB (2.7 GB before the fix)`);
  });

  it("200,000 calls started in a loop: at most 8 reach the host at once and the run ends with a typed error", async () => {
    const sandbox = new Sandbox({ timeoutMs: 3000 });
    const { stats, echo } = countedEcho(1);
    const result = await sandbox.run("for (let i = 0; i < 200000; i++) echo({ i }); await echo({})", { functions: { echo } });
    assert.equal(result.ok, false);
    assert.ok(["tool_calls", "memory", "timeout"].includes(result.error?.kind ?? ""), result.error?.message);
    assert.ok(stats.maxInFlight <= 8, `${stats.maxInFlight} calls ran at once (55,829 before the fix)`);
    assert.ok(stats.total <= 100);
  });
});
