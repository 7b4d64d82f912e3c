/**
 * runBedrockBatch end to end: the emulator's control plane and a real S3-compatible server (s3rver), both on
 * 127.0.0.1, driven through the official @aws-sdk/client-bedrock and @aws-sdk/client-s3.
 */
import assert from "node:assert/strict";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import http from "node:http";
import { inspect } from "node:util";
import { after, afterEach, before, beforeEach, describe, it } from "node:test";
import { DeleteObjectCommand, GetObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { BedrockClient, GetModelInvocationJobCommand, ListTagsForResourceCommand } from "@aws-sdk/client-bedrock";
import { BedrockBatchError, BedrockBatchJobError, BedrockBatchWatchError, runBatch, runBedrockBatch, stopBedrockBatch, type RunBedrockBatchOptions } from "../../src/batch/index.js";
import { BatchInputError } from "../../src/batch/batch-errors.js";
import { EXAMPLE_CREDENTIALS, startEmulator, type Emulator } from "../../src/emulator/index.js";
import { BedrockServiceError } from "../../src/schema/errors.js";
import { awsError, startHostileServer, within } from "../support/hostile-server.js";
import { startS3, type TestS3 } from "../support/s3-server.js";
import { emulatorProvider, idCounts, inputLine, MODEL, readRecords, tempDir, writeInput } from "./batch-fixture.js";

const ROLE = "arn:aws:iam::123456789012:role/BatchRole";

describe("runBedrockBatch against the emulator and s3rver", () => {
  let s3: TestS3;
  let emulator: Emulator;
  let files: ReturnType<typeof tempDir>;

  before(async () => {
    s3 = await startS3();
    emulator = await startEmulator({
      script: {
        rules: [
          { match: { text: "refuse this one" }, respond: { error: { name: "ModelErrorException", message: "The model could not answer this record." } } },
          { match: { text: "NOT-JSON" }, respond: { text: "no idea" } },
        ],
      },
      batch: { s3Endpoint: s3.url, s3Credentials: s3.credentials, statusDelayMs: 30 },
    });
  });
  after(async () => {
    await emulator.close();
    await s3.close();
  });
  beforeEach(() => {
    files = tempDir();
  });
  afterEach(() => files.cleanup());

  function options(extra: Partial<RunBedrockBatchOptions> = {}): RunBedrockBatchOptions {
    return {
      input: files.path("in.jsonl"),
      output: files.path("out.jsonl"),
      model: { api_type: "bedrock_async", model: MODEL, region: "us-east-1", endpoint: emulator.url, access_key_id: EXAMPLE_CREDENTIALS.accessKeyId, secret_access_key: EXAMPLE_CREDENTIALS.secretAccessKey },
      s3: `s3://${s3.bucket}/runs`,
      s3Endpoint: s3.url,
      roleArn: ROLE,
      pollIntervalMs: 5,
      progressStream: null,
      ...extra,
    };
  }

  function jobsNamed(prefix: string): Record<string, unknown>[] {
    return emulator.batchJobs().filter((job) => String(job["jobName"]).startsWith(prefix));
  }

  it("writes the same records as the local runner, priced at half, from one job", async () => {
    const ids = writeInput(files.path("in.jsonl"), 110, { max_tokens: 64, temperature: 0.5 });
    const before = emulator.batchJobs().length;
    const summary = await runBedrockBatch(options());
    assert.equal(emulator.batchJobs().length, before + 1);
    assert.equal(summary.status, "Completed");
    assert.equal(summary.submitted, 110);
    assert.equal(summary.succeeded, 110);
    assert.equal(summary.failed, 0);
    assert.equal(summary.manifest?.totalRecordCount, 110);
    assert.equal(existsSync(`${files.path("out.jsonl")}.bedrock-job.json`), false, "the state file is removed once the results are in");
    const batch = readRecords(files.path("out.jsonl"));
    assert.deepEqual([...idCounts(batch).keys()].sort(), [...ids].sort());

    const provider = emulatorProvider(emulator);
    await runBatch({ input: files.path("in.jsonl"), output: files.path("local.jsonl"), provider, progressStream: null });
    await provider.close();
    const local = new Map(readRecords(files.path("local.jsonl")).map((record) => [record["id"], record]));
    for (const record of batch) {
      const twin = local.get(record["id"])!;
      assert.deepEqual(Object.keys(record).sort(), Object.keys(twin).sort());
      assert.equal(record["output"], twin["output"]);
      assert.deepEqual(record["usage"], twin["usage"]);
      assert.equal(record["finish_reason"], twin["finish_reason"]);
      assert.ok(Math.abs((record["cost"] as number) - (twin["cost"] as number) / 2) < 1e-15);
    }
    assert.ok(Math.abs(summary.cost - batch.reduce((sum, record) => sum + (record["cost"] as number), 0)) < 1e-12);

    // The job's records carry the body the provider sends on demand.
    const job = jobsNamed("minion-batch-").at(-1)!;
    const s3Client = new S3Client({ endpoint: s3.url, region: "us-east-1", forcePathStyle: true, credentials: { ...s3.credentials } });
    const listed = await s3Client.send(new ListObjectsV2Command({ Bucket: s3.bucket, Prefix: `runs/${job["jobName"]}/` }));
    s3Client.destroy();
    assert.ok(listed.Contents?.some((item) => item.Key === `runs/${job["jobName"]}/input/part-00001.jsonl`));
    assert.equal(job["modelId"], MODEL);
    assert.equal(job["roleArn"], ROLE);
  });

  it("runs a non-Claude model in a Converse-type job: Converse bodies in, the Converse decoder out, the same records as the local runner", async () => {
    const nova = "amazon.nova-lite-v1:0";
    const lines = Array.from({ length: 100 }, (_, index) => inputLine(`n${index}`, `question ${index}`, { max_tokens: 40, stop: ["END"] }));
    const tool = { type: "function", function: { name: "lookup", description: "Looks a word up.", parameters: { type: "object", properties: { word: { type: "string" } } } } };
    lines.push(inputLine("with-tools", "look it up", { tools: [tool] }));
    lines.push(inputLine("with-schema", "a city as JSON", { schema: { type: "object", properties: { city: { type: "string" } }, required: ["city"] } }));
    writeFileSync(files.path("in.jsonl"), lines.join("\n") + "\n");
    const model = { ...(options().model as object), model: nova };
    const summary = await runBedrockBatch(options({ model }));
    assert.equal(summary.status, "Completed");
    assert.equal(summary.submitted, 100, "the records with tools, and with a schema answered through a tool, are not sent");
    assert.equal(summary.succeeded, 100);
    assert.equal(summary.failed, 2);
    const job = jobsNamed("minion-batch-").at(-1)!;
    assert.equal(job["modelInvocationType"], "Converse");
    assert.equal(job["modelId"], nova);

    const records = readRecords(files.path("out.jsonl"));
    assert.equal(records.length, 102);
    const refused = records.find((record) => record["id"] === "with-tools")!["error"] as { code: string; message: string };
    assert.equal(refused.code, "bedrock_batch_tools_unsupported");
    assert.match(refused.message, /Converse type .* refuse records with tools.*--engine local/);
    // Nova answers a schema through a forced tool, which a Converse-type job cannot carry.
    const structured = records.find((record) => record["id"] === "with-schema")!["error"] as { code: string; message: string };
    assert.equal(structured.code, "bedrock_batch_tools_unsupported");
    assert.match(structured.message, /this model answers a schema through a tool/);

    // The uploaded records hold the Converse body the provider sends on demand (no modelId: it is the job's).
    const s3Client = new S3Client({ endpoint: s3.url, region: "us-east-1", forcePathStyle: true, credentials: { ...s3.credentials } });
    const object = await s3Client.send(new GetObjectCommand({ Bucket: s3.bucket, Key: `runs/${job["jobName"]}/input/part-00001.jsonl` }));
    const first = JSON.parse((await object.Body!.transformToString()).split("\n")[0]!) as { recordId: string; modelInput: Record<string, unknown> };
    s3Client.destroy();
    assert.equal(first.recordId, "R0000000001");
    assert.deepEqual(first.modelInput["messages"], [{ role: "user", content: [{ text: "question 0" }] }]);
    assert.deepEqual(first.modelInput["inferenceConfig"], { maxTokens: 40, stopSequences: ["END"] });
    assert.equal(first.modelInput["modelId"], undefined);

    const provider = emulatorProvider(emulator, { model: nova });
    await runBatch({ input: files.path("in.jsonl"), output: files.path("local.jsonl"), provider, progressStream: null });
    await provider.close();
    const local = new Map(readRecords(files.path("local.jsonl")).map((record) => [record["id"], record]));
    for (const record of records.filter((entry) => !entry["error"])) {
      const twin = local.get(record["id"])!;
      assert.equal(record["output"], twin["output"]);
      assert.deepEqual(record["usage"], twin["usage"]);
      assert.equal(record["finish_reason"], twin["finish_reason"]);
      assert.ok(Math.abs((record["cost"] as number) - (twin["cost"] as number) / 2) < 1e-15);
    }
    assert.ok(summary.inputTokens > 0 && summary.outputTokens > 0);
  });

  it("applies a line's schema as the local runner does: the validated object beside the text, a non-conforming answer an error record", async () => {
    const schema = { type: "object", properties: { city: { type: "string" }, days: { type: "integer" } }, required: ["city", "days"], additionalProperties: false };
    const lines = Array.from({ length: 100 }, (_, index) => inputLine(`t${index}`, `Plan trip ${index}.`, { schema, max_tokens: 200 }));
    lines.push(inputLine("prose", "NOT-JSON", { schema })); // the script answers prose: not the schema's JSON
    lines.push(inputLine("bad-schema", "Plan", { schema: { type: "object", properties: { a: { type: "nope" } } } })); // refused before sending
    lines.push(inputLine("plain", "Hello"));
    writeFileSync(files.path("in.jsonl"), lines.join("\n") + "\n");
    const summary = await runBedrockBatch(options());
    assert.equal(summary.submitted, 102);
    assert.equal(summary.succeeded, 101);
    assert.equal(summary.failed, 2);
    const records = new Map(readRecords(files.path("out.jsonl")).map((record) => [record["id"], record]));
    assert.equal(records.size, 103);
    assert.equal((records.get("prose")!["error"] as { name: string })["name"], "StructuredOutputError");
    assert.ok(records.get("bad-schema")!["error"]);
    assert.equal(records.get("plain")!["object"], undefined);

    const provider = emulatorProvider(emulator);
    await runBatch({ input: files.path("in.jsonl"), output: files.path("local.jsonl"), provider, progressStream: null });
    await provider.close();
    const local = new Map(readRecords(files.path("local.jsonl")).map((record) => [record["id"], record]));
    for (const [id, record] of records) {
      const twin = local.get(id)!;
      assert.deepEqual(record["object"], twin["object"], String(id));
      assert.equal(record["output"], twin["output"], String(id));
      assert.equal((record["error"] as { name?: string } | undefined)?.name, (twin["error"] as { name?: string } | undefined)?.name, String(id));
    }
    assert.deepEqual(records.get("t0")!["object"], local.get("t0")!["object"]);
    assert.equal(typeof (records.get("t0")!["object"] as { city: unknown }).city, "string");
  });

  it("writes failed records as errors: the model's (from the job's output) and the builder's (never sent); a rerun sends nothing", async () => {
    const lines = Array.from({ length: 102 }, (_, index) => inputLine(`r${index}`, `question ${index}`));
    lines[3] = inputLine("r3", "refuse this one"); // the emulator's script answers it with an error
    // A temperature out of range: refused by the request builder, as an on-demand call would be, and not sent.
    lines[4] = inputLine("r4", "question 4", { temperature: 5 });
    writeFileSync(files.path("in.jsonl"), lines.join("\n") + "\n");
    const summary = await runBedrockBatch(options());
    assert.equal(summary.submitted, 101);
    assert.equal(summary.succeeded, 100);
    assert.equal(summary.failed, 2);
    const records = readRecords(files.path("out.jsonl"));
    const byModel = records.find((record) => record["id"] === "r3")!["error"] as { status: number; message: string; code: string };
    assert.equal(byModel.status, 424);
    assert.equal(byModel.code, "bedrock_batch_record_failed");
    assert.equal(byModel.message, "The model could not answer this record.");
    const byBuilder = records.find((record) => record["id"] === "r4")!["error"] as { name: string; message: string };
    assert.match(byBuilder.message, /temperature/);
    const jobs = emulator.batchJobs().length;
    const again = await runBedrockBatch(options());
    assert.equal(again.submitted, undefined);
    assert.equal(again.skipped, 102);
    assert.equal(emulator.batchJobs().length, jobs, "no second job");
    assert.equal(readRecords(files.path("out.jsonl")).length, 102);
  });

  it("resumes the recorded job after the watch stopped, instead of submitting a second one", async () => {
    writeInput(files.path("in.jsonl"), 100);
    const watch = new AbortController();
    const first = await runBedrockBatch(options({ signal: watch.signal, onJobUpdate: () => watch.abort() }));
    assert.equal(first.interrupted, true);
    const state = JSON.parse(readFileSync(`${files.path("out.jsonl")}.bedrock-job.json`, "utf8")) as { jobArn: string };
    assert.equal(state.jobArn, first.jobArn);
    const jobs = emulator.batchJobs().length;
    const second = await runBedrockBatch(options());
    assert.equal(second.resumed, true);
    assert.equal(second.jobArn, first.jobArn);
    assert.equal(emulator.batchJobs().length, jobs, "no second job");
    assert.equal(second.succeeded, 100);
    assert.ok([...idCounts(readRecords(files.path("out.jsonl"))).values()].every((count) => count === 1));
  });

  it("runs normally within tight bounds: a 10 s timeout per request and maxFailedPolls 1", async () => {
    writeInput(files.path("in.jsonl"), 100);
    const model = { ...(options().model as Record<string, unknown>), timeout: 10_000 };
    const summary = await runBedrockBatch(options({ model: model as RunBedrockBatchOptions["model"], maxFailedPolls: 1 }));
    assert.equal(summary.status, "Completed");
    assert.equal(summary.succeeded, 100);
    assert.equal(readRecords(files.path("out.jsonl")).length, 100);
  });

  it("gives up watching a control plane whose GetModelInvocationJob always answers 503, keeps the job, and the same command resumes it", async () => {
    writeInput(files.path("in.jsonl"), 100);
    // Forwards the control plane to the emulator, except the job's status, which is always a 503.
    const proxy = await startHostileServer();
    const target = new URL(emulator.url);
    proxy.handle((request, response) => {
      if (request.method === "GET" && request.url?.startsWith("/model-invocation-job/")) return awsError(response, 503, "ServiceUnavailableException", "try later");
      const forwarded = http.request({ host: target.hostname, port: target.port, method: request.method, path: request.url, headers: request.headers }, (answer) => {
        response.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(response);
      });
      request.pipe(forwarded);
    });
    try {
      const jobs = emulator.batchJobs().length;
      await assert.rejects(within(runBedrockBatch(options({ bedrockEndpoint: proxy.url, maxFailedPolls: 2 })), "the watch"), (error: unknown) => {
        assert.ok(error instanceof BedrockBatchWatchError, String(error));
        assert.equal(error.failedPolls, 2);
        assert.ok(error.cause instanceof BedrockServiceError);
        assert.equal(error.cause.awsName, "ServiceUnavailableException");
        assert.match(error.message, /GetModelInvocationJob failed 2 times in a row/);
        return true;
      });
      assert.equal(emulator.batchJobs().length, jobs + 1, "the job was submitted through the proxy");
      const state = JSON.parse(readFileSync(`${files.path("out.jsonl")}.bedrock-job.json`, "utf8")) as { jobArn?: string };
      assert.ok(state.jobArn, "the job stays recorded");
      const second = await runBedrockBatch(options());
      assert.equal(second.resumed, true);
      assert.equal(second.jobArn, state.jobArn);
      assert.equal(second.succeeded, 100);
      assert.equal(emulator.batchJobs().length, jobs + 1, "no second job");
    } finally {
      await proxy.close();
    }
  });

  it("refuses a maxFailedPolls that is not a whole number of 0 or more before anything is sent", async () => {
    writeInput(files.path("in.jsonl"), 100);
    const jobs = emulator.batchJobs().length;
    for (const bad of [-1, 1.5, Number.NaN]) {
      await assert.rejects(runBedrockBatch(options({ maxFailedPolls: bad })), (error: unknown) => {
        assert.ok(error instanceof BedrockBatchError, String(error));
        assert.match(error.message, /^maxFailedPolls must be a whole number, 0 \(no limit\) or more/);
        return true;
      });
    }
    assert.equal(emulator.batchJobs().length, jobs);
  });

  it("resubmits with the recorded idempotency token when it died between writing the state and learning the ARN", async () => {
    writeInput(files.path("in.jsonl"), 100);
    const watch = new AbortController();
    const first = await runBedrockBatch(options({ signal: watch.signal, onJobUpdate: () => watch.abort() }));
    const statePath = `${files.path("out.jsonl")}.bedrock-job.json`;
    const { jobArn: _forgotten, ...withoutArn } = JSON.parse(readFileSync(statePath, "utf8")) as Record<string, unknown>;
    writeFileSync(statePath, JSON.stringify(withoutArn));
    const jobs = emulator.batchJobs().length;
    const second = await runBedrockBatch(options());
    assert.equal(second.jobArn, first.jobArn, "CreateModelInvocationJob with the same clientRequestToken returns the same job");
    assert.equal(emulator.batchJobs().length, jobs);
    assert.equal(readRecords(files.path("out.jsonl")).length, 100);
  });

  it("sends the timeout and tags with the job, keeps them with the token in the state file, and repeats the same request after a crash", async () => {
    writeInput(files.path("in.jsonl"), 100);
    const watch = new AbortController();
    const tags = { project: "eval run/7", "cost-center": "1234", empty: "" };
    const first = await runBedrockBatch(options({ timeoutDurationInHours: 48, tags, signal: watch.signal, onJobUpdate: () => watch.abort() }));
    const statePath = `${files.path("out.jsonl")}.bedrock-job.json`;
    const state = JSON.parse(readFileSync(statePath, "utf8")) as Record<string, unknown>;
    assert.equal(state["timeoutDurationInHours"], 48);
    assert.deepEqual(state["tags"], [{ key: "project", value: "eval run/7" }, { key: "cost-center", value: "1234" }, { key: "empty", value: "" }]);
    assert.match(String(state["clientRequestToken"]), /^[a-zA-Z0-9]{1,256}$/);
    const control = new BedrockClient({ endpoint: emulator.url, region: "us-east-1", credentials: { ...EXAMPLE_CREDENTIALS } });
    try {
      const job = await control.send(new GetModelInvocationJobCommand({ jobIdentifier: first.jobArn }));
      assert.equal(job.timeoutDurationInHours, 48);
      assert.equal(job.clientRequestToken, state["clientRequestToken"]);
      assert.deepEqual((await control.send(new ListTagsForResourceCommand({ resourceARN: first.jobArn }))).tags, state["tags"]);
    } finally {
      control.destroy();
    }
    // Died before the ARN came back: the rerun (with other flags) sends the recorded request and gets the same job.
    const { jobArn: _forgotten, ...withoutArn } = state;
    writeFileSync(statePath, JSON.stringify(withoutArn));
    const jobs = emulator.batchJobs().length;
    const second = await runBedrockBatch(options({ timeoutDurationInHours: 100, tags: { other: "x" } }));
    assert.equal(second.jobArn, first.jobArn);
    assert.equal(emulator.batchJobs().length, jobs);
    assert.equal(readRecords(files.path("out.jsonl")).length, 100);
  });

  it("refuses tags Bedrock would refuse before anything is sent", async () => {
    writeInput(files.path("in.jsonl"), 100);
    const jobs = emulator.batchJobs().length;
    await assert.rejects(runBedrockBatch(options({ tags: { "semi;colon": "v" } })), (error: unknown) => error instanceof BedrockBatchError && /Tag key "semi;colon" is not one Bedrock accepts/.test(error.message));
    await assert.rejects(runBedrockBatch(options({ tags: { ok: "v".repeat(257) } })), /The value of tag "ok" is not one Bedrock accepts: use up to 256/);
    await assert.rejects(runBedrockBatch(options({ tags: Object.fromEntries(Array.from({ length: 201 }, (_, index) => [`k${index}`, "v"])) })), /at most 200 tags; 201 were given/);
    await assert.rejects(runBedrockBatch(options({ timeoutDurationInHours: 12 })), /timeoutDurationInHours must be a whole number from 24 to 168, got 12/);
    assert.equal(emulator.batchJobs().length, jobs);
    assert.equal(existsSync(files.path("out.jsonl")), false);
  });

  it("stops the recorded job with stopBedrockBatch; a rerun collects what it finished and raises the typed Stopped error", async () => {
    const slow = await startEmulator({ batch: { s3Endpoint: s3.url, s3Credentials: s3.credentials, statusDelayMs: 10, recordDelayMs: 15, minRecords: 1 } });
    try {
      writeInput(files.path("in.jsonl"), 100);
      const watch = new AbortController();
      const run = options({ model: { ...(options().model as object), endpoint: slow.url }, signal: watch.signal });
      await runBedrockBatch({ ...run, onJobUpdate: (job) => (job.processedRecordCount ?? 0) > 0 && watch.abort() });
      const stopped = await stopBedrockBatch({ output: run.output, model: run.model });
      assert.match(stopped.jobArn, /model-invocation-job\//);
      let ended: BedrockBatchJobError | undefined;
      await runBedrockBatch({ ...run, signal: undefined }).catch((error: unknown) => (ended = error as BedrockBatchJobError));
      assert.ok(ended instanceof BedrockBatchJobError, "a Stopped job is a typed error");
      assert.equal(ended.status, "Stopped");
      assert.ok(ended.collected > 0 && ended.collected < 100);
      assert.equal(ended.missing, 100 - ended.collected);
      assert.match(ended.message, /ended Stopped\. It was stopped .*record\(s\) it finished are in .*out\.jsonl; \d+ have no result: run the same command again/);
      assert.equal(readRecords(run.output).length, ended.collected, "what it finished is collected before the error");
      const again = await runBedrockBatch({ ...run, signal: undefined, limits: { minRecords: 1 } });
      assert.equal(again.submitted, 100 - ended.collected, "the next run sends the rest in a new job");
      assert.equal(again.status, "Completed");
      assert.ok([...idCounts(readRecords(run.output)).values()].every((count) => count === 1));
      assert.equal(readRecords(run.output).length, 100);
      await assert.rejects(stopBedrockBatch({ output: run.output, model: run.model }), (error: unknown) => error instanceof BedrockBatchError && error.code === "bedrock_batch_no_job");
    } finally {
      await slow.close();
    }
  });

  it("collects a PartiallyCompleted job as a result: what it processed is written, the rest counted missing, no error", async () => {
    // 24 emulated hours of 50 ms (1.2 s) while the 100 records take 2.5 s: the timeout passes while it is InProgress.
    const timed = await startEmulator({ batch: { s3Endpoint: s3.url, s3Credentials: s3.credentials, statusDelayMs: 0, recordDelayMs: 25, hourMs: 50 } });
    try {
      writeInput(files.path("in.jsonl"), 100);
      const statuses: string[] = [];
      const lines: string[] = [];
      const progressStream = { write: (text: string) => lines.push(text) } as unknown as NodeJS.WritableStream;
      const summary = await runBedrockBatch(options({ model: { ...(options().model as object), endpoint: timed.url }, onJobUpdate: (job) => statuses.push(job.status!), progressStream }));
      assert.equal(summary.status, "PartiallyCompleted");
      assert.ok(summary.succeeded > 0 && summary.succeeded < 100, String(summary.succeeded));
      assert.equal(summary.missing, 100 - summary.succeeded);
      assert.equal(readRecords(files.path("out.jsonl")).length, summary.succeeded);
      assert.equal(statuses.at(-1), "PartiallyCompleted");
      assert.ok(lines.some((line) => /PartiallyCompleted \(ended before every record was processed\)/.test(line)), lines.join(""));
      assert.ok(lines.some((line) => new RegExp(`${summary.missing} record\\(s\\) of the job have no result \\(PartiallyCompleted\\)`).test(line)), lines.join(""));
      assert.equal(existsSync(`${files.path("out.jsonl")}.bedrock-job.json`), false);
    } finally {
      await timed.close();
    }
  });

  it("raises typed errors for an Expired job and a Failed one, naming the status and what to do", async () => {
    // Expired: the job waits Scheduled for 10 s, but its 24 emulated hours last 24 ms.
    const queued = await startEmulator({ batch: { s3Endpoint: s3.url, s3Credentials: s3.credentials, statusDelayMs: 0, scheduledDelayMs: 10_000, hourMs: 1 } });
    try {
      writeInput(files.path("in.jsonl"), 100);
      await assert.rejects(runBedrockBatch(options({ model: { ...(options().model as object), endpoint: queued.url } })), (error: unknown) => {
        assert.ok(error instanceof BedrockBatchJobError);
        assert.equal(error.status, "Expired");
        assert.equal(error.code, "bedrock_batch_job_failed");
        assert.equal(error.collected, 0);
        assert.equal(error.missing, 100);
        assert.match(error.message, /ended Expired with no results: The job was scheduled but did not begin before its timeout/);
        return true;
      });
      assert.equal(existsSync(`${files.path("out.jsonl")}.bedrock-job.json`), false, "the next run submits afresh");
    } finally {
      await queued.close();
    }
    // Failed: the input is deleted while the job is Validating, so it cannot be read.
    const failing = await startEmulator({ batch: { s3Endpoint: s3.url, s3Credentials: s3.credentials, statusDelayMs: 500 } });
    const s3Client = new S3Client({ endpoint: s3.url, region: "us-east-1", forcePathStyle: true, credentials: { ...s3.credentials } });
    try {
      const seen: string[] = [];
      const run = runBedrockBatch(
        options({
          output: files.path("failed.jsonl"),
          model: { ...(options().model as object), endpoint: failing.url },
          onJobUpdate: (job) => {
            if (seen.length === 0) {
              const prefix = `runs/${job.jobName}/input/`;
              void s3Client.send(new ListObjectsV2Command({ Bucket: s3.bucket, Prefix: prefix })).then((listed) =>
                Promise.all((listed.Contents ?? []).map((item) => s3Client.send(new DeleteObjectCommand({ Bucket: s3.bucket, Key: item.Key! })))),
              );
            }
            seen.push(job.status!);
          },
        }),
      );
      await assert.rejects(run, (error: unknown) => {
        assert.ok(error instanceof BedrockBatchJobError);
        assert.equal(error.status, "Failed");
        assert.match(error.message, /ended Failed with no results: The job failed: NoSuchKey.*Bedrock failed it; its message says why\. Run the same command again/);
        return true;
      });
      assert.equal(seen[0], "Submitted");
    } finally {
      s3Client.destroy();
      await failing.close();
    }
  });

  it("refuses, before uploading anything, what Bedrock would refuse: too few records, a bad role, a bad S3 location, bad input", async () => {
    writeInput(files.path("in.jsonl"), 99);
    const jobs = emulator.batchJobs().length;
    await assert.rejects(runBedrockBatch(options()), (error: unknown) => {
      assert.ok(error instanceof BedrockBatchError);
      assert.equal(error.code, "bedrock_batch_limit");
      assert.match(error.message, /Only 99 request\(s\) to send; a Bedrock batch job needs at least 100/);
      return true;
    });
    await assert.rejects(runBedrockBatch(options({ roleArn: "arn:aws:iam::123456789012:user/me" })), /is not an IAM role ARN/);
    await assert.rejects(runBedrockBatch(options({ s3: "s3://Bad_Bucket/x" })), /is not an S3 location/);
    await assert.rejects(runBedrockBatch(options({ model: { ...(options().model as object), api: "chat" } })), /api must be "auto", "converse" or "invoke"/);
    writeFileSync(files.path("in.jsonl"), `${inputLine("a", "x")}\n{"id": "b"}\n`);
    await assert.rejects(runBedrockBatch(options()), BatchInputError);
    assert.equal(emulator.batchJobs().length, jobs);
    assert.equal(existsSync(files.path("out.jsonl")), false);
  });

  it("passes the service's own validation errors on typed (the emulator's minimum when the client's is lowered)", async () => {
    writeInput(files.path("in.jsonl"), 50);
    await assert.rejects(runBedrockBatch(options({ limits: { minRecords: 10 } })), (error: unknown) => {
      assert.ok(error instanceof BedrockServiceError);
      assert.equal(error.awsName, "ValidationException");
      assert.equal(error.status, 400);
      assert.match(error.message, /fewer than the minimum of 100/);
      return true;
    });
  });

  it("keeps credentials out of errors, their JSON and their inspection", async () => {
    writeInput(files.path("in.jsonl"), 100);
    const secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYWRONGSECRET";
    const model = { ...(options().model as object), secret_access_key: secret };
    let caught: unknown;
    await runBedrockBatch(options({ model })).catch((error: unknown) => (caught = error));
    // s3rver checks only the key id, so the upload passes; the emulator's control plane checks the signature.
    assert.ok(caught instanceof BedrockServiceError);
    assert.equal(caught.awsName, "InvalidSignatureException");
    for (const text of [caught.message, JSON.stringify(caught), inspect(caught, { depth: 5 }), String(caught.stack)]) {
      assert.ok(!text.includes(secret), text);
      assert.ok(!text.includes(EXAMPLE_CREDENTIALS.accessKeyId), text);
    }
  });

  it("refuses a results file that is not Bedrock's, and keeps the job for the next run", async () => {
    writeInput(files.path("in.jsonl"), 100);
    const watch = new AbortController();
    const first = await runBedrockBatch(options({ signal: watch.signal, onJobUpdate: () => watch.abort() }));
    const jobId = first.jobArn!.split("/").pop()!;
    const state = JSON.parse(readFileSync(`${files.path("out.jsonl")}.bedrock-job.json`, "utf8")) as { outputUri: string };
    const key = `${state.outputUri.replace(`s3://${s3.bucket}/`, "")}${jobId}/part-00001.jsonl.out`;
    const s3Client = new S3Client({ endpoint: s3.url, region: "us-east-1", forcePathStyle: true, credentials: { ...s3.credentials } });
    try {
      while (!["Completed", "Stopped", "Failed"].includes(String(emulator.batchJobs().find((job) => job["jobArn"] === first.jobArn)!["status"]))) {
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      await s3Client.send(new PutObjectCommand({ Bucket: s3.bucket, Key: key, Body: "not json\n" }));
    } finally {
      s3Client.destroy();
    }
    await assert.rejects(runBedrockBatch(options()), (error: unknown) => error instanceof BedrockBatchError && error.code === "bedrock_batch_output_invalid" && error.message.includes(key));
    assert.equal(existsSync(`${files.path("out.jsonl")}.bedrock-job.json`), true);
  });

  it("fails only the record whose model output is malformed; the others are collected", async () => {
    writeInput(files.path("in.jsonl"), 100);
    const watch = new AbortController();
    const first = await runBedrockBatch(options({ signal: watch.signal, onJobUpdate: () => watch.abort() }));
    const jobId = first.jobArn!.split("/").pop()!;
    const state = JSON.parse(readFileSync(`${files.path("out.jsonl")}.bedrock-job.json`, "utf8")) as { outputUri: string };
    const key = `${state.outputUri.replace(`s3://${s3.bucket}/`, "")}${jobId}/part-00001.jsonl.out`;
    const s3Client = new S3Client({ endpoint: s3.url, region: "us-east-1", forcePathStyle: true, credentials: { ...s3.credentials } });
    try {
      while (String(emulator.batchJobs().find((job) => job["jobArn"] === first.jobArn)!["status"]) !== "Completed") {
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      const object = await s3Client.send(new GetObjectCommand({ Bucket: s3.bucket, Key: key }));
      const lines = (await object.Body!.transformToString()).trim().split("\n").map((line) => JSON.parse(line) as Record<string, unknown>);
      lines[0]!["modelOutput"] = { content: "not a list of blocks", usage: { input_tokens: 1, output_tokens: 1 } };
      await s3Client.send(new PutObjectCommand({ Bucket: s3.bucket, Key: key, Body: lines.map((line) => JSON.stringify(line)).join("\n") + "\n" }));
    } finally {
      s3Client.destroy();
    }
    await runBedrockBatch(options());
    const records = readRecords(files.path("out.jsonl"));
    const failed = records.filter((record) => record["error"]).map((record) => record["error"] as { code: string; message: string });
    assert.equal(records.length, 100);
    assert.equal(failed.length, 1);
    assert.equal(failed[0]!.code, "bedrock_batch_record_failed");
    assert.match(failed[0]!.message, /malformed.*content/);
  });

  it("reads hostile results without failing the batch: an oversized line fails its record, unknown and repeated lines are ignored and counted", async () => {
    writeInput(files.path("in.jsonl"), 100);
    const watch = new AbortController();
    const first = await runBedrockBatch(options({ signal: watch.signal, onJobUpdate: () => watch.abort() }));
    const jobId = first.jobArn!.split("/").pop()!;
    const state = JSON.parse(readFileSync(`${files.path("out.jsonl")}.bedrock-job.json`, "utf8")) as { outputUri: string };
    const folder = `${state.outputUri.replace(`s3://${s3.bucket}/`, "")}${jobId}`;
    const key = `${folder}/part-00001.jsonl.out`;
    const s3Client = new S3Client({ endpoint: s3.url, region: "us-east-1", forcePathStyle: true, credentials: { ...s3.credentials } });
    try {
      while (String(emulator.batchJobs().find((job) => job["jobArn"] === first.jobArn)!["status"]) !== "Completed") {
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      const object = await s3Client.send(new GetObjectCommand({ Bucket: s3.bucket, Key: key }));
      const lines = (await object.Body!.transformToString()).trim().split("\n");
      const byId = new Map(lines.map((line) => [(JSON.parse(line) as { recordId: string }).recordId, line]));
      const hostile = [
        ...lines.filter((line) => !line.includes('"R0000000002"')),
        `{"recordId":"R0000000002","modelInput":{},"modelOutput":{"content":[{"type":"text","text":"${"x".repeat(2 * 1024 * 1024)}"}]}}`, // 2 MiB, over the 1 MiB cap
        JSON.stringify({ ...(JSON.parse(byId.get("R0000000003")!) as object), modelOutput: { content: [{ type: "text", text: "second answer" }], usage: { input_tokens: 1, output_tokens: 1 } } }), // a repeat
        JSON.stringify({ recordId: "R0000000999", modelOutput: {} }), // past the input's 100 lines
        JSON.stringify({ recordId: "SOMEONEELSE", modelOutput: {} }),
        "null",
        "[1, 2]",
        `{"modelOutput": {}}`,
      ];
      await s3Client.send(new PutObjectCommand({ Bucket: s3.bucket, Key: key, Body: hostile.join("\n") + "\n" }));
      // A manifest that lies: only sane counts reach the summary.
      await s3Client.send(new PutObjectCommand({ Bucket: s3.bucket, Key: `${folder}/manifest.json.out`, Body: JSON.stringify({ totalRecordCount: 100, successRecordCount: -5, errorRecordCount: "lots", inputTokenCount: 1e400 }) }));
    } finally {
      s3Client.destroy();
    }
    const lines: string[] = [];
    const progressStream = { write: (text: string) => lines.push(text) } as unknown as NodeJS.WritableStream;
    const summary = await runBedrockBatch(options({ maxOutputLineBytes: 1024 * 1024, progressStream }));
    assert.equal(summary.succeeded, 99);
    assert.equal(summary.failed, 1);
    assert.equal(summary.unknownLines, 5);
    assert.equal(summary.duplicateLines, 1);
    assert.deepEqual(summary.manifest, { totalRecordCount: 100 });
    assert.ok(lines.some((line) => /warning: 5 line\(s\) in s3:\/\/.* name no record of .*in\.jsonl; ignored/.test(line)), lines.join(""));
    assert.ok(lines.some((line) => /warning: 1 line\(s\) .* repeat a record already collected/.test(line)), lines.join(""));
    const records = readRecords(files.path("out.jsonl"));
    assert.equal(records.length, 100);
    assert.ok([...idCounts(records).values()].every((count) => count === 1));
    const oversized = records.find((record) => record["id"] === "q1")!["error"] as { code: string; message: string };
    assert.equal(oversized.code, "bedrock_batch_record_failed");
    assert.match(oversized.message, /output line for this record is \d{7} bytes, over the 1048576-byte cap per line \(maxOutputLineBytes\); it was not read/);
    assert.notEqual(records.find((record) => record["id"] === "q2")!["output"], "second answer", "the first line of a record counts");
  });

  it("refuses a state file that belongs to another input", async () => {
    writeInput(files.path("in.jsonl"), 100);
    writeFileSync(`${files.path("out.jsonl")}.bedrock-job.json`, JSON.stringify({ version: 1, input: "/elsewhere.jsonl", model: MODEL, jobName: "x", clientRequestToken: "t", inputUri: "s3://b/i/", outputUri: "s3://b/o/", records: 1, jobArn: "arn:aws:bedrock:us-east-1:123456789012:model-invocation-job/abcdefabcdef" }));
    await assert.rejects(runBedrockBatch(options()), (error: unknown) => error instanceof BedrockBatchError && error.code === "bedrock_batch_state_mismatch");
  });

  it("refuses a state file (planted in a cloned repository) whose S3 locations are not under --s3: no job reads or writes them", async () => {
    writeInput(files.path("in.jsonl"), 100);
    const planted = { version: 1, input: files.path("in.jsonl"), model: MODEL, jobName: "planted-job", clientRequestToken: "planted0token", records: 100 };
    for (const uris of [
      { inputUri: "s3://victim-data/secrets/", outputUri: "s3://attacker-bucket/loot/" },
      { inputUri: `s3://${s3.bucket}/runs/x/input/`, outputUri: `s3://${s3.bucket}/runs-elsewhere/output/` },
    ]) {
      writeFileSync(`${files.path("out.jsonl")}.bedrock-job.json`, JSON.stringify({ ...planted, ...uris }));
      await assert.rejects(runBedrockBatch(options()), (error: unknown) => {
        assert.ok(error instanceof BedrockBatchError, String(error));
        assert.equal(error.code, "bedrock_batch_state_mismatch");
        assert.match(error.message, /not under --s3 s3:\/\/.*\/runs/);
        return true;
      });
    }
    assert.deepEqual(jobsNamed("planted-job"), []);
  });

  it("types a job that ended with no results and forgets it, so the next run submits afresh", async () => {
    const slow = await startEmulator({ batch: { s3Endpoint: s3.url, s3Credentials: s3.credentials, statusDelayMs: 60_000 } });
    try {
      writeInput(files.path("in.jsonl"), 100);
      const watch = new AbortController();
      const run = options({ model: { ...(options().model as object), endpoint: slow.url } });
      const first = await runBedrockBatch({ ...run, signal: watch.signal, onJobUpdate: () => watch.abort() });
      await stopBedrockBatch({ output: run.output, model: run.model });
      await assert.rejects(runBedrockBatch(run), (error: unknown) => {
        assert.ok(error instanceof BedrockBatchJobError);
        assert.equal(error.jobArn, first.jobArn);
        assert.equal(error.status, "Stopped");
        assert.match(error.message, /ended Stopped with no results/);
        return true;
      });
      assert.equal(existsSync(`${run.output}.bedrock-job.json`), false);
    } finally {
      await slow.close();
    }
  });
});
