/**
 * The emulator's control-plane batch operations, driven by the official @aws-sdk/client-bedrock and
 * @aws-sdk/client-s3 against the emulator and a real S3-compatible server (s3rver), both on 127.0.0.1.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import {
  BedrockClient,
  CreateModelInvocationJobCommand,
  GetModelInvocationJobCommand,
  ListModelInvocationJobsCommand,
  ListTagsForResourceCommand,
  StopModelInvocationJobCommand,
  type GetModelInvocationJobCommandOutput,
} from "@aws-sdk/client-bedrock";
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { EXAMPLE_CREDENTIALS, startEmulator, type Emulator } from "../../src/emulator/index.js";
import { startS3, type TestS3 } from "../support/s3-server.js";

const MODEL = "anthropic.claude-3-5-haiku-20241022-v1:0";
const ROLE = "arn:aws:iam::123456789012:role/BatchRole";

function claudeRecord(index: number, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({
    recordId: `R${String(index).padStart(10, "0")}`,
    modelInput: { anthropic_version: "bedrock-2023-05-31", max_tokens: 50, messages: [{ role: "user", content: `question ${index}` }], ...extra },
  });
}

describe("emulator batch jobs (official SDK clients, s3rver)", () => {
  let s3: TestS3;
  let emulator: Emulator;
  let bedrock: BedrockClient;
  let s3Client: S3Client;

  before(async () => {
    s3 = await startS3();
    emulator = await startEmulator({ batch: { s3Endpoint: s3.url, s3Credentials: s3.credentials, statusDelayMs: 50, minRecords: 100 } });
    bedrock = new BedrockClient({ endpoint: emulator.url, region: "us-east-1", credentials: { ...EXAMPLE_CREDENTIALS } });
    s3Client = new S3Client({ endpoint: s3.url, region: "us-east-1", forcePathStyle: true, credentials: { ...s3.credentials } });
  });

  after(async () => {
    bedrock.destroy();
    s3Client.destroy();
    await emulator.close();
    await s3.close();
  });

  async function put(key: string, lines: string[]): Promise<void> {
    await s3Client.send(new PutObjectCommand({ Bucket: s3.bucket, Key: key, Body: lines.join("\n") + "\n" }));
  }

  async function read(key: string): Promise<string> {
    const object = await s3Client.send(new GetObjectCommand({ Bucket: s3.bucket, Key: key }));
    return object.Body!.transformToString();
  }

  async function waitFinished(jobArn: string): Promise<GetModelInvocationJobCommandOutput[]> {
    const seen: GetModelInvocationJobCommandOutput[] = [];
    for (let i = 0; i < 2000; i++) {
      const job = await bedrock.send(new GetModelInvocationJobCommand({ jobIdentifier: jobArn }));
      seen.push(job);
      if (["Completed", "PartiallyCompleted", "Failed", "Stopped", "Expired"].includes(job.status!)) return seen;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    throw new Error("the job did not finish");
  }

  it("runs a job: Submitted, InProgress, Completed, with one .jsonl.out line per record and the manifest", async () => {
    const lines = Array.from({ length: 120 }, (_, index) => claudeRecord(index));
    lines[7] = claudeRecord(7, { temperature: 5 }); // out of range: that record fails, the job goes on
    await put("jobs/a/input/part-1.jsonl", lines.slice(0, 60));
    await put("jobs/a/input/part-2.jsonl", lines.slice(60));
    const created = await bedrock.send(
      new CreateModelInvocationJobCommand({
        jobName: "job-a",
        roleArn: ROLE,
        modelId: MODEL,
        inputDataConfig: { s3InputDataConfig: { s3Uri: `s3://${s3.bucket}/jobs/a/input/`, s3InputFormat: "JSONL" } },
        outputDataConfig: { s3OutputDataConfig: { s3Uri: `s3://${s3.bucket}/jobs/a/output/` } },
      }),
    );
    assert.match(created.jobArn!, /^arn:aws:bedrock:us-east-1:123456789012:model-invocation-job\/[a-z0-9]{12}$/);
    const seen = await waitFinished(created.jobArn!);
    const history = emulator.batchJobs().find((job) => job["jobArn"] === created.jobArn)!["statusHistory"] as string[];
    assert.deepEqual(history, ["Submitted", "Validating", "Scheduled", "InProgress", "Completed"]);
    // What the SDK saw polling is that sequence in order (a loaded machine can poll past a short status).
    const polled = seen.map((job) => job.status!).filter((status, index, all) => status !== all[index - 1]);
    assert.deepEqual(polled, history.filter((status) => (polled as string[]).includes(status)));
    assert.equal(polled.at(-1), "Completed");
    const last = seen.at(-1)!;
    assert.equal(last.status, "Completed");
    assert.equal(last.totalRecordCount, 120);
    assert.equal(last.processedRecordCount, 120);
    assert.equal(last.successRecordCount, 119);
    assert.equal(last.errorRecordCount, 1);
    assert.ok(last.submitTime instanceof Date && last.endTime instanceof Date);
    assert.equal(last.inputDataConfig?.s3InputDataConfig?.s3Uri, `s3://${s3.bucket}/jobs/a/input/`);

    const jobId = created.jobArn!.split("/").pop()!;
    const listed = await s3Client.send(new ListObjectsV2Command({ Bucket: s3.bucket, Prefix: `jobs/a/output/${jobId}/` }));
    assert.deepEqual(listed.Contents?.map((item) => item.Key).sort(), [
      `jobs/a/output/${jobId}/manifest.json.out`,
      `jobs/a/output/${jobId}/part-1.jsonl.out`,
      `jobs/a/output/${jobId}/part-2.jsonl.out`,
    ]);
    const first = (await read(`jobs/a/output/${jobId}/part-1.jsonl.out`)).trim().split("\n").map((line) => JSON.parse(line));
    assert.equal(first.length, 60);
    assert.equal(first[0].recordId, "R0000000000");
    assert.equal(first[0].modelInput.messages[0].content, "question 0");
    assert.equal(first[0].modelOutput.type, "message");
    assert.equal(typeof first[0].modelOutput.content[0].text, "string");
    assert.equal(first[7].error.errorCode, 400);
    assert.match(first[7].error.errorMessage, /temperature/);
    const manifest = JSON.parse(await read(`jobs/a/output/${jobId}/manifest.json.out`));
    assert.equal(manifest.totalRecordCount, 120);
    assert.equal(manifest.successRecordCount, 119);
    assert.equal(manifest.errorRecordCount, 1);
    assert.ok(manifest.inputTokenCount > 0 && manifest.outputTokenCount > 0);

    const list = await bedrock.send(new ListModelInvocationJobsCommand({ nameContains: "job-a" }));
    assert.deepEqual(list.invocationJobSummaries?.map((job) => [job.jobName, job.status]), [["job-a", "Completed"]]);
  });

  it("runs a Converse-type job: Converse bodies answered with Converse responses; a record with toolConfig fails with 400", async () => {
    const converse = (index: number, extra: Record<string, unknown> = {}) =>
      JSON.stringify({ recordId: `C${String(index).padStart(10, "0")}`, modelInput: { messages: [{ role: "user", content: [{ text: `question ${index}` }] }], inferenceConfig: { maxTokens: 30 }, ...extra } });
    const lines = Array.from({ length: 100 }, (_, index) => converse(index));
    lines[5] = converse(5, { toolConfig: { tools: [{ toolSpec: { name: "lookup", inputSchema: { json: { type: "object" } } } }] } });
    await put("jobs/conv/in.jsonl", lines);
    const created = await bedrock.send(
      new CreateModelInvocationJobCommand({
        jobName: "conv-job",
        roleArn: ROLE,
        modelId: "amazon.nova-lite-v1:0",
        modelInvocationType: "Converse",
        inputDataConfig: { s3InputDataConfig: { s3Uri: `s3://${s3.bucket}/jobs/conv/in.jsonl` } },
        outputDataConfig: { s3OutputDataConfig: { s3Uri: `s3://${s3.bucket}/jobs/conv/out/` } },
      }),
    );
    const last = (await waitFinished(created.jobArn!)).at(-1)!;
    assert.equal(last.modelInvocationType, "Converse");
    assert.equal(last.status, "Completed");
    assert.equal(last.successRecordCount, 99);
    assert.equal(last.errorRecordCount, 1);
    const jobId = created.jobArn!.split("/").pop()!;
    const out = (await read(`jobs/conv/out/${jobId}/in.jsonl.out`)).trim().split("\n").map((line) => JSON.parse(line));
    assert.equal(out[0].recordId, "C0000000000");
    assert.equal(out[0].modelOutput.output.message.role, "assistant");
    assert.equal(typeof out[0].modelOutput.output.message.content[0].text, "string");
    assert.equal(typeof out[0].modelOutput.stopReason, "string");
    assert.ok(out[0].modelOutput.usage.inputTokens > 0);
    assert.equal(out[5].error.errorCode, 400);
    assert.match(out[5].error.errorMessage, /Converse type do not support tool calling/);
    assert.equal(out[5].modelOutput, undefined);
  });

  it("answers a repeated clientRequestToken with the same job, and a reused name with ConflictException", async () => {
    await put("jobs/b/in.jsonl", Array.from({ length: 100 }, (_, index) => claudeRecord(index)));
    const request = {
      jobName: "job-b",
      roleArn: ROLE,
      modelId: MODEL,
      clientRequestToken: "token-b-1",
      inputDataConfig: { s3InputDataConfig: { s3Uri: `s3://${s3.bucket}/jobs/b/in.jsonl` } },
      outputDataConfig: { s3OutputDataConfig: { s3Uri: `s3://${s3.bucket}/jobs/b/out/` } },
    };
    const one = await bedrock.send(new CreateModelInvocationJobCommand(request));
    const two = await bedrock.send(new CreateModelInvocationJobCommand(request));
    assert.equal(two.jobArn, one.jobArn);
    await assert.rejects(bedrock.send(new CreateModelInvocationJobCommand({ ...request, clientRequestToken: "token-b-2" })), { name: "ConflictException" });
    const list = await bedrock.send(new ListModelInvocationJobsCommand({ nameContains: "job-b" }));
    assert.equal(list.invocationJobSummaries?.length, 1);
    await waitFinished(one.jobArn!);
  });

  it("refuses what Bedrock refuses: a bad role ARN, missing fields, too few records, no input", async () => {
    await put("jobs/c/in.jsonl", Array.from({ length: 99 }, (_, index) => claudeRecord(index)));
    const valid = {
      jobName: "job-c",
      roleArn: ROLE,
      modelId: MODEL,
      inputDataConfig: { s3InputDataConfig: { s3Uri: `s3://${s3.bucket}/jobs/c/in.jsonl` } },
      outputDataConfig: { s3OutputDataConfig: { s3Uri: `s3://${s3.bucket}/jobs/c/out/` } },
    };
    await assert.rejects(bedrock.send(new CreateModelInvocationJobCommand({ ...valid, roleArn: "arn:aws:iam::123:user/me" })), (error: Error) => {
      assert.equal(error.name, "ValidationException");
      assert.match(error.message, /at 'roleArn' failed to satisfy constraint/);
      return true;
    });
    await assert.rejects(bedrock.send(new CreateModelInvocationJobCommand({ ...valid, modelId: undefined as unknown as string })), /Value null at 'modelId'/);
    await assert.rejects(bedrock.send(new CreateModelInvocationJobCommand(valid)), (error: Error) => {
      assert.equal(error.name, "ValidationException");
      assert.match(error.message, /99 records, fewer than the minimum of 100/);
      return true;
    });
    await assert.rejects(
      bedrock.send(new CreateModelInvocationJobCommand({ ...valid, inputDataConfig: { s3InputDataConfig: { s3Uri: `s3://${s3.bucket}/jobs/nothing/` } } })),
      /No \.jsonl input files were found/,
    );
    await assert.rejects(bedrock.send(new GetModelInvocationJobCommand({ jobIdentifier: "abcdefabcdef" })), { name: "ResourceNotFoundException" });
    const list = await bedrock.send(new ListModelInvocationJobsCommand({ nameContains: "job-c" }));
    assert.equal(list.invocationJobSummaries?.length, 0);
  });

  it("ends PartiallyCompleted when the job's timeout passes mid-way, Expired when it passes while Scheduled, and stops a Scheduled job at once", async () => {
    // 24 emulated hours of 100 ms each: 2.4 s from submission, while the 100 records take 5 s.
    const timed = await startEmulator({ batch: { s3Endpoint: s3.url, s3Credentials: s3.credentials, statusDelayMs: 0, recordDelayMs: 50, hourMs: 100 } });
    const queued = await startEmulator({ batch: { s3Endpoint: s3.url, s3Credentials: s3.credentials, statusDelayMs: 0, scheduledDelayMs: 60_000, hourMs: 10 } });
    const clients = [timed, queued].map((emulator) => new BedrockClient({ endpoint: emulator.url, region: "us-east-1", credentials: { ...EXAMPLE_CREDENTIALS } }));
    const [partial, waiting] = clients as [BedrockClient, BedrockClient];
    const until = async (client: BedrockClient, jobArn: string, done: (status: string) => boolean) => {
      for (let i = 0; i < 2000; i++) {
        const job = await client.send(new GetModelInvocationJobCommand({ jobIdentifier: jobArn }));
        if (done(job.status!)) return job;
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      throw new Error("the job did not reach the status");
    };
    try {
      await put("jobs/t/in.jsonl", Array.from({ length: 100 }, (_, index) => claudeRecord(index)));
      const request = (name: string) => ({
        jobName: name,
        roleArn: ROLE,
        modelId: MODEL,
        inputDataConfig: { s3InputDataConfig: { s3Uri: `s3://${s3.bucket}/jobs/t/in.jsonl` } },
        outputDataConfig: { s3OutputDataConfig: { s3Uri: `s3://${s3.bucket}/jobs/t/out-${name}/` } },
      });
      const one = await partial.send(new CreateModelInvocationJobCommand(request("job-partial")));
      const job = await until(partial, one.jobArn!, (status) => status === "PartiallyCompleted");
      assert.equal(job.jobExpirationTime!.getTime() - job.submitTime!.getTime(), 2400);
      assert.match(job.message!, /Not all records could be processed before the job's timeout/);
      assert.ok(job.processedRecordCount! > 0 && job.processedRecordCount! < 100);
      const jobId = one.jobArn!.split("/").pop()!;
      assert.equal((await read(`jobs/t/out-job-partial/${jobId}/in.jsonl.out`)).trim().split("\n").length, job.processedRecordCount);
      assert.equal(JSON.parse(await read(`jobs/t/out-job-partial/${jobId}/manifest.json.out`)).processedRecordCount, job.processedRecordCount);

      const two = await waiting.send(new CreateModelInvocationJobCommand(request("job-expired")));
      const expired = await until(waiting, two.jobArn!, (status) => status !== "Submitted" && status !== "Validating" && status !== "Scheduled");
      assert.equal(expired.status, "Expired");
      assert.equal(expired.processedRecordCount, 0);
      assert.match(expired.message!, /scheduled but did not begin before its timeout/);

      const three = await waiting.send(new CreateModelInvocationJobCommand({ ...request("job-stopped"), timeoutDurationInHours: 168 }));
      await until(waiting, three.jobArn!, (status) => status === "Scheduled");
      await waiting.send(new StopModelInvocationJobCommand({ jobIdentifier: three.jobArn }));
      const stopped = await until(waiting, three.jobArn!, (status) => status !== "Stopping" && status !== "Scheduled");
      assert.equal(stopped.status, "Stopped", "stopped during its 60 s wait, not after it");
    } finally {
      for (const client of clients) client.destroy();
      await timed.close();
      await queued.close();
    }
  });

  it("keeps a job's tags (ListTagsForResource) and timeout, and refuses tags, timeouts and tokens outside the service model", async () => {
    await put("jobs/tags/in.jsonl", Array.from({ length: 100 }, (_, index) => claudeRecord(index)));
    const valid = {
      jobName: "tagged-job",
      roleArn: ROLE,
      modelId: MODEL,
      clientRequestToken: "tagged-token-1",
      timeoutDurationInHours: 72,
      tags: [{ key: "project", value: "eval run/7" }, { key: "owner:team", value: "" }],
      inputDataConfig: { s3InputDataConfig: { s3Uri: `s3://${s3.bucket}/jobs/tags/in.jsonl` } },
      outputDataConfig: { s3OutputDataConfig: { s3Uri: `s3://${s3.bucket}/jobs/tags/out/` } },
    };
    const validation = async (request: Record<string, unknown>, pattern: RegExp) =>
      assert.rejects(bedrock.send(new CreateModelInvocationJobCommand({ ...valid, ...request } as never)), (error: Error) => {
        assert.equal(error.name, "ValidationException", JSON.stringify(request).slice(0, 200));
        assert.match(error.message, pattern);
        return true;
      });
    await validation({ timeoutDurationInHours: 23 }, /Value '23' at 'timeoutDurationInHours' failed to satisfy constraint: Member must have value between 24 and 168/);
    await validation({ timeoutDurationInHours: 169 }, /Value '169' at 'timeoutDurationInHours'/);
    await validation({ clientRequestToken: "bad token!" }, /Value 'bad token!' at 'clientRequestToken' failed to satisfy constraint: Member must satisfy regular expression pattern/);
    await validation({ clientRequestToken: "a".repeat(257) }, /at 'clientRequestToken' failed to satisfy constraint/);
    await validation({ tags: Array.from({ length: 201 }, (_, index) => ({ key: `k${index}`, value: "v" })) }, /at 'tags' failed to satisfy constraint: Member must have length less than or equal to 200/);
    await validation({ tags: [{ key: "", value: "v" }] }, /Value '' at 'tags.1.member.key' failed to satisfy constraint: Member must have length between 1 and 128/);
    await validation({ tags: [{ key: "ok", value: "v" }, { key: "k".repeat(129), value: "v" }] }, /at 'tags.2.member.key' failed to satisfy constraint: Member must have length between 1 and 128/);
    await validation({ tags: [{ key: "ok", value: "v".repeat(257) }] }, /at 'tags.1.member.value' failed to satisfy constraint: Member must have length between 0 and 256/);
    await validation({ tags: [{ key: "semi;colon", value: "v" }] }, /Value 'semi;colon' at 'tags.1.member.key' failed to satisfy constraint: Member must satisfy regular expression pattern/);
    await validation({ tags: [{ key: "ok" }] }, /Value null at 'tags.1.member.value' failed to satisfy constraint: Member must not be null/);
    await validation({ timeoutDurationInHours: 200, tags: [{ key: "", value: "v" }] }, /^2 validation errors detected: /);

    const created = await bedrock.send(new CreateModelInvocationJobCommand(valid));
    const job = await bedrock.send(new GetModelInvocationJobCommand({ jobIdentifier: created.jobArn }));
    assert.equal(job.timeoutDurationInHours, 72);
    assert.equal(job.clientRequestToken, "tagged-token-1");
    assert.equal(job.jobExpirationTime!.getTime() - job.submitTime!.getTime(), 72 * 3_600_000);
    const tags = await bedrock.send(new ListTagsForResourceCommand({ resourceARN: created.jobArn }));
    assert.deepEqual(tags.tags, valid.tags);
    await assert.rejects(bedrock.send(new ListTagsForResourceCommand({ resourceARN: "arn:aws:bedrock:us-east-1:123456789012:model-invocation-job/abcdefabcdef" })), { name: "ResourceNotFoundException" });
    await waitFinished(created.jobArn!);
  });

  it("stops a job: Stopping, then Stopped, with the records answered so far written", async () => {
    const slow = await startEmulator({ batch: { s3Endpoint: s3.url, s3Credentials: s3.credentials, statusDelayMs: 20, recordDelayMs: 20 } });
    const client = new BedrockClient({ endpoint: slow.url, region: "us-east-1", credentials: { ...EXAMPLE_CREDENTIALS } });
    try {
      await put("jobs/d/in.jsonl", Array.from({ length: 100 }, (_, index) => claudeRecord(index)));
      const { jobArn } = await client.send(
        new CreateModelInvocationJobCommand({
          jobName: "job-d",
          roleArn: ROLE,
          modelId: MODEL,
          inputDataConfig: { s3InputDataConfig: { s3Uri: `s3://${s3.bucket}/jobs/d/in.jsonl` } },
          outputDataConfig: { s3OutputDataConfig: { s3Uri: `s3://${s3.bucket}/jobs/d/out` } },
        }),
      );
      for (let i = 0; i < 1000; i++) {
        const job = await client.send(new GetModelInvocationJobCommand({ jobIdentifier: jobArn }));
        if ((job.processedRecordCount ?? 0) > 0) break;
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      await client.send(new StopModelInvocationJobCommand({ jobIdentifier: jobArn }));
      let job = await client.send(new GetModelInvocationJobCommand({ jobIdentifier: jobArn }));
      assert.ok(job.status === "Stopping" || job.status === "Stopped");
      for (let i = 0; i < 1000 && job.status !== "Stopped"; i++) {
        await new Promise((resolve) => setTimeout(resolve, 10));
        job = await client.send(new GetModelInvocationJobCommand({ jobIdentifier: jobArn }));
      }
      assert.equal(job.status, "Stopped");
      assert.ok(job.processedRecordCount! < 100);
      const jobId = jobArn!.split("/").pop()!;
      const out = (await read(`jobs/d/out/${jobId}/in.jsonl.out`)).trim().split("\n");
      assert.equal(out.length, job.processedRecordCount);
      await assert.rejects(client.send(new StopModelInvocationJobCommand({ jobIdentifier: jobArn })), /Stopped and cannot be stopped/);
    } finally {
      client.destroy();
      await slow.close();
    }
  });
});
