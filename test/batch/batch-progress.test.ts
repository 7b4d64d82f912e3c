import assert from "node:assert/strict";
import { PassThrough } from "node:stream";
import { describe, it } from "node:test";
import { createProgressReporter, progressLine, summaryLine, type BatchProgress } from "../../src/batch/batch-progress.js";

const progress: BatchProgress = {
  total: 1000,
  skipped: 100,
  succeeded: 380,
  failed: 20,
  inputTokens: 12_000,
  outputTokens: 34_000,
  cost: 0.1234,
  inFlight: 7,
  concurrency: 8,
  elapsedMs: 40_000,
};

function capture(isTTY: boolean) {
  const stream = Object.assign(new PassThrough(), { isTTY });
  let text = "";
  stream.setEncoding("utf8").on("data", (chunk: string) => (text += chunk));
  return { stream, text: () => text };
}

describe("batch progress", () => {
  it("shows done/total, rate, ETA, failures and running cost", () => {
    // 400 written in 40 s = 10 req/s; 500 left = 50 s
    assert.equal(progressLine(progress), "[##########..........] 500/1000 (50%) 10.0 req/s, ETA 50s, 20 failed, $0.1234, in flight 7/8");
  });

  it("redraws one line in place on a TTY and ends it with the summary", () => {
    const out = capture(true);
    const reporter = createProgressReporter(out.stream);
    reporter.update(progress);
    reporter.update({ ...progress, succeeded: 381 });
    reporter.finish(progress, false);
    assert.equal(out.text(), `\r\x1b[2K${progressLine(progress)}\r\x1b[2K${summaryLine(progress, false)}\n`);
  });

  it("writes plain log lines (no control characters) when not a TTY", () => {
    const out = capture(false);
    const reporter = createProgressReporter(out.stream, 60_000);
    reporter.update(progress);
    reporter.update({ ...progress, succeeded: 381 });
    reporter.finish(progress, true);
    assert.equal(out.text(), `minion batch: ${progressLine(progress)}\n${summaryLine(progress, true)}\n`);
    assert.match(summaryLine(progress, true), /interrupted \(run the same command again to finish\): 380 succeeded, 20 failed, 100 already in the output, of 1000; 12000 input \+ 34000 output tokens; cost \$0\.123400/);
  });
});
