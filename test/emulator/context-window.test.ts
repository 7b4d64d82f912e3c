import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  ConverseCommand,
  ConverseStreamCommand,
  InvokeModelCommand,
  InvokeModelWithResponseStreamCommand,
  ValidationException,
} from "@aws-sdk/client-bedrock-runtime";
import { contextWindow } from "../../src/emulator/model/context-window.js";
import { resolveModelId } from "../../src/emulator/model/resolve-model-id.js";
import { useEmulatorWithSdkClient } from "./support/emulator-with-sdk-client.js";
import { MODEL_ID } from "./support/sdk-client.js";

// 2,000,000 characters are 500,000 tokens by the emulator's ceil(chars / 4) count: over Claude's 200,000.
const TWO_MB = "a".repeat(2_000_000);
const UNDER = "a".repeat(790_000); // 197,500 tokens (+ a few for the question)

function invokeBody(text: string, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({ anthropic_version: "bedrock-2023-05-31", max_tokens: 50, messages: [{ role: "user", content: text }], ...extra });
}

async function rejection(promise: Promise<unknown>): Promise<ValidationException> {
  const error = await promise.then(
    () => assert.fail("the request was accepted"),
    (thrown: unknown) => thrown,
  );
  assert.ok(error instanceof ValidationException, `expected ValidationException, got ${String(error)}`);
  assert.equal(error.$metadata.httpStatusCode, 400);
  return error;
}

describe("context window", () => {
  const fixture = useEmulatorWithSdkClient();

  it("InvokeModel: a 2 MB prompt to a 200K-token Claude model -> 400 'prompt is too long: N tokens > 200000 maximum'", async () => {
    const error = await rejection(fixture.client.send(new InvokeModelCommand({ modelId: MODEL_ID, body: invokeBody(TWO_MB), contentType: "application/json" })));
    assert.equal(error.message, "prompt is too long: 500000 tokens > 200000 maximum");
  });

  it("InvokeModelWithResponseStream: rejected before the stream starts, with the same message", async () => {
    const error = await rejection(
      fixture.client.send(new InvokeModelWithResponseStreamCommand({ modelId: MODEL_ID, body: invokeBody(TWO_MB), contentType: "application/json" })),
    );
    assert.equal(error.message, "prompt is too long: 500000 tokens > 200000 maximum");
  });

  it("Converse and ConverseStream: 'Input is too long for requested model.' as the model's error", async () => {
    const messages = [{ role: "user" as const, content: [{ text: TWO_MB }] }];
    for (const command of [new ConverseCommand({ modelId: MODEL_ID, messages }), new ConverseStreamCommand({ modelId: MODEL_ID, messages })]) {
      const error = await rejection(fixture.client.send(command as ConverseCommand));
      assert.equal(error.message, "The model returned the following errors: Input is too long for requested model.");
    }
  });

  it("counts the system prompt too, and accepts a prompt just under the window", async () => {
    const under = await fixture.client.send(new InvokeModelCommand({ modelId: MODEL_ID, body: invokeBody(UNDER), contentType: "application/json" }));
    assert.equal(under.$metadata.httpStatusCode, 200);
    const overWithSystem = invokeBody(UNDER, { system: "s".repeat(20_000) });
    const error = await rejection(fixture.client.send(new InvokeModelCommand({ modelId: MODEL_ID, body: overWithSystem, contentType: "application/json" })));
    assert.match(error.message, /^prompt is too long: 2025\d\d tokens > 200000 maximum$/);
  });

  it("Claude Sonnet 4 with the 1M-context beta accepts the 2 MB prompt; without it, it does not", async () => {
    const sonnet4 = "us.anthropic.claude-sonnet-4-20250514-v1:0";
    const withBeta = invokeBody(TWO_MB, { anthropic_beta: ["context-1m-2025-08-07"] });
    const accepted = await fixture.client.send(new InvokeModelCommand({ modelId: sonnet4, body: withBeta, contentType: "application/json" }));
    assert.equal(accepted.$metadata.httpStatusCode, 200);
    await rejection(fixture.client.send(new InvokeModelCommand({ modelId: sonnet4, body: invokeBody(TWO_MB), contentType: "application/json" })));
  });

  it("knows the documented windows of Claude and Nova, and leaves other families unlimited", () => {
    assert.equal(contextWindow(resolveModelId(MODEL_ID), {}), 200_000);
    assert.equal(contextWindow(resolveModelId("us.amazon.nova-micro-v1:0"), {}), 128_000);
    assert.equal(contextWindow(resolveModelId("amazon.nova-pro-v1:0"), {}), 300_000);
    assert.equal(contextWindow(resolveModelId("us.amazon.nova-premier-v1:0"), {}), 1_000_000);
    assert.equal(contextWindow(resolveModelId("meta.llama3-8b-instruct-v1:0"), {}), null);
    // The beta applies only to the models that offer it.
    assert.equal(contextWindow(resolveModelId(MODEL_ID), { anthropic_beta: ["context-1m-2025-08-07"] }), 200_000);
  });
});
