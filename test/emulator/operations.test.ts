import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  ConverseCommand,
  ConverseStreamCommand,
  CountTokensCommand,
  InvokeModelCommand,
  InvokeModelWithResponseStreamCommand,
} from "@aws-sdk/client-bedrock-runtime";
import { useEmulatorWithSwitchablePlanner } from "./support/emulator-with-sdk-client.js";
import { anthropicBody, CONVERSE_MESSAGES, MODEL_ID } from "./support/sdk-client.js";
import { answerPlan } from "./support/stand-in-planner.js";

const TOOL_PLAN = answerPlan({
  blocks: [
    { type: "text", text: "Let me check." },
    { type: "tool_use", id: "toolu_bdrk_01", name: "get_weather", input: { city: "Paris", days: 3 } },
  ],
  stopReason: "tool_use",
  usage: { inputTokens: 40, outputTokens: 20, cacheReadInputTokens: 5, cacheWriteInputTokens: 7 },
});
const THINKING_PLAN = answerPlan({
  blocks: [
    { type: "thinking", thinking: "The user greets me; I greet back.", signature: "sig-123" },
    { type: "text", text: "Hi!" },
  ],
});

describe("the four operations and CountTokens through the official SDK (HTTP/2)", () => {
  const sdk = useEmulatorWithSwitchablePlanner();
  const { planner } = sdk;

  it("InvokeModel returns the Anthropic Messages response", async () => {
    const output = await sdk.client.send(new InvokeModelCommand({ modelId: MODEL_ID, body: anthropicBody(), contentType: "application/json" }));
    const body = JSON.parse(Buffer.from(output.body).toString("utf8"));
    assert.equal(output.contentType, "application/json");
    assert.equal(body.type, "message");
    assert.equal(body.role, "assistant");
    assert.equal(body.model, "claude-3-5-sonnet-20240620");
    assert.deepEqual(body.content, [{ type: "text", text: "Hello from the emulator." }]);
    assert.equal(body.stop_reason, "end_turn");
    assert.deepEqual(body.usage, { input_tokens: 12, output_tokens: 6, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 });
    assert.match(output.$metadata.requestId ?? "", /^[0-9a-f-]{36}$/);
    assert.equal(sdk.emulator.requests[0]?.protocol, "h2");
    assert.equal(sdk.emulator.requests[0]?.authType, "sigv4");
    assert.deepEqual(sdk.emulator.requests[0]?.body, JSON.parse(anthropicBody()));
  });

  it("InvokeModelWithResponseStream sends the full Anthropic event sequence, text split into chunks", async () => {
    const output = await sdk.client.send(new InvokeModelWithResponseStreamCommand({ modelId: MODEL_ID, body: anthropicBody() }));
    assert.equal(output.contentType, "application/json");
    const events = [];
    for await (const event of output.body!) events.push(JSON.parse(Buffer.from(event.chunk!.bytes!).toString("utf8")));
    assert.deepEqual(
      events.map((event) => event.type),
      ["message_start", "content_block_start", ...Array(4).fill("content_block_delta"), "content_block_stop", "message_delta", "message_stop"],
    );
    const text = events.filter((event) => event.type === "content_block_delta").map((event) => event.delta.text).join("");
    assert.equal(text, "Hello from the emulator.");
    assert.deepEqual(events[7].delta, { stop_reason: "end_turn", stop_sequence: null });
    const metrics = events[8]["amazon-bedrock-invocationMetrics"];
    assert.equal(metrics.inputTokenCount, 12);
    assert.equal(metrics.outputTokenCount, 6);
    assert.equal(typeof metrics.invocationLatency, "number");
    assert.equal(typeof metrics.firstByteLatency, "number");
  });

  it("streams tool_use as input_json_delta and reports cache counts in the invocation metrics", async () => {
    planner.plan = TOOL_PLAN;
    const output = await sdk.client.send(new InvokeModelWithResponseStreamCommand({ modelId: MODEL_ID, body: anthropicBody() }));
    const events = [];
    for await (const event of output.body!) events.push(JSON.parse(Buffer.from(event.chunk!.bytes!).toString("utf8")));
    const toolStart = events.find((event) => event.type === "content_block_start" && event.index === 1);
    assert.deepEqual(toolStart.content_block, { type: "tool_use", id: "toolu_bdrk_01", name: "get_weather", input: {} });
    const json = events.filter((event) => event.delta?.type === "input_json_delta").map((event) => event.delta.partial_json).join("");
    assert.deepEqual(JSON.parse(json), { city: "Paris", days: 3 });
    assert.equal(events.at(-2).delta.stop_reason, "tool_use");
    const metrics = events.at(-1)["amazon-bedrock-invocationMetrics"];
    assert.equal(metrics.cacheReadInputTokenCount, 5);
    assert.equal(metrics.cacheWriteInputTokenCount, 7);
  });

  it("streams thinking as thinking_delta then signature_delta", async () => {
    planner.plan = THINKING_PLAN;
    const output = await sdk.client.send(new InvokeModelWithResponseStreamCommand({ modelId: MODEL_ID, body: anthropicBody() }));
    const deltas = [];
    for await (const event of output.body!) {
      const parsed = JSON.parse(Buffer.from(event.chunk!.bytes!).toString("utf8"));
      if (parsed.type === "content_block_delta" && parsed.index === 0) deltas.push(parsed.delta);
    }
    assert.equal(deltas.filter((delta) => delta.type === "thinking_delta").map((delta) => delta.thinking).join(""), "The user greets me; I greet back.");
    assert.deepEqual(deltas.at(-1), { type: "signature_delta", signature: "sig-123" });
  });

  it("InvokeModel reports the guardrail action, and the trace when the request asks for it", async () => {
    const trace = { inputAssessment: { g1: { topicPolicy: { topics: [{ name: "t", type: "DENY", action: "BLOCKED" }] } } } };
    planner.plan = answerPlan({ stopReason: "guardrail_intervened", guardrail: { action: "INTERVENED", trace } });
    const plain = await sdk.client.send(new InvokeModelCommand({ modelId: MODEL_ID, body: anthropicBody(), guardrailIdentifier: "g1", guardrailVersion: "1" }));
    const plainBody = JSON.parse(Buffer.from(plain.body).toString());
    assert.equal(plainBody["amazon-bedrock-guardrailAction"], "INTERVENED");
    assert.equal(plainBody["amazon-bedrock-trace"], undefined);
    const traced = await sdk.client.send(new InvokeModelCommand({ modelId: MODEL_ID, body: anthropicBody(), guardrailIdentifier: "g1", guardrailVersion: "1", trace: "ENABLED" }));
    assert.deepEqual(JSON.parse(Buffer.from(traced.body).toString())["amazon-bedrock-trace"], { guardrail: trace });
    const stream = await sdk.client.send(new InvokeModelWithResponseStreamCommand({ modelId: MODEL_ID, body: anthropicBody(), trace: "ENABLED" }));
    let last: Record<string, unknown> = {};
    for await (const event of stream.body!) last = JSON.parse(Buffer.from(event.chunk!.bytes!).toString());
    assert.equal(last["type"], "message_stop");
    assert.equal(last["amazon-bedrock-guardrailAction"], "INTERVENED");
    assert.deepEqual(last["amazon-bedrock-trace"], { guardrail: trace });
  });

  it("Converse returns message, stopReason, usage with totals and cache fields, and metrics", async () => {
    planner.plan = TOOL_PLAN;
    const output = await sdk.client.send(new ConverseCommand({ modelId: MODEL_ID, messages: CONVERSE_MESSAGES }));
    assert.deepEqual(output.output?.message?.content, [
      { text: "Let me check." },
      { toolUse: { toolUseId: "toolu_bdrk_01", name: "get_weather", input: { city: "Paris", days: 3 } } },
    ]);
    assert.equal(output.stopReason, "tool_use");
    assert.deepEqual(output.usage, { inputTokens: 40, outputTokens: 20, totalTokens: 72, cacheReadInputTokens: 5, cacheWriteInputTokens: 7, cacheDetails: [{ ttl: "5m", inputTokens: 7 }] });
    assert.equal(typeof output.metrics?.latencyMs, "number");
  });

  it("Converse reports reasoning content and a guardrail trace", async () => {
    planner.plan = { ...THINKING_PLAN, stopReason: "guardrail_intervened", guardrail: { action: "INTERVENED", trace: { modelOutput: ["blocked"] } } };
    const output = await sdk.client.send(new ConverseCommand({ modelId: MODEL_ID, messages: CONVERSE_MESSAGES }));
    assert.deepEqual(output.output?.message?.content?.[0], { reasoningContent: { reasoningText: { text: "The user greets me; I greet back.", signature: "sig-123" } } });
    assert.equal(output.stopReason, "guardrail_intervened");
    assert.deepEqual(output.trace?.guardrail, { modelOutput: ["blocked"] });
  });

  it("ConverseStream sends messageStart, tool contentBlockStart, deltas, stops and metadata", async () => {
    planner.plan = TOOL_PLAN;
    const output = await sdk.client.send(new ConverseStreamCommand({ modelId: MODEL_ID, messages: CONVERSE_MESSAGES }));
    const events = [];
    for await (const event of output.stream!) events.push(event);
    assert.deepEqual(events[0], { messageStart: { role: "assistant" } });
    const text = events.filter((event) => event.contentBlockDelta?.delta?.text !== undefined).map((event) => event.contentBlockDelta!.delta!.text).join("");
    assert.equal(text, "Let me check.");
    const start = events.find((event) => event.contentBlockStart);
    assert.deepEqual(start?.contentBlockStart, { contentBlockIndex: 1, start: { toolUse: { toolUseId: "toolu_bdrk_01", name: "get_weather" } } });
    const input = events.filter((event) => event.contentBlockDelta?.delta?.toolUse).map((event) => event.contentBlockDelta!.delta!.toolUse!.input).join("");
    assert.deepEqual(JSON.parse(input), { city: "Paris", days: 3 });
    assert.equal(events.filter((event) => event.contentBlockStop).length, 2);
    assert.deepEqual(events.at(-2), { messageStop: { stopReason: "tool_use" } });
    const metadata = events.at(-1)?.metadata;
    assert.deepEqual(metadata?.usage, { inputTokens: 40, outputTokens: 20, totalTokens: 72, cacheReadInputTokens: 5, cacheWriteInputTokens: 7, cacheDetails: [{ ttl: "5m", inputTokens: 7 }] });
    assert.equal(typeof metadata?.metrics?.latencyMs, "number");
  });

  it("ConverseStream sends reasoning text and signature deltas", async () => {
    planner.plan = THINKING_PLAN;
    const output = await sdk.client.send(new ConverseStreamCommand({ modelId: MODEL_ID, messages: CONVERSE_MESSAGES }));
    const reasoning = [];
    for await (const event of output.stream!) {
      const delta = event.contentBlockDelta?.delta?.reasoningContent;
      if (delta) reasoning.push(delta);
    }
    assert.equal(reasoning.filter((delta) => delta.text).map((delta) => delta.text).join(""), "The user greets me; I greet back.");
    assert.deepEqual(reasoning.at(-1), { signature: "sig-123" });
  });

  it("CountTokens returns inputTokens from the plan", async () => {
    planner.plan = answerPlan({ countTokens: 321 });
    const output = await sdk.client.send(
      new CountTokensCommand({ modelId: MODEL_ID, input: { converse: { messages: CONVERSE_MESSAGES } } }),
    );
    assert.equal(output.inputTokens, 321);
    assert.equal(sdk.emulator.requests[0]?.operation, "CountTokens");
  });

  for (const modelId of [
    "us.anthropic.claude-3-5-haiku-20241022-v1:0",
    "global.anthropic.claude-sonnet-4-20250514-v1:0",
    "arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.anthropic.claude-3-5-haiku-20241022-v1:0",
  ]) {
    it(`routes and signs the model id ${modelId}`, async () => {
      await sdk.client.send(new ConverseCommand({ modelId, messages: CONVERSE_MESSAGES }));
      assert.equal(sdk.emulator.requests[0]?.modelId, modelId);
      assert.equal(sdk.emulator.requests[0]?.operation, "Converse");
    });
  }

  it("counts operations and bytes in the metrics", async () => {
    const before = { ...sdk.emulator.metrics.byOperation };
    const bytesIn = sdk.emulator.metrics.bytesIn;
    await sdk.client.send(new ConverseCommand({ modelId: MODEL_ID, messages: CONVERSE_MESSAGES }));
    assert.equal(sdk.emulator.metrics.byOperation.Converse, (before.Converse ?? 0) + 1);
    assert.ok(sdk.emulator.metrics.bytesIn > bytesIn);
    assert.equal(sdk.emulator.metrics.streamsInFlight, 0);
  });
});
