import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { checkTargets, targetLines, type TargetCheck } from "../../../bench/lib/targets.js";
import { row, rowsWithRatios, scaleResult, summary } from "./fixtures.js";

const SDK_STREAM = "sdk.InvokeModelWithResponseStream";
const MINION = "minion.generateStream";

function find(checks: TargetCheck[], text: string): TargetCheck {
  const found = checks.filter((c) => c.target.includes(text));
  assert.equal(found.length, 1, `expected one check matching "${text}", got ${JSON.stringify(checks)}`);
  return found[0]!;
}

describe("checkTargets", () => {
  it("reports all targets met for a run where minion wins everywhere", () => {
    const rows = rowsWithRatios(
      row(SDK_STREAM, 1),
      row(MINION, 1, { addedFirstToken: summary(0.4) }),
      row(SDK_STREAM, 100, { cpuPerRequestUs: 200 }),
      row(MINION, 100, { cpuPerRequestUs: 100 }),
      row("ai-sdk.streamText", 100, { cpuPerRequestUs: 300 }),
      row("langchain.stream", 100, { cpuPerRequestUs: 250 }),
      row("anthropic.messages.stream", 100, { cpuPerRequestUs: 400 }),
      row(SDK_STREAM, 1000, { throughput: 700 }),
      row(MINION, 1000, { throughput: 900 }),
      row("ai-sdk.streamText", 1000, { throughput: 800 }),
      row("langchain.stream", 1000, { throughput: 850 }),
    );
    const checks = checkTargets(rows, [scaleResult("minion-uncapped.generateStream"), scaleResult(SDK_STREAM, { errors: 5 })]);
    assert.equal(checks.length, 6); // issue 6 targets and the scale run's memory per stream (issue 18)
    assert.deepEqual(find(checks, "<= 0.8x raw SDK"), {
      target: "CPU per streamed request at concurrency 100 <= 0.8x raw SDK defaults",
      measured: `100 µs = 0.50x ${SDK_STREAM}`,
      met: true,
    });
    assert.deepEqual(find(checks, "below every peer"), {
      target: "CPU per streamed request at concurrency 100 below every peer library",
      measured: "minion 100 µs vs lowest peer 250 µs",
      met: true,
    });
    assert.deepEqual(find(checks, "throughput at concurrency 1,000"), {
      target: "throughput at concurrency 1,000 above every peer library",
      measured: "minion 900 req/s vs best peer 850 req/s",
      met: true,
    });
    assert.deepEqual(find(checks, "first token"), {
      target: "added latency to first token at concurrency 1 < 1 ms p50",
      measured: "0.40 ms",
      met: true,
    });
    // Only minion's scale runs are targets; the raw SDK's errors are not minion's target.
    assert.deepEqual(find(checks, "concurrent streams"), {
      target: "10,000 concurrent streams (minion-uncapped.generateStream) complete with no errors",
      measured: "10000 ok, 0 errors; RSS slope 116.4 KB/stream (r² 0.999)",
      met: true,
    });
  });

  it("reports each target missed when minion loses", () => {
    const rows = rowsWithRatios(
      row(MINION, 1, { addedFirstToken: summary(1.2) }),
      row(SDK_STREAM, 100, { cpuPerRequestUs: 200 }),
      row(MINION, 100, { cpuPerRequestUs: 180 }),
      row("langchain.stream", 100, { cpuPerRequestUs: 150 }),
      row(MINION, 1000, { throughput: 900 }),
      row("anthropic.messages.stream", 1000, { throughput: 950 }),
    );
    const checks = checkTargets(rows, [scaleResult("minion-uncapped.generateStream", { ok: 9990, errors: 10 })]);
    assert.deepEqual(
      checks.map((c) => c.met),
      [false, false, false, false, false, false],
    );
    assert.equal(find(checks, "<= 0.8x").measured, `180 µs = 0.90x ${SDK_STREAM}`);
    assert.equal(find(checks, "below every peer").measured, "minion 180 µs vs lowest peer 150 µs");
    assert.equal(find(checks, "first token").measured, "1.20 ms");
    assert.match(find(checks, "concurrent streams").measured, /^9990 ok, 10 errors;/);
  });

  it("treats ties as missed (the targets are strict: below / above)", () => {
    const rows = rowsWithRatios(
      row(SDK_STREAM, 100, { cpuPerRequestUs: 125 }),
      row(MINION, 100, { cpuPerRequestUs: 100 }),
      row("ai-sdk.streamText", 100, { cpuPerRequestUs: 100 }),
      row(MINION, 1000, { throughput: 900 }),
      row("ai-sdk.streamText", 1000, { throughput: 900 }),
      row(MINION, 1, { addedFirstToken: summary(1) }),
    );
    const checks = checkTargets(rows, []);
    assert.equal(find(checks, "<= 0.8x").met, true); // exactly 0.8x is allowed
    assert.equal(find(checks, "below every peer").met, false);
    assert.equal(find(checks, "throughput").met, false);
    assert.equal(find(checks, "first token").met, false);
  });

  it("says unknown (null) when the baseline or the peers are missing", () => {
    const rows = rowsWithRatios(row(MINION, 100, { cpuPerRequestUs: 100 }), row(MINION, 1000));
    const checks = checkTargets(rows, []);
    assert.equal(find(checks, "<= 0.8x").met, null);
    assert.deepEqual(find(checks, "below every peer"), {
      target: "CPU per streamed request at concurrency 100 below every peer library",
      measured: "no peer measured",
      met: null,
    });
    assert.deepEqual(find(checks, "throughput"), {
      target: "throughput at concurrency 1,000 above every peer library",
      measured: "no peer measured",
      met: null,
    });
  });

  it("ignores non-streamed peers, the raw SDK and rows that completed no request", () => {
    const rows = rowsWithRatios(
      row(SDK_STREAM, 100, { cpuPerRequestUs: 50 }),
      row(MINION, 100, { cpuPerRequestUs: 100 }),
      row("ai-sdk.generateText", 100, { cpuPerRequestUs: 10 }), // not streamed
      row("langchain.stream", 100, { cpuPerRequestUs: 1, ok: 0, errors: 100 }), // every request failed
      row("anthropic.messages.stream", 100, { cpuPerRequestUs: 120 }),
    );
    const peer = find(checkTargets(rows, []), "below every peer");
    assert.equal(peer.measured, "minion 100 µs vs lowest peer 120 µs");
    assert.equal(peer.met, true);
  });

  it("skips a level's targets when minion's row is missing or failed entirely", () => {
    const rows = rowsWithRatios(
      row(SDK_STREAM, 100),
      row(MINION, 100, { ok: 0, errors: 100 }),
      row("ai-sdk.streamText", 1000),
      row("minion.generate", 1000), // not the streamed client the targets are about
      row(MINION, 1, { addedFirstToken: null }),
    );
    assert.deepEqual(checkTargets(rows, []), []);
    assert.deepEqual(checkTargets([], []), []);
  });
});

describe("targetLines", () => {
  it("marks met, missed and unknown checks", () => {
    assert.deepEqual(
      targetLines([
        { target: "a", measured: "1", met: true },
        { target: "b", measured: "2", met: false },
        { target: "c", measured: "3", met: null },
      ]),
      ["[met] a: 1", "[MISSED] b: 2", "[ ? ] c: 3"],
    );
  });
});
