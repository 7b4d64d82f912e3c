/**
 * The guide's examples against real AWS Bedrock (`npm run test:live`). Runs only when a model is named in
 * MINION_LIVE_MODEL (e.g. us.anthropic.claude-3-5-haiku-20241022-v1:0) and AWS credentials are available
 * (AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, AWS_PROFILE, AWS_BEARER_TOKEN_BEDROCK, or shared config files);
 * otherwise every test is skipped with the reason. Region: MINION_LIVE_REGION, AWS_REGION, then us-east-1.
 * Never part of `npm test`.
 */
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { BedrockAsyncProvider } from "../src/providers/bedrock/index.js";
import type { ToolDefinition } from "../src/providers/llm-provider.js";
import { AbortError } from "../src/schema/errors.js";
import { Message } from "../src/schema/message.js";

const model = process.env["MINION_LIVE_MODEL"];
const hasCredentials =
  Boolean(process.env["AWS_ACCESS_KEY_ID"] && process.env["AWS_SECRET_ACCESS_KEY"]) ||
  Boolean(process.env["AWS_PROFILE"]) ||
  Boolean(process.env["AWS_BEARER_TOKEN_BEDROCK"]) ||
  Boolean(process.env["AWS_CONTAINER_CREDENTIALS_FULL_URI"] || process.env["AWS_WEB_IDENTITY_TOKEN_FILE"]) ||
  existsSync(join(homedir(), ".aws", "credentials")) ||
  existsSync(join(homedir(), ".aws", "config"));
const skip = !model
  ? "set MINION_LIVE_MODEL to a Bedrock Claude model id or inference profile to run the live tests"
  : !hasCredentials
    ? "no AWS credentials found (AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, AWS_PROFILE, AWS_BEARER_TOKEN_BEDROCK or ~/.aws)"
    : false;

/** Each test skips itself, with the reason, when the live prerequisites are missing. */
function live(name: string, fn: () => unknown): void {
  it(name, { skip }, fn as () => void);
}

describe("live AWS Bedrock", () => {
  const provider = skip
    ? undefined
    : new BedrockAsyncProvider({
        api_type: "bedrock_async",
        model: model!,
        region: process.env["MINION_LIVE_REGION"] ?? process.env["AWS_REGION"] ?? "us-east-1",
        temperature: 0.7,
        max_tokens: 300,
        ...(process.env["AWS_PROFILE"] ? { profile: process.env["AWS_PROFILE"] } : {}),
      });
  after(() => provider?.close());

  live("1. basic generation with Message objects", async () => {
    const text = await provider!.generate([new Message({ role: "user", content: "Hello! How are you? Answer in one sentence." })]);
    assert.ok(text.trim().length > 0);
  });

  live("2. streaming", async () => {
    const chunks: string[] = [];
    for await (const chunk of provider!.generateStream([new Message({ role: "user", content: "Write a short poem about coding." })])) chunks.push(chunk);
    assert.ok(chunks.length > 1);
    assert.ok(chunks.join("").trim().length > 0);
  });

  live("3. stream response (ChatCompletion with usage)", async () => {
    const response = await provider!.generateStreamResponse([new Message({ role: "user", content: "Explain async programming in one sentence." })]);
    assert.equal(response.object, "chat.completion");
    assert.ok(response.choices[0]!.message.content);
    assert.ok(response.usage.total_tokens > 0);
    assert.equal(response.usage.total_tokens, response.usage.prompt_tokens + response.usage.completion_tokens);
  });

  live("system prompt, stop sequence and cost tracking", async () => {
    const response = await provider!.generateStreamResponse(
      [
        { role: "system", content: "You count. Output numbers separated by commas, nothing else." },
        { role: "user", content: "Count from 1 to 10." },
      ],
      { stop: ["5"], temperature: 0 },
    );
    assert.ok(!response.choices[0]!.message.content!.includes("5"));
    assert.equal(response.choices[0]!.finish_reason, "stop");
    const cost = provider!.getCost();
    assert.ok(cost.totalTokens > 0);
    assert.ok(cost.totalCost > 0);
  });

  live("tool calling round trip", async () => {
    const tools: ToolDefinition[] = [
      { type: "function", function: { name: "get_weather", description: "Weather for a city", parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"] } } },
    ];
    const first = await provider!.generateStreamResponse([{ role: "user", content: "What is the weather in Paris? Use the tool." }], { tools, toolChoice: "any" });
    assert.equal(first.choices[0]!.finish_reason, "tool_calls");
    const call = first.choices[0]!.message.tool_calls![0]!;
    assert.equal(call.function.name, "get_weather");
    const second = await provider!.generate(
      [
        { role: "user", content: "What is the weather in Paris? Use the tool." },
        { role: "assistant", content: first.choices[0]!.message.content, tool_calls: [call] },
        { role: "tool", tool_call_id: call.id, content: "Sunny, 21 C" },
      ],
      { tools },
    );
    assert.match(second, /21|sunny/i);
  });

  live("abort mid-stream", async () => {
    const controller = new AbortController();
    await assert.rejects(
      (async () => {
        for await (const _chunk of provider!.generateStream([{ role: "user", content: "Write 20 lines about the sea." }], { signal: controller.signal })) controller.abort();
      })(),
      AbortError,
    );
  });

  live("generateSync blocks and adds to the cost", () => {
    const before = provider!.getCost().totalTokens;
    const text = provider!.generateSync([{ role: "user", content: "Say OK." }]);
    assert.ok(text.length > 0);
    assert.ok(provider!.getCost().totalTokens > before);
  });
});
