import assert from "node:assert/strict";
import { setImmediate as tick } from "node:timers/promises";
import { after, before, beforeEach, describe, it } from "node:test";
import type { Emulator } from "../../../src/emulator/index.js";
import { inferenceProfileRetryId } from "../../../src/providers/bedrock/errors/inference-profile-retry.js";
import { BedrockServiceError } from "../../../src/schema/errors.js";
import { emulatorWith, providerFor } from "./emulator-fixture.js";

const SONNET_4 = "anthropic.claude-sonnet-4-20250514-v1:0";
const OPUS_4 = "anthropic.claude-opus-4-20250514-v1:0";
const NOVA_PREMIER = "amazon.nova-premier-v1:0";
const HAIKU_45 = "anthropic.claude-haiku-4-5-20251001-v1:0";
const PROFILE_ARN = "arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.anthropic.claude-3-7-sonnet-20250219-v1:0";
const user = (content: string) => [{ role: "user" as const, content }];

describe("inference profile retry", () => {
  let emulator: Emulator;
  const notices: string[] = [];
  const onWarning = (warning: Error & { code?: string }) => {
    if (warning.code === "MINION_INFERENCE_PROFILE") notices.push(warning.message);
  };

  before(async () => {
    process.on("warning", onWarning);
    emulator = await emulatorWith({
      // HAIKU_45's us. profile is refused too: a profile that does not help surfaces the error.
      profileOnlyModels: [SONNET_4, OPUS_4, NOVA_PREMIER, HAIKU_45, `us.${HAIKU_45}`, `us.${OPUS_4}`, PROFILE_ARN],
    });
  });
  after(async () => {
    process.off("warning", onWarning);
    await emulator.close();
  });
  beforeEach(() => emulator.clearRequests());

  const modelIds = () => emulator.requests.map((request) => request.modelId);

  it("sends the call again once with the region's profile id, says so once, and calls the profile directly afterwards", async () => {
    const llm = providerFor(emulator, { model: SONNET_4, region: "us-east-1" });
    const answer = await llm.generate(user("first call"));
    assert.match(answer, /You said: first call/);
    assert.deepEqual(modelIds(), [SONNET_4, `us.${SONNET_4}`]);
    assert.deepEqual(emulator.requests[1]!.body, emulator.requests[0]!.body, "the same request, only the model id differs");

    const completion = await llm.generateStreamResponse(user("second call"));
    assert.equal(completion.model, `us.${SONNET_4}`);
    assert.deepEqual(modelIds(), [SONNET_4, `us.${SONNET_4}`, `us.${SONNET_4}`]);
    await tick();
    assert.equal(notices.filter((notice) => notice.includes(SONNET_4)).length, 1, "one notice across two calls");
    const notice = notices.find((text) => text.includes(SONNET_4))!;
    assert.match(notice, new RegExp(`Set model: "us\\.${SONNET_4.replace(/\./g, "\\.")}"`));
    assert.ok(llm.getCostByModel()[`us.${SONNET_4}`]!.totalTokens > 0, "cost is kept under the id that answered");
    assert.equal(llm.model, SONNET_4, "the configured id stays as configured");
    await llm.close();
  });

  it("retries a stream before its first event, with the geography of the region (eu., apac.)", async () => {
    const eu = providerFor(emulator, { model: OPUS_4, region: "eu-west-1" });
    const completion = await eu.generateStreamResponse(user("from Europe"));
    assert.equal(completion.model, `eu.${OPUS_4}`);
    assert.deepEqual(modelIds(), [OPUS_4, `eu.${OPUS_4}`]);
    await eu.close();

    emulator.clearRequests();
    const tokyo = providerFor(emulator, { model: NOVA_PREMIER, region: "ap-northeast-1" });
    assert.equal(tokyo.api, "converse");
    let text = "";
    for await (const chunk of tokyo.generateStream(user("from Tokyo"))) text += chunk;
    assert.match(text, /You said: from Tokyo/);
    assert.deepEqual(modelIds(), [NOVA_PREMIER, `apac.${NOVA_PREMIER}`]);
    assert.deepEqual(
      emulator.requests.map((request) => request.operation),
      ["ConverseStream", "ConverseStream"],
    );
    await tokyo.close();
  });

  it("remembers the profile even when the consumer stops reading at the first event", async () => {
    const llm = providerFor(emulator, { model: SONNET_4, region: "us-west-2" });
    for await (const chunk of llm.generateStream(user("stop early"))) {
      assert.ok(chunk.length > 0);
      break;
    }
    assert.deepEqual(modelIds(), [SONNET_4, `us.${SONNET_4}`]);
    await llm.generate(user("next call"));
    assert.deepEqual(modelIds(), [SONNET_4, `us.${SONNET_4}`, `us.${SONNET_4}`], "the next call goes to the profile directly");
    await llm.close();
  });

  it("is not a retry: with max_attempts 1 the call still goes to the profile, streamed or not", async () => {
    const llm = providerFor(emulator, { model: SONNET_4, region: "ap-southeast-2", max_attempts: 1 });
    let text = "";
    for await (const chunk of llm.generateStream(user("one attempt, streamed"))) text += chunk;
    assert.match(text, /You said: one attempt, streamed/);
    assert.deepEqual(modelIds(), [SONNET_4, `apac.${SONNET_4}`]);
    await llm.close();
    emulator.clearRequests();
    const other = providerFor(emulator, { model: SONNET_4, region: "ap-southeast-2", max_attempts: 1 });
    assert.match(await other.generate(user("one attempt")), /You said: one attempt/);
    assert.deepEqual(modelIds(), [SONNET_4, `apac.${SONNET_4}`]);
    await other.close();
  });

  it("does not rewrite an id that already is a profile or an ARN", async () => {
    for (const model of [`us.${OPUS_4}`, PROFILE_ARN]) {
      emulator.clearRequests();
      const llm = providerFor(emulator, { model, region: "us-east-1" });
      await assert.rejects(llm.generate(user("no second try")), (error: Error) => error instanceof BedrockServiceError && error.awsName === "ValidationException" && /on-demand throughput/.test(error.message));
      assert.deepEqual(modelIds(), [model]);
      await llm.close();
    }
  });

  it("tries the profile once: when it fails too, that error surfaces and nothing is noticed", async () => {
    const llm = providerFor(emulator, { model: HAIKU_45, region: "us-west-2" });
    await assert.rejects(llm.generate(user("twice refused")), (error: Error) => {
      assert.ok(error instanceof BedrockServiceError && error.awsName === "ValidationException");
      assert.match(error.message, new RegExp(`model ID us\\.${HAIKU_45.replace(/\./g, "\\.")} with on-demand`), "the profile's own error");
      assert.equal(error.message.match(/Hint:/g)?.length, 1);
      return true;
    });
    assert.deepEqual(modelIds(), [HAIKU_45, `us.${HAIKU_45}`]);
    emulator.clearRequests();
    await assert.rejects(llm.generateStreamResponse(user("twice refused, streamed")), BedrockServiceError);
    assert.deepEqual(modelIds(), [HAIKU_45, `us.${HAIKU_45}`]);
    await tick();
    assert.equal(notices.filter((notice) => notice.includes(HAIKU_45)).length, 0);
    await llm.close();
  });

  it("reads only the on-demand-throughput ValidationException, before any output, with a known region", () => {
    const onDemand = `Invocation of model ID ${SONNET_4} with on-demand throughput isn\u2019t supported. Retry your request with the ID or ARN of an inference profile that contains this model.`;
    const error = (fields: Partial<ConstructorParameters<typeof BedrockServiceError>[0]>) => new BedrockServiceError({ awsName: "ValidationException", message: onDemand, status: 400, retryable: false, ...fields });
    assert.equal(inferenceProfileRetryId(error({}), SONNET_4, "us-east-2"), `us.${SONNET_4}`);
    assert.equal(inferenceProfileRetryId(error({}), SONNET_4, "ap-southeast-2"), `apac.${SONNET_4}`);
    assert.equal(inferenceProfileRetryId(error({}), SONNET_4, "me-central-1"), `global.${SONNET_4}`);
    assert.equal(inferenceProfileRetryId(error({}), SONNET_4, undefined), undefined);
    assert.equal(inferenceProfileRetryId(error({ message: "messages.0: text content blocks must be non-empty" }), SONNET_4, "us-east-1"), undefined);
    assert.equal(inferenceProfileRetryId(error({ awsName: "AccessDeniedException", status: 403 }), SONNET_4, "us-east-1"), undefined);
    assert.equal(inferenceProfileRetryId(error({ midStream: true }), SONNET_4, "us-east-1"), undefined);
    assert.equal(inferenceProfileRetryId(new Error(onDemand), SONNET_4, "us-east-1"), undefined);
    assert.equal(inferenceProfileRetryId(error({}), `global.${SONNET_4}`, "us-east-1"), undefined);
    assert.equal(inferenceProfileRetryId(error({}), PROFILE_ARN, "us-east-1"), undefined);
  });
});
