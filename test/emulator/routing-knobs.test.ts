import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { BedrockRuntimeClient, InvokeModelCommand, ValidationException } from "@aws-sdk/client-bedrock-runtime";
import { BedrockAsyncProvider } from "../../src/providers/bedrock/index.js";
import { EXAMPLE_CREDENTIALS, startEmulator, type Emulator } from "../../src/emulator/index.js";
import { BedrockServiceError } from "../../src/schema/errors.js";

const BASE = "anthropic.claude-sonnet-4-20250514-v1:0";

function provider(emulator: Emulator, model: string): BedrockAsyncProvider {
  return new BedrockAsyncProvider({
    provider: "bedrock_async", model, region: "us-east-1", endpoint: emulator.url, max_attempts: 1,
    access_key_id: EXAMPLE_CREDENTIALS.accessKeyId, secret_access_key: EXAMPLE_CREDENTIALS.secretAccessKey,
  });
}

describe("emulator knobs for routing", () => {
  let emulator: Emulator;
  before(async () => (emulator = await startEmulator({ profileOnlyModels: [BASE], maxRequestsPerSecond: 2 })));
  after(() => emulator.close());

  it("answers a profile-only model's base id with Bedrock's on-demand-throughput ValidationException, and its profile id normally", async () => {
    // The official client, so that minion's own inference-profile retry does not hide the emulator's answer.
    const client = new BedrockRuntimeClient({ region: "us-east-1", endpoint: emulator.url, credentials: { ...EXAMPLE_CREDENTIALS }, maxAttempts: 1 });
    const body = JSON.stringify({ anthropic_version: "bedrock-2023-05-31", max_tokens: 16, messages: [{ role: "user", content: "hi" }] });
    const error = await client.send(new InvokeModelCommand({ modelId: BASE, contentType: "application/json", body })).catch((e: unknown) => e);
    client.destroy();
    assert.ok(error instanceof ValidationException);
    assert.equal(error.$metadata.httpStatusCode, 400);
    assert.match(error.message, new RegExp(`Invocation of model ID ${BASE.replace(/[.:]/g, "\\$&")} with on-demand throughput isn\u2019t supported\\. Retry your request with the ID or ARN of an inference profile that contains this model\\.`));
    const profile = provider(emulator, `us.${BASE}`);
    assert.notEqual(await profile.generate([{ role: "user", content: "hi" }]), "");
    await profile.close();
  });

  it("throttles a model above maxRequestsPerSecond with ThrottlingException 429", async () => {
    const llm = provider(emulator, "amazon.nova-lite-v1:0");
    const results = await Promise.allSettled(Array.from({ length: 6 }, () => llm.generate([{ role: "user", content: "hi" }])));
    const throttled = results.filter((r) => r.status === "rejected" && r.reason instanceof BedrockServiceError && r.reason.awsName === "ThrottlingException" && r.reason.status === 429);
    assert.ok(results.filter((r) => r.status === "fulfilled").length >= 2);
    assert.ok(throttled.length >= 1, "6 requests at once against a quota of 2 per second");
    await llm.close();
  });
});
