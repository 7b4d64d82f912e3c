import assert from "node:assert/strict";
import { appendFileSync, existsSync, readFileSync, writeFileSync } from "node:fs";
import { after, afterEach, before, beforeEach, describe, it } from "node:test";
import { runBatch, type BatchProgress } from "../../src/batch/index.js";
import { BatchInputError, BatchOutputError } from "../../src/batch/batch-errors.js";
import { startEmulator, type Emulator } from "../../src/emulator/index.js";
import type { LlmProvider } from "../../src/providers/llm-provider.js";
import { InvalidRequestError } from "../../src/schema/errors.js";
import { emulatorProvider, idCounts, inputLine, instantProvider, readRecords, tempDir, writeInput } from "./batch-fixture.js";

describe("runBatch against the emulator", () => {
  let emulator: Emulator;
  let provider: LlmProvider;
  let files: ReturnType<typeof tempDir>;
  before(async () => {
    emulator = await startEmulator({ port: 0 });
    provider = emulatorProvider(emulator);
  });
  after(async () => {
    await provider.close();
    await emulator.close();
  });
  beforeEach(() => {
    files = tempDir();
    emulator.clearRequests();
  });
  afterEach(() => files.cleanup());

  it("answers every request once, with text, usage and cost, and forwards per-line call options", async () => {
    const ids = writeInput(files.path("in.jsonl"), 30, { temperature: 0.25, max_tokens: 77 });
    const summary = await runBatch({ input: files.path("in.jsonl"), output: files.path("out.jsonl"), provider, concurrency: 4, progressStream: null });
    const records = readRecords(files.path("out.jsonl"));
    assert.deepEqual([...idCounts(records).keys()].sort(), [...ids].sort());
    const first = records.find((record) => record["id"] === "q7")!;
    assert.equal(first["output"], "Hello! I am the minion-ts emulator's built-in model. You said: question 7");
    const usage = first["usage"] as { prompt_tokens: number; completion_tokens: number };
    assert.ok(usage.prompt_tokens > 0 && usage.completion_tokens > 0);
    // Claude 3.5 Haiku: $0.80 / $4.00 per million tokens
    assert.ok(Math.abs((first["cost"] as number) - (usage.prompt_tokens * 0.8 + usage.completion_tokens * 4) / 1e6) < 1e-12);
    assert.equal(emulator.requests.length, 30);
    const body = emulator.requests[0]!.body as { temperature: number; max_tokens: number };
    assert.equal(body.temperature, 0.25);
    assert.equal(body.max_tokens, 77);
    assert.equal(summary.succeeded, 30);
    assert.equal(summary.failed, 0);
    assert.equal(summary.total, 30);
    assert.ok(Math.abs(summary.cost - records.reduce((sum, record) => sum + (record["cost"] as number), 0)) < 1e-12);
  });

  it("resumes: skips ids already in the output, cuts a torn last line and runs that request again", async () => {
    writeInput(files.path("in.jsonl"), 10);
    const out = files.path("out.jsonl");
    writeFileSync(out, `${JSON.stringify({ id: "q0", output: "earlier", attempts: 1 })}\n${JSON.stringify({ id: "q1", output: "earlier", attempts: 1 })}\n{"id":"q2","outp`);
    const summary = await runBatch({ input: files.path("in.jsonl"), output: out, provider, progressStream: null });
    const records = readRecords(out);
    assert.equal(records.length, 10);
    assert.ok([...idCounts(records).values()].every((count) => count === 1));
    assert.equal(records[0]!["output"], "earlier");
    assert.equal(emulator.requests.length, 8, "q0 and q1 are not sent again; the torn q2 is");
    assert.equal(summary.skipped, 2);
    assert.equal(summary.tornBytes, '{"id":"q2","outp'.length);
    const again = await runBatch({ input: files.path("in.jsonl"), output: out, provider, progressStream: null });
    assert.equal(again.succeeded, 0);
    assert.equal(emulator.requests.length, 8, "a finished batch sends nothing");
  });

  it("rejects a malformed input before sending anything, naming each bad line", async () => {
    const lines = [
      inputLine("a", "fine"),
      "{not json",
      JSON.stringify({ messages: [{ role: "user", content: "no id" }] }),
      JSON.stringify({ id: "b", messages: [{ role: "user", content: "x" }], temprature: 0.5 }),
      inputLine("a", "duplicate"),
      JSON.stringify({ id: "c", messages: [] }),
    ];
    writeFileSync(files.path("in.jsonl"), lines.join("\n"));
    const error = await runBatch({ input: files.path("in.jsonl"), output: files.path("out.jsonl"), provider, progressStream: null }).then(
      () => assert.fail("expected a BatchInputError"),
      (caught: unknown) => caught,
    );
    assert.ok(error instanceof BatchInputError);
    assert.deepEqual(error.problems.map((problem) => problem.line), [2, 3, 4, 5, 6]);
    assert.match(error.message, /line 2: not valid JSON/);
    assert.match(error.message, /line 3: id: /);
    assert.match(error.message, /line 4: unknown key\(s\) "temprature"/);
    assert.match(error.message, /line 5: duplicate id "a" \(first on line 1\)/);
    assert.match(error.message, /line 6: messages: must hold at least one message/);
    assert.equal(emulator.requests.length, 0);
    assert.equal(existsSync(files.path("out.jsonl")), false);
  });

  it("keeps ids 7 and \"7\" apart, and writes them back as given", async () => {
    writeFileSync(files.path("in.jsonl"), `${inputLine(7, "number")}\n${inputLine("7", "string")}\n`);
    await runBatch({ input: files.path("in.jsonl"), output: files.path("out.jsonl"), provider, progressStream: null });
    const records = readRecords(files.path("out.jsonl"));
    assert.deepEqual(records.map((record) => record["id"]).sort(), [7, "7"].sort());
  });

  it("writes a request the service or the provider rejects as that line's error record, and goes on", async () => {
    const rejecting = await startEmulator({
      port: 0,
      script: { rules: [{ match: { text: "reject me" }, respond: { error: { name: "ValidationException", message: "Input is too odd." } } }] },
    });
    const rejected = emulatorProvider(rejecting);
    try {
      const lines = [inputLine("good", "fine"), inputLine("bad", "reject me"), inputLine("hot", "x", { temperature: 1.5 })];
      writeFileSync(files.path("in.jsonl"), lines.join("\n"));
      const summary = await runBatch({ input: files.path("in.jsonl"), output: files.path("out.jsonl"), provider: rejected, progressStream: null });
      const records = readRecords(files.path("out.jsonl"));
      const errorOf = (id: string) => records.find((record) => record["id"] === id)!["error"];
      assert.deepEqual(errorOf("bad"), {
        name: "BedrockServiceError",
        code: "bedrock_service_error",
        awsName: "ValidationException",
        status: 400,
        retryable: false,
        message: "ValidationException: Input is too odd.",
      });
      assert.deepEqual(errorOf("hot"), {
        name: "InvalidRequestError",
        code: "invalid_request",
        retryable: false,
        message: "temperature must be a number from 0 to 1, got 1.5.",
      });
      assert.equal(records.find((record) => record["id"] === "bad")!["attempts"], 1);
      assert.equal(summary.failed, 2);
      assert.equal(summary.succeeded, 1);
    } finally {
      await rejected.close();
      await rejecting.close();
    }
  });

  it("stops with a BatchInputError when the input gains a bad line during the run, after writing what was in flight", async () => {
    // ~1 MB: readline stops reading ahead after 1,024 unread lines, so the end of the file is read later
    writeInput(files.path("in.jsonl"), 2000, { stop: ["x".repeat(500)] });
    let appended = false;
    // The wire adds nothing to this file-handling case: 2,000 calls through the emulator only cost time.
    const instant = instantProvider();
    await assert.rejects(
      runBatch({
        input: files.path("in.jsonl"),
        output: files.path("out.jsonl"),
        provider: instant,
        concurrency: 2,
        progressStream: null,
        onProgress: () => {
          if (!appended) appendFileSync(files.path("in.jsonl"), "{broken\n");
          appended = true;
        },
      }),
      (error: unknown) => error instanceof BatchInputError && /changed while the batch ran/.test(error.message),
    );
    const records = readRecords(files.path("out.jsonl"));
    assert.equal(records.length, 2000, "every valid line before the bad one was answered and written");
    assert.equal(instant.calls, 2000);
  });

  it("refuses a middle output line it did not write", async () => {
    writeInput(files.path("in.jsonl"), 3);
    writeFileSync(files.path("out.jsonl"), `{"id":"q0"}\ngarbage\n{"id":"q1"}\n`);
    await assert.rejects(runBatch({ input: files.path("in.jsonl"), output: files.path("out.jsonl"), provider, progressStream: null }), (error: unknown) => {
      assert.ok(error instanceof BatchOutputError);
      assert.match(error.message, /Line 2 of the output .* is not valid JSON/);
      return true;
    });
    assert.equal(emulator.requests.length, 0);
  });

  it("checks its options", async () => {
    writeInput(files.path("in.jsonl"), 1);
    const base = { input: files.path("in.jsonl"), output: files.path("out.jsonl"), progressStream: null };
    await assert.rejects(runBatch({ ...base, provider, concurrency: 0 }), InvalidRequestError);
    await assert.rejects(runBatch({ ...base, provider, concurrency: 2.5 }), /concurrency must be a whole number/);
    await assert.rejects(runBatch({ ...base }), /needs a `provider` or a `model`/);
    await assert.rejects(runBatch({ ...base, provider, output: base.input }), /another file than the input/);
  });

  it("stops on abort, writes no record for abandoned requests, and a second run finishes exactly once", async () => {
    const slow = await startEmulator({ port: 0, firstByteLatencyMs: 30, recordRequests: false });
    const slowProvider = emulatorProvider(slow);
    try {
      const ids = writeInput(files.path("in.jsonl"), 60);
      const controller = new AbortController();
      const first = await runBatch({
        input: files.path("in.jsonl"),
        output: files.path("out.jsonl"),
        provider: slowProvider,
        concurrency: 4,
        signal: controller.signal,
        progressStream: null,
        onProgress: (progress) => {
          if (progress.succeeded === 10) controller.abort();
        },
      });
      assert.equal(first.interrupted, true);
      const partial = readRecords(files.path("out.jsonl"));
      assert.ok(partial.length >= 10 && partial.length < 60, `${partial.length} records after the abort`);
      assert.ok(partial.every((record) => record["error"] === undefined), "an abandoned request is not an error record");
      const second = await runBatch({ input: files.path("in.jsonl"), output: files.path("out.jsonl"), provider: slowProvider, concurrency: 4, progressStream: null });
      assert.equal(second.interrupted, false);
      assert.equal(second.skipped, partial.length);
      const records = readRecords(files.path("out.jsonl"));
      assert.deepEqual(records.map((record) => record["id"]).sort(), [...ids].sort());
    } finally {
      await slowProvider.close();
      await slow.close();
    }
  });

  it("halves its concurrency when throttled, sends throttled requests again, and still writes each id once", async () => {
    const throttling = await startEmulator({ port: 0, throttleRate: 0.3, seed: 7, recordRequests: false });
    const throttled = emulatorProvider(throttling, { max_attempts: 1 });
    try {
      const ids = writeInput(files.path("in.jsonl"), 80);
      const seen: BatchProgress[] = [];
      const summary = await runBatch({
        input: files.path("in.jsonl"),
        output: files.path("out.jsonl"),
        provider: throttled,
        concurrency: 16,
        retries: 20,
        retryDelayMs: 1,
        progressStream: null,
        onProgress: (progress) => seen.push(progress),
      });
      const records = readRecords(files.path("out.jsonl"));
      assert.deepEqual(records.map((record) => record["id"]).sort(), [...ids].sort());
      assert.ok(records.every((record) => record["error"] === undefined), "every request got through in the end");
      assert.ok(records.some((record) => (record["attempts"] as number) > 1), "some requests were throttled and sent again");
      assert.ok(Math.min(...seen.map((progress) => progress.concurrency)) <= 8, "the window was cut at least once");
      assert.equal(summary.succeeded, 80);
    } finally {
      await throttled.close();
      await throttling.close();
    }
  });

  it("records a request still throttled after its retries as a retryable ThrottlingException", async () => {
    const always = await startEmulator({ port: 0, throttleRate: 1, recordRequests: false });
    const throttled = emulatorProvider(always, { max_attempts: 1 });
    try {
      writeInput(files.path("in.jsonl"), 2);
      const summary = await runBatch({ input: files.path("in.jsonl"), output: files.path("out.jsonl"), provider: throttled, retries: 2, retryDelayMs: 1, progressStream: null });
      const records = readRecords(files.path("out.jsonl"));
      assert.equal(summary.failed, 2);
      for (const record of records) {
        assert.equal(record["attempts"], 3);
        assert.deepEqual(
          { awsName: (record["error"] as { awsName: string }).awsName, retryable: (record["error"] as { retryable: boolean }).retryable },
          { awsName: "ThrottlingException", retryable: true },
        );
      }
      appendFileSync(files.path("out.jsonl"), "");
      assert.ok(!readFileSync(files.path("out.jsonl"), "utf8").includes("AKIA"), "no credentials in the output");
    } finally {
      await throttled.close();
      await always.close();
    }
  });
});
