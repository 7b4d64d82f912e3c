/**
 * ListModelInvocationJobs on the emulator: its filters, paging and sort, and the ValidationException Bedrock
 * answers for each query parameter outside the service model's constraints (driven through the official
 * @aws-sdk/client-bedrock, and raw requests for what the SDK cannot send).
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { BedrockClient, CreateModelInvocationJobCommand, GetModelInvocationJobCommand, ListModelInvocationJobsCommand, type ListModelInvocationJobsCommandInput } from "@aws-sdk/client-bedrock";
import { PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { EMULATOR_API_KEY, EXAMPLE_CREDENTIALS, startEmulator, type Emulator } from "../../src/emulator/index.js";
import { startS3, type TestS3 } from "../support/s3-server.js";
import { rawRequest } from "./support/raw-http.js";

const MODEL = "anthropic.claude-3-5-haiku-20241022-v1:0";
const ROLE = "arn:aws:iam::123456789012:role/BatchRole";

describe("emulator ListModelInvocationJobs", () => {
  let s3: TestS3;
  let emulator: Emulator;
  let bedrock: BedrockClient;
  const arns: string[] = [];

  before(async () => {
    s3 = await startS3();
    emulator = await startEmulator({ batch: { s3Endpoint: s3.url, s3Credentials: s3.credentials, statusDelayMs: 0, minRecords: 1 } });
    bedrock = new BedrockClient({ endpoint: emulator.url, region: "us-east-1", credentials: { ...EXAMPLE_CREDENTIALS } });
    const s3Client = new S3Client({ endpoint: s3.url, region: "us-east-1", forcePathStyle: true, credentials: { ...s3.credentials } });
    const record = JSON.stringify({ recordId: "R0000000001", modelInput: { anthropic_version: "bedrock-2023-05-31", max_tokens: 10, messages: [{ role: "user", content: "hi" }] } });
    await s3Client.send(new PutObjectCommand({ Bucket: s3.bucket, Key: "list/in.jsonl", Body: `${record}\n` }));
    s3Client.destroy();
    for (const name of ["alpha-1", "alpha-2", "beta-1"]) {
      const created = await bedrock.send(
        new CreateModelInvocationJobCommand({
          jobName: name,
          roleArn: ROLE,
          modelId: MODEL,
          inputDataConfig: { s3InputDataConfig: { s3Uri: `s3://${s3.bucket}/list/in.jsonl` } },
          outputDataConfig: { s3OutputDataConfig: { s3Uri: `s3://${s3.bucket}/list/out-${name}/` } },
        }),
      );
      arns.push(created.jobArn!);
      await new Promise((resolve) => setTimeout(resolve, 5)); // distinct submit times
    }
    for (const jobArn of arns) {
      while (!["Completed", "Failed"].includes((await bedrock.send(new GetModelInvocationJobCommand({ jobIdentifier: jobArn }))).status!)) {
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    }
  });

  after(async () => {
    bedrock.destroy();
    await emulator.close();
    await s3.close();
  });

  const names = async (input: ListModelInvocationJobsCommandInput) => (await bedrock.send(new ListModelInvocationJobsCommand(input))).invocationJobSummaries!.map((job) => job.jobName);

  it("filters by name, status and submit time, newest first unless asked Ascending", async () => {
    assert.deepEqual(await names({}), ["beta-1", "alpha-2", "alpha-1"]);
    assert.deepEqual(await names({ sortOrder: "Ascending", sortBy: "CreationTime" }), ["alpha-1", "alpha-2", "beta-1"]);
    assert.deepEqual(await names({ nameContains: "alpha" }), ["alpha-2", "alpha-1"]);
    assert.deepEqual(await names({ statusEquals: "Completed", nameContains: "beta" }), ["beta-1"]);
    assert.deepEqual(await names({ statusEquals: "InProgress" }), []);
    const second = await bedrock.send(new GetModelInvocationJobCommand({ jobIdentifier: arns[1] }));
    assert.deepEqual(await names({ submitTimeAfter: second.submitTime, sortOrder: "Ascending" }), ["beta-1"]);
    assert.deepEqual(await names({ submitTimeBefore: second.submitTime }), ["alpha-1"]);
  });

  it("pages with maxResults and the nextToken it returned", async () => {
    const first = await bedrock.send(new ListModelInvocationJobsCommand({ maxResults: 2, sortOrder: "Ascending" }));
    assert.deepEqual(first.invocationJobSummaries!.map((job) => job.jobName), ["alpha-1", "alpha-2"]);
    assert.equal(typeof first.nextToken, "string");
    const second = await bedrock.send(new ListModelInvocationJobsCommand({ maxResults: 2, sortOrder: "Ascending", nextToken: first.nextToken }));
    assert.deepEqual(second.invocationJobSummaries!.map((job) => job.jobName), ["beta-1"]);
    assert.equal(second.nextToken, undefined);
  });

  it("answers each out-of-model parameter with Bedrock's ValidationException, naming the parameter and its constraint", async () => {
    const cases: [ListModelInvocationJobsCommandInput, RegExp][] = [
      [{ statusEquals: "Running" as never }, /Value 'Running' at 'statusEquals' failed to satisfy constraint: Member must satisfy enum value set: \[Submitted, InProgress, Completed, Failed, Stopping, Stopped, PartiallyCompleted, Expired, Validating, Scheduled\]/],
      [{ nameContains: "bad name!" }, /Value 'bad name!' at 'nameContains' failed to satisfy constraint: Member must satisfy regular expression pattern/],
      [{ nameContains: "a".repeat(64) }, /at 'nameContains' failed to satisfy constraint/],
      [{ maxResults: 0 }, /Value '0' at 'maxResults' failed to satisfy constraint: Member must have value between 1 and 1000/],
      [{ maxResults: 1001 }, /Value '1001' at 'maxResults'/],
      [{ nextToken: "not-a-token" }, /Value 'not-a-token' at 'nextToken' failed to satisfy constraint: Member must be a nextToken returned by an earlier ListModelInvocationJobs call/],
      [{ sortBy: "Name" as never }, /Value 'Name' at 'sortBy' failed to satisfy constraint: Member must satisfy enum value set: \[CreationTime\]/],
      [{ sortOrder: "Up" as never }, /Value 'Up' at 'sortOrder' failed to satisfy constraint: Member must satisfy enum value set: \[Ascending, Descending\]/],
    ];
    for (const [input, message] of cases) {
      await assert.rejects(bedrock.send(new ListModelInvocationJobsCommand(input)), (error: Error & { $metadata?: { httpStatusCode?: number } }) => {
        assert.equal(error.name, "ValidationException", JSON.stringify(input));
        assert.equal(error.$metadata?.httpStatusCode, 400);
        assert.match(error.message, /^1 validation error detected: /);
        assert.match(error.message, message);
        return true;
      });
    }
    await assert.rejects(bedrock.send(new ListModelInvocationJobsCommand({ maxResults: 0, sortOrder: "Up" as never })), (error: Error) => {
      assert.match(error.message, /^2 validation errors detected: .*'maxResults'.*; .*'sortOrder'/);
      return true;
    });
  });

  it("refuses timestamps that are not ISO 8601 and a blank or whitespace nextToken (raw requests)", async () => {
    const list = async (query: string) => {
      const response = await rawRequest(emulator.url, { method: "GET", path: `/model-invocation-jobs?${query}`, headers: { authorization: `Bearer ${EMULATOR_API_KEY}` } });
      return { status: response.status, type: response.headers["x-amzn-errortype"], body: JSON.parse(response.body.toString("utf8")) as { message: string } };
    };
    for (const [query, pattern] of [
      ["submitTimeAfter=yesterday", /Value 'yesterday' at 'submitTimeAfter' failed to satisfy constraint: Member must be a timestamp in ISO 8601 format/],
      ["submitTimeBefore=2024-13-45T99:00:00Z", /at 'submitTimeBefore' failed to satisfy constraint/],
      ["nextToken=", /at 'nextToken' failed to satisfy constraint: Member must have length between 1 and 2048/],
      ["nextToken=a%20b", /at 'nextToken' failed to satisfy constraint/],
      ["maxResults=1.5", /Value '1.5' at 'maxResults'/],
    ] as const) {
      const answer = await list(query);
      assert.equal(answer.status, 400, query);
      assert.match(String(answer.type), /^ValidationException/);
      assert.match(answer.body.message, pattern);
    }
    assert.equal((await list("submitTimeAfter=2020-01-01T00:00:00Z&maxResults=1")).status, 200);
  });
});
