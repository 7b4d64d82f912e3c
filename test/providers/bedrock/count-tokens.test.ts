import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { startEmulator, type Emulator } from "../../../src/emulator/index.js";
import type { PlanRequest } from "../../../src/emulator/answer-plan.js";
import { createPlanner } from "../../../src/emulator/model/index.js";
import { BedrockServiceError } from "../../../src/schema/errors.js";
import { estimateInputTokens, IMAGE_TOKEN_ESTIMATE } from "../../../src/providers/bedrock/tokens/estimate-input-tokens.js";
import { emulatorWith, providerFor } from "./emulator-fixture.js";

const MESSAGES = [
  { role: "system" as const, content: "You are terse." },
  { role: "user" as const, content: "How many tokens is this question, with its system prompt?" },
];
const TOOLS = [
  { type: "function" as const, function: { name: "get_weather", description: "Weather by city", parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"] } } },
];

/** An emulator whose CountTokens answers a ValidationException with this message (the rest is the built-in model). */
function countTokensAnswering(message: string): Promise<Emulator> {
  const builtin = createPlanner();
  const planner: PlanRequest = (request) => (request.operation === "CountTokens" ? { kind: "error", name: "ValidationException", status: 400, message, timing: { firstByteLatencyMs: 0 } } : builtin(request));
  return startEmulator({ planner });
}

describe("countTokens: CountTokens for the same request generate sends, on the same transport, signed", () => {
  let emulator: Emulator;
  before(async () => (emulator = await emulatorWith()));
  after(() => emulator.close());

  it("invoke: the counted body is byte for byte the InvokeModel body, and the count is what the call is billed for", async () => {
    const provider = providerFor(emulator, { api: "invoke" });
    try {
      const counted = await provider.countTokens(MESSAGES, { tools: TOOLS, temperature: 0.3 });
      const counting = emulator.requests.at(-1)!;
      assert.equal(counting.operation, "CountTokens");
      assert.equal(counting.authType, "sigv4");
      const completion = await provider.generateStreamResponse(MESSAGES, { tools: TOOLS, temperature: 0.3 });
      const generated = emulator.requests.at(-1)!;
      const sent = JSON.parse(Buffer.from((counting.body as any).input.invokeModel.body, "base64").toString("utf8"));
      assert.deepEqual(sent, generated.body);
      assert.deepEqual(counted, { inputTokens: completion.usage.prompt_tokens, estimated: false });
      assert.ok(counted.inputTokens > 0);
    } finally {
      await provider.close();
    }
  });

  it("converse: messages, system, toolConfig and additionalModelRequestFields are those of the Converse call", async () => {
    const provider = providerFor(emulator, { api: "converse" });
    try {
      const counted = await provider.countTokens(MESSAGES, { tools: TOOLS, topK: 5 });
      const counting = emulator.requests.at(-1)!;
      const completion = await provider.generateStreamResponse(MESSAGES, { tools: TOOLS, topK: 5 });
      const generated = emulator.requests.at(-1)!.body as Record<string, unknown>;
      const { messages, system, toolConfig, additionalModelRequestFields } = generated;
      assert.deepEqual((counting.body as any).input.converse, { messages, system, toolConfig, additionalModelRequestFields });
      assert.deepEqual(additionalModelRequestFields, { top_k: 5 });
      assert.equal(counted.inputTokens, completion.usage.prompt_tokens);
      assert.equal(counted.estimated, false);
    } finally {
      await provider.close();
    }
  });

  it("a cross-region profile id is counted as its base model id (CountTokens does not take profile ids)", async () => {
    const provider = providerFor(emulator, { model: "us.anthropic.claude-3-5-haiku-20241022-v1:0" });
    try {
      const counted = await provider.countTokens(MESSAGES);
      assert.equal(counted.estimated, false);
      assert.equal(emulator.requests.at(-1)!.modelId, "anthropic.claude-3-5-haiku-20241022-v1:0");
    } finally {
      await provider.close();
    }
  });

  it("a model other than Claude is estimated without a call, and says so", async () => {
    const provider = providerFor(emulator, { model: "amazon.nova-lite-v1:0" });
    try {
      const before = emulator.requests.length;
      const counted = await provider.countTokens(MESSAGES);
      assert.equal(emulator.requests.length, before, "no request sent");
      assert.equal(counted.estimated, true);
      assert.match(counted.reason!, /supports Anthropic Claude models only, not amazon\.nova-lite-v1:0; estimated at about 4 characters a token/);
      const text = "You are terse." + "How many tokens is this question, with its system prompt?";
      assert.equal(counted.inputTokens, Math.ceil(text.length / 4));
    } finally {
      await provider.close();
    }
  });

  it("the service's 'doesn't support counting tokens' answer falls back to the estimate, once asked per provider", async () => {
    const arn = "arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.anthropic.claude-3-5-haiku-20241022-v1:0";
    const scripted = await countTokensAnswering("The provided model doesn't support counting tokens.");
    const provider = providerFor(scripted, { model: arn });
    try {
      const first = await provider.countTokens(MESSAGES);
      assert.equal(first.estimated, true);
      assert.match(first.reason!, /Bedrock answered that anthropic\.claude-3-5-haiku-20241022-v1:0 does not support counting tokens/);
      assert.equal(scripted.requests.at(-1)!.modelId, "anthropic.claude-3-5-haiku-20241022-v1:0");
      const calls = scripted.requests.length;
      const second = await provider.countTokens(MESSAGES);
      assert.deepEqual(second, first);
      assert.equal(scripted.requests.length, calls, "not asked again");
    } finally {
      await provider.close();
      await scripted.close();
    }
  });

  it("other service errors are raised, not hidden behind an estimate", async () => {
    const scripted = await countTokensAnswering("messages: field required");
    const provider = providerFor(scripted);
    try {
      await assert.rejects(provider.countTokens(MESSAGES), (error: unknown) => error instanceof BedrockServiceError && error.awsName === "ValidationException" && /field required/.test(error.message));
    } finally {
      await provider.close();
      await scripted.close();
    }
  });
});

describe("estimateInputTokens", () => {
  it("counts text at 4 characters a token, images at a flat figure, and skips structure", () => {
    const body = {
      anthropic_version: "bedrock-2023-05-31",
      max_tokens: 100,
      system: "12345678",
      messages: [{ role: "user", content: [{ type: "text", text: "abcd" }, { type: "image", source: { type: "base64", media_type: "image/png", data: "AAAA" } }] }],
    };
    assert.equal(estimateInputTokens(body), 3 + IMAGE_TOKEN_ESTIMATE);
    assert.equal(estimateInputTokens({ messages: [{ role: "user", content: [{ image: { format: "png", source: { bytes: new Uint8Array(10) } } }] }] }), IMAGE_TOKEN_ESTIMATE);
  });
});
