/** CreateModelInvocationJob calls that race each other: names and clientRequestTokens stay unique. */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { BedrockClient, CreateModelInvocationJobCommand, type CreateModelInvocationJobCommandInput } from "@aws-sdk/client-bedrock";
import { PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { EXAMPLE_CREDENTIALS, startEmulator, type Emulator } from "../../../src/emulator/index.js";
import { startS3, type TestS3 } from "../../support/s3-server.js";

const MODEL = "anthropic.claude-3-5-haiku-20241022-v1:0";

describe("concurrent CreateModelInvocationJob calls", () => {
  let s3: TestS3;
  let emulator: Emulator;
  let bedrock: BedrockClient;

  before(async () => {
    s3 = await startS3();
    emulator = await startEmulator({ batch: { s3Endpoint: s3.url, s3Credentials: s3.credentials, statusDelayMs: 50, minRecords: 1 } });
    bedrock = new BedrockClient({ endpoint: emulator.url, region: "us-east-1", credentials: { ...EXAMPLE_CREDENTIALS } });
    const s3Client = new S3Client({ endpoint: s3.url, region: "us-east-1", forcePathStyle: true, credentials: { ...s3.credentials } });
    const line = JSON.stringify({ recordId: "R1", modelInput: { anthropic_version: "bedrock-2023-05-31", max_tokens: 5, messages: [{ role: "user", content: "hi" }] } });
    await s3Client.send(new PutObjectCommand({ Bucket: s3.bucket, Key: "race/input.jsonl", Body: `${line}\n` }));
    s3Client.destroy();
  });

  after(async () => {
    bedrock.destroy();
    await emulator.close();
    await s3.close();
  });

  function request(jobName: string, clientRequestToken?: string): CreateModelInvocationJobCommandInput {
    return {
      jobName,
      roleArn: "arn:aws:iam::123456789012:role/BatchRole",
      modelId: MODEL,
      inputDataConfig: { s3InputDataConfig: { s3Uri: `s3://${s3.bucket}/race/input.jsonl` } },
      outputDataConfig: { s3OutputDataConfig: { s3Uri: `s3://${s3.bucket}/race/output/` } },
      ...(clientRequestToken ? { clientRequestToken } : {}),
    };
  }

  it("eight at once with one jobName: one job is made, the others get ConflictException", async () => {
    const outcomes = await Promise.allSettled(Array.from({ length: 8 }, () => bedrock.send(new CreateModelInvocationJobCommand(request("race-name")))));
    const made = outcomes.filter((outcome) => outcome.status === "fulfilled");
    const refused = outcomes.filter((outcome) => outcome.status === "rejected").map((outcome) => (outcome.reason as Error).name);
    assert.equal(made.length, 1);
    assert.deepEqual(refused, Array(7).fill("ConflictException"));
    assert.equal(emulator.batchJobs().filter((job) => job["jobName"] === "race-name").length, 1);
  });

  it("eight at once with one clientRequestToken: all answer the same single job", async () => {
    const outcomes = await Promise.all(Array.from({ length: 8 }, () => bedrock.send(new CreateModelInvocationJobCommand(request("race-token", "race-token-1")))));
    assert.equal(new Set(outcomes.map((outcome) => outcome.jobArn)).size, 1);
    assert.equal(emulator.batchJobs().filter((job) => job["jobName"] === "race-token").length, 1);
  });
});
