import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  ConverseCommand,
  ConverseStreamCommand,
  InvokeModelCommand,
  InvokeModelWithResponseStreamCommand,
} from "@aws-sdk/client-bedrock-runtime";
import { useEmulatorWithSdkClient } from "./support/emulator-with-sdk-client.js";

const MODEL_ID = "us.anthropic.claude-3-5-haiku-20241022-v1:0";
const TOOLS = [{ name: "get_weather", description: "Weather for a city", input_schema: { type: "object", properties: { city: { type: "string" } } } }];

function anthropicBody(text: string, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({ anthropic_version: "bedrock-2023-05-31", max_tokens: 200, messages: [{ role: "user", content: text }], ...extra });
}

describe("the built-in model over the wire (default planner)", () => {
  const sdk = useEmulatorWithSdkClient({ chunksPerAnswer: 3 });

  it("answers the same request the same way, with the same token counts in the body and in the stream metrics", async () => {
    const body = anthropicBody("Tell me about the sea.");
    const first = JSON.parse(Buffer.from((await sdk.client.send(new InvokeModelCommand({ modelId: MODEL_ID, body }))).body).toString());
    const second = JSON.parse(Buffer.from((await sdk.client.send(new InvokeModelCommand({ modelId: MODEL_ID, body }))).body).toString());
    assert.deepEqual(second.content, first.content);
    assert.deepEqual(second.usage, first.usage);

    const stream = await sdk.client.send(new InvokeModelWithResponseStreamCommand({ modelId: MODEL_ID, body }));
    let text = "";
    let deltas = 0;
    let metrics: Record<string, number> = {};
    let outputTokens = 0;
    for await (const event of stream.body!) {
      const parsed = JSON.parse(Buffer.from(event.chunk!.bytes!).toString());
      if (parsed.delta?.type === "text_delta") {
        text += parsed.delta.text;
        deltas += 1;
      }
      if (parsed.type === "message_delta") outputTokens = parsed.usage.output_tokens;
      if (parsed.type === "message_stop") metrics = parsed["amazon-bedrock-invocationMetrics"];
    }
    assert.equal(text, first.content.map((block: { text?: string }) => block.text ?? "").join(""));
    assert.ok(deltas >= 1 && deltas <= 3);
    assert.equal(metrics["inputTokenCount"], first.usage.input_tokens);
    assert.equal(metrics["outputTokenCount"], first.usage.output_tokens);
    assert.equal(outputTokens, first.usage.output_tokens);
  });

  it("Converse and ConverseStream agree on text and usage", async () => {
    const messages = [{ role: "user" as const, content: [{ text: "Tell me about the sea." }] }];
    const converse = await sdk.client.send(new ConverseCommand({ modelId: MODEL_ID, messages }));
    const stream = await sdk.client.send(new ConverseStreamCommand({ modelId: MODEL_ID, messages }));
    let text = "";
    let usage: unknown;
    for await (const event of stream.stream!) {
      text += event.contentBlockDelta?.delta?.text ?? "";
      usage ??= event.metadata?.usage;
    }
    assert.equal(text, converse.output?.message?.content?.map((block) => block.text ?? "").join(""));
    assert.deepEqual(usage, converse.usage);
    assert.equal(converse.usage!.totalTokens, converse.usage!.inputTokens! + converse.usage!.outputTokens!);
  });

  it("emits tool_use, streamed as input_json_delta, when tools are offered and the prompt asks", async () => {
    const body = anthropicBody('Please call get_weather {"city":"Paris"}', { tools: TOOLS });
    const stream = await sdk.client.send(new InvokeModelWithResponseStreamCommand({ modelId: MODEL_ID, body }));
    let json = "";
    let stopReason: string | undefined;
    let toolName: string | undefined;
    for await (const event of stream.body!) {
      const parsed = JSON.parse(Buffer.from(event.chunk!.bytes!).toString());
      if (parsed.content_block?.type === "tool_use") toolName = parsed.content_block.name;
      if (parsed.delta?.type === "input_json_delta") json += parsed.delta.partial_json;
      if (parsed.type === "message_delta") stopReason = parsed.delta.stop_reason;
    }
    assert.equal(toolName, "get_weather");
    assert.deepEqual(JSON.parse(json), { city: "Paris" });
    assert.equal(stopReason, "tool_use");
  });

  it("an unknown model id gets ResourceNotFoundException 404, a malformed one ValidationException 400", async () => {
    const messages = [{ role: "user" as const, content: [{ text: "Hi" }] }];
    await assert.rejects(sdk.client.send(new ConverseCommand({ modelId: "acme.rocket-v1:0", messages })), (error: Error & { $metadata?: { httpStatusCode?: number } }) =>
      error.name === "ResourceNotFoundException" && error.$metadata?.httpStatusCode === 404,
    );
    await assert.rejects(sdk.client.send(new ConverseCommand({ modelId: "not a model", messages })), (error: Error & { $metadata?: { httpStatusCode?: number } }) =>
      error.name === "ValidationException" && error.$metadata?.httpStatusCode === 400,
    );
  });

  it("a body Bedrock would reject gets ValidationException through the wire", async () => {
    await assert.rejects(
      sdk.client.send(new InvokeModelCommand({ modelId: MODEL_ID, body: JSON.stringify({ max_tokens: 10, messages: [{ role: "user", content: "x" }] }) })),
      (error: Error & { $metadata?: { httpStatusCode?: number } }) =>
        error.name === "ValidationException" && error.$metadata?.httpStatusCode === 400 && /anthropic_version/.test(error.message),
    );
  });
});
