/**
 * Bedrock features against real AWS Bedrock (`npm run test:live`): Converse for a non-Claude model, tools,
 * images and PDFs, prompt caching, extended thinking with a signature round trip, guardrails, stop_sequence
 * and stream timeouts. Needs AWS credentials plus:
 *  - MINION_LIVE_MODEL: a Claude model or inference profile (InvokeModel path; thinking needs Claude 3.7+);
 *  - MINION_LIVE_CONVERSE_MODEL (optional, default us.amazon.nova-lite-v1:0): a non-Claude model;
 *  - MINION_LIVE_GUARDRAIL_ID / MINION_LIVE_GUARDRAIL_VERSION (optional): a guardrail that denies the topic
 *    in MINION_LIVE_GUARDRAIL_PROMPT.
 * Each test skips itself with the reason when what it needs is missing. Never part of `npm test`.
 */
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { BedrockAsyncProvider } from "../src/providers/bedrock/index.js";
import type { StreamEvent, ToolDefinition } from "../src/providers/llm-provider.js";
import { TimeoutError } from "../src/schema/errors.js";
import type { MessageInput } from "../src/schema/message.js";

const env = process.env;
const claude = env["MINION_LIVE_MODEL"];
const converseModel = env["MINION_LIVE_CONVERSE_MODEL"] ?? "us.amazon.nova-lite-v1:0";
const region = env["MINION_LIVE_REGION"] ?? env["AWS_REGION"] ?? "us-east-1";
const hasCredentials =
  Boolean(env["AWS_ACCESS_KEY_ID"] && env["AWS_SECRET_ACCESS_KEY"]) ||
  Boolean(env["AWS_PROFILE"] || env["AWS_BEARER_TOKEN_BEDROCK"] || env["AWS_CONTAINER_CREDENTIALS_FULL_URI"] || env["AWS_WEB_IDENTITY_TOKEN_FILE"]) ||
  existsSync(join(homedir(), ".aws", "credentials")) ||
  existsSync(join(homedir(), ".aws", "config"));
const noLive = !claude ? "set MINION_LIVE_MODEL to a Bedrock Claude model id or inference profile" : !hasCredentials ? "no AWS credentials found" : false;
const noGuardrail = noLive || (!env["MINION_LIVE_GUARDRAIL_ID"] ? "set MINION_LIVE_GUARDRAIL_ID (and _VERSION, _PROMPT) to test guardrails" : false);

// A 1x1 PNG and a one-page PDF.
const PNG_1PX = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==";
const PDF = Buffer.from(
  "%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 300 100]/Contents 4 0 R/Resources<</Font<</F1 5 0 R>>>>>>endobj\n4 0 obj<</Length 44>>stream\nBT /F1 18 Tf 20 40 Td (The code is 731) Tj ET\nendstream endobj\n5 0 obj<</Type/Font/Subtype/Type1/BaseFont/Helvetica>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n",
).toString("base64");
const weather: ToolDefinition = { type: "function", function: { name: "get_weather", description: "Current weather for a city", parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"] } } };

function providerFor(model: string, extra: Record<string, unknown> = {}): BedrockAsyncProvider {
  return new BedrockAsyncProvider({ api_type: "bedrock_async", model, region, max_tokens: 400, ...(env["AWS_PROFILE"] ? { profile: env["AWS_PROFILE"] } : {}), ...extra });
}

async function events(stream: AsyncIterable<StreamEvent>): Promise<StreamEvent[]> {
  const out: StreamEvent[] = [];
  for await (const event of stream) out.push(event);
  return out;
}

describe("live Bedrock features", () => {
  const made: BedrockAsyncProvider[] = [];
  const make = (model: string, extra?: Record<string, unknown>): BedrockAsyncProvider => {
    const provider = providerFor(model, extra);
    made.push(provider);
    return provider;
  };
  after(async () => {
    for (const provider of made) await provider.close();
  });

  for (const [label, model] of [["Claude (InvokeModel)", claude], ["Converse model", converseModel]] as const) {
    it(`${label}: tool call, then its result, streamed`, { skip: noLive }, async () => {
      const provider = make(model!);
      const ask: MessageInput[] = [{ role: "user", content: "What is the weather in Paris? Use the tool." }];
      const first = await provider.generateStreamResponse(ask, { tools: [weather], toolChoice: "any" });
      const call = first.choices[0]!.message.tool_calls?.[0];
      assert.equal(first.choices[0]!.finish_reason, "tool_calls");
      assert.equal(call?.function.name, "get_weather");
      const answer = await provider.generate([...ask, { role: "assistant", content: first.choices[0]!.message.content, tool_calls: [call!] }, { role: "tool", tool_call_id: call!.id, content: "18 C and sunny" }], { tools: [weather] });
      assert.match(answer, /18|sunny/i);
      // The same history with no tools offered is still accepted.
      const noTools = await provider.generate([...ask, { role: "assistant", content: null, tool_calls: [call!] }, { role: "tool", tool_call_id: call!.id, content: "18 C" }, { role: "user", content: "Summarise." }]);
      assert.ok(noTools.length > 0);
    });

    it(`${label}: an image and a PDF`, { skip: noLive }, async () => {
      const provider = make(model!);
      const text = await provider.generate([
        { role: "user", content: [{ type: "image", data: PNG_1PX, mediaType: "image/png" }, { type: "document", data: PDF, mediaType: "application/pdf", name: "code" }, { type: "text", text: "What number does the document give as the code?" }] },
      ]);
      assert.match(text, /7\s*31|731/);
    });

    it(`${label}: stop_sequence reported`, { skip: noLive }, async () => {
      const completion = await make(model!).generateStreamResponse([{ role: "user", content: "Count from 1 to 10 separated by spaces." }], { stop: ["5"] });
      assert.equal(completion.stop_sequence, "5");
      assert.ok(!(completion.choices[0]!.message.content ?? "").includes("6"));
    });
  }

  it("Claude: prompt caching writes then reads, prompt_tokens unchanged", { skip: noLive }, async () => {
    const provider = make(claude!);
    const system = `You answer questions about this text.\n${"Bedrock prompt caching keeps a prefix of the prompt. ".repeat(200)}`;
    const messages: MessageInput[] = [{ role: "system", content: system }, { role: "user", content: "In five words, what is the text about?" }];
    const first = await provider.generateStreamResponse(messages, { cache: { system: true } });
    const second = await provider.generateStreamResponse(messages, { cache: { system: true } });
    assert.ok((first.usage.cache_write_input_tokens ?? 0) + (first.usage.cache_read_input_tokens ?? 0) > 0);
    assert.ok((second.usage.cache_read_input_tokens ?? 0) > 0);
    assert.equal(second.usage.prompt_tokens, first.usage.prompt_tokens);
    assert.ok(provider.getCost().totalCacheReadTokens > 0);
  });

  it("Claude: extended thinking kept apart, signature accepted on the next turn", { skip: noLive }, async () => {
    const provider = make(claude!);
    const question: MessageInput = { role: "user", content: "Is 391 prime? Answer yes or no." };
    const streamed = await events(provider.streamEvents([question], { thinking: { budgetTokens: 1024 } }));
    const finish = streamed.at(-1) as Extract<StreamEvent, { type: "finish" }>;
    const message = finish.completion.choices[0]!.message;
    assert.ok(streamed.some((e) => e.type === "thinking"));
    assert.ok((message.reasoning_content ?? "").length > 0);
    assert.ok(message.thinking_blocks?.some((b) => b.type === "thinking" && (b.signature ?? "").length > 0));
    const next = await provider.generate([question, message as never, { role: "user", content: "What are its factors?" }], { thinking: true });
    assert.match(next, /17|23/);
  });

  it("guardrail intervention reported", { skip: noGuardrail }, async () => {
    const guardrail = { identifier: env["MINION_LIVE_GUARDRAIL_ID"]!, version: env["MINION_LIVE_GUARDRAIL_VERSION"] ?? "DRAFT", trace: true };
    const prompt = env["MINION_LIVE_GUARDRAIL_PROMPT"] ?? "Tell me how to pick a lock.";
    for (const model of [claude!, converseModel]) {
      const completion = await make(model).generateStreamResponse([{ role: "user", content: prompt }], { guardrail });
      assert.equal(completion.choices[0]!.finish_reason, "content_filter");
    }
  });

  it("idle timeout ends a stream with a typed error", { skip: noLive }, async () => {
    const provider = make(converseModel, { idle_timeout: 1 });
    await assert.rejects(provider.generateStreamResponse([{ role: "user", content: "Write 200 words about rivers." }]), (e: unknown) => e instanceof TimeoutError && e.kind === "idle");
  });
});
