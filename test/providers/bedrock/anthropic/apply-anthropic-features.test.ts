import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Emulator } from "../../../../src/emulator/index.js";
import { GUARDRAIL_TRIGGER } from "../../../../src/emulator/model/index.js";
import type { BedrockAsyncProvider } from "../../../../src/providers/bedrock/index.js";
import type { StreamEvent } from "../../../../src/providers/llm-provider.js";
import { InvalidRequestError } from "../../../../src/schema/errors.js";
import type { MessageInput } from "../../../../src/schema/message.js";
import { bodyOf, collect, emulatorWith, providerFor } from "../emulator-fixture.js";

const CLAUDE = "us.anthropic.claude-3-7-sonnet-20250219-v1:0";
const PNG = Buffer.from("89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082", "hex");
const PDF = Buffer.from("%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n");
const DOCX = Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.alloc(60, 1)]);

describe("InvokeModel (Claude) features through the provider", () => {
  let emulator: Emulator;
  let provider: BedrockAsyncProvider;
  let dir: string;

  before(async () => {
    emulator = await emulatorWith({ script: { rules: [{ match: { text: "count to five" }, respond: { text: "one two three STOP four five" } }] } });
    provider = providerFor(emulator, { model: CLAUDE, temperature: 0.7, top_k: 50 });
    dir = await mkdtemp(join(tmpdir(), "minion-anthropic-"));
    await writeFile(join(dir, "pixel.png"), PNG);
    await writeFile(join(dir, "paper.pdf"), PDF);
    await writeFile(join(dir, "notes.docx"), DOCX);
  });
  after(async () => {
    await provider.close();
    await emulator.close();
    await rm(dir, { recursive: true, force: true });
  });

  it("uses InvokeModel for Claude", async () => {
    await provider.generate([{ role: "user", content: "hi" }]);
    assert.equal(provider.api, "invoke");
    assert.equal(emulator.requests.at(-1)!.operation, "InvokeModel");
  });

  it("thinking: sends thinking with max_tokens above the budget and no sampling knobs; keeps reasoning apart", async () => {
    const question: MessageInput = { role: "user", content: "Why is the sky blue?" };
    const events: StreamEvent[] = await collect(provider.streamEvents([question], { thinking: { budgetTokens: 1500 }, maxTokens: 1000 }));
    const body = bodyOf(emulator);
    assert.deepEqual(body["thinking"], { type: "enabled", budget_tokens: 1500 });
    assert.equal(body["max_tokens"], 2500);
    assert.equal(body["temperature"], undefined);
    assert.equal(body["top_k"], undefined);
    const thinking = events.filter((e) => e.type === "thinking").map((e) => (e as { text: string }).text).join("");
    const text = events.filter((e) => e.type === "text").map((e) => (e as { text: string }).text).join("");
    assert.ok(thinking.length > 0 && text.length > 0);
    const finish = events.at(-1) as Extract<StreamEvent, { type: "finish" }>;
    const message = finish.completion.choices[0]!.message;
    assert.equal(message.reasoning_content, thinking);
    assert.equal(message.content, text);
    // generateStream users get the answer only.
    const chunks = await collect(provider.generateStream([question], { thinking: true }));
    assert.equal(chunks.join(""), text);
    assert.equal(bodyOf(emulator)["max_tokens"], 4096 + 4096);
    // The signature round-trips: the completion's message goes back as is and the emulator verifies it.
    await provider.generate([question, message as never, { role: "user", content: "And at sunset?" }], { thinking: true });
    const replayed = bodyOf(emulator)["messages"][1]["content"][0];
    assert.equal(replayed.type, "thinking");
    assert.equal(replayed.signature, (message.thinking_blocks![0] as { signature: string }).signature);
  });

  it("thinking: a thinking + tool-use turn passed back is accepted on the next call", async () => {
    const tools = [{ type: "function" as const, function: { name: "lookup" } }];
    const ask: MessageInput = { role: "user", content: "call lookup now" };
    const first = await provider.generateStreamResponse([ask], { thinking: true, tools });
    const message = first.choices[0]!.message;
    assert.equal(first.choices[0]!.finish_reason, "tool_calls");
    const call = message.tool_calls![0]!;
    const text = await provider.generate([ask, message as never, { role: "tool", tool_call_id: call.id, content: "done" }], { thinking: true, tools });
    assert.ok(text.length > 0);
    const assistant = bodyOf(emulator)["messages"][1]["content"];
    assert.equal(assistant[0].type, "thinking");
    assert.equal(assistant.at(-1).type, "tool_use");
  });

  it("thinking: rejects a budget below 1024 and forced tool use before sending", async () => {
    const before = emulator.requests.length;
    await assert.rejects(provider.generate([{ role: "user", content: "x" }], { thinking: { budgetTokens: 100 } }), /at least 1024/);
    await assert.rejects(
      provider.generate([{ role: "user", content: "x" }], { thinking: true, tools: [{ type: "function", function: { name: "f" } }], toolChoice: "any" }),
      InvalidRequestError,
    );
    assert.equal(emulator.requests.length, before);
  });

  it("caching: cache_control on system, tools, last message and marked parts; usage and cost count cache reads and writes", async () => {
    const messages: MessageInput[] = [
      { role: "system", content: "You are a meticulous assistant. ".repeat(50) },
      { role: "user", content: [{ type: "text", text: "Reference text. ".repeat(30), cacheControl: { type: "ephemeral" } }, { type: "text", text: "What does it say?" }] },
    ];
    const options = { cache: { system: true, tools: true }, tools: [{ type: "function" as const, function: { name: "lookup" } }] };
    provider.reset();
    const first = await provider.generateStreamResponse(messages, options);
    const body = bodyOf(emulator);
    assert.deepEqual(body["system"].at(-1).cache_control, { type: "ephemeral" });
    assert.deepEqual(body["tools"].at(-1).cache_control, { type: "ephemeral" });
    assert.deepEqual(body["messages"][0].content[0].cache_control, { type: "ephemeral" });
    assert.equal(body["messages"][0].content[1].cache_control, undefined);
    const second = await provider.generateStreamResponse(messages, options);
    assert.ok(first.usage.cache_write_input_tokens! > 0 && first.usage.cache_read_input_tokens === 0);
    assert.ok(second.usage.cache_read_input_tokens! > 0 && second.usage.cache_write_input_tokens === 0);
    assert.equal(second.usage.prompt_tokens, first.usage.prompt_tokens);
    assert.equal(second.usage.prompt_tokens_details!.cached_tokens, second.usage.cache_read_input_tokens);
    const cost = provider.getCost();
    assert.equal(cost.totalCacheWriteTokens, first.usage.cache_write_input_tokens);
    assert.equal(cost.totalCacheReadTokens, second.usage.cache_read_input_tokens);
    assert.equal(cost.totalPromptTokens, first.usage.prompt_tokens + second.usage.prompt_tokens);
  });

  it("caching: a cacheControl mark on a system part marks the end of that system message", async () => {
    await provider.generate([{ role: "system", content: [{ type: "text", text: "Rules.", cacheControl: { type: "ephemeral" } }] }, { role: "user", content: "hi" }]);
    assert.deepEqual(bodyOf(emulator)["system"], [{ type: "text", text: "Rules.", cache_control: { type: "ephemeral" } }]);
  });

  it("images and PDFs from file paths become image / document blocks; Office documents need Converse", async () => {
    await provider.generate([
      { role: "user", content: [{ type: "image", path: join(dir, "pixel.png") }, { type: "document", path: join(dir, "paper.pdf") }, { type: "text", text: "Describe" }] },
    ]);
    const content = bodyOf(emulator)["messages"][0]["content"];
    assert.deepEqual(content[0], { type: "image", source: { type: "base64", media_type: "image/png", data: PNG.toString("base64") } });
    assert.deepEqual(content[1], { type: "document", source: { type: "base64", media_type: "application/pdf", data: PDF.toString("base64") }, title: "paper" });
    await assert.rejects(provider.generate([{ role: "user", content: [{ type: "document", path: join(dir, "notes.docx") }] }]), /need the Converse API/);
    await assert.rejects(provider.generate([{ role: "user", content: [{ type: "image", path: join(dir, "missing.png") }] }]), /does not exist/);
  });

  it("guardrail: sends the guardrail headers and reports an intervention as content_filter", async () => {
    const guardrail = { identifier: "grabc", version: "2", trace: true };
    const completion = await provider.generateStreamResponse([{ role: "user", content: `about ${GUARDRAIL_TRIGGER}` }], { guardrail });
    const headers = emulator.requests.at(-1)!.headers;
    assert.equal(headers["x-amzn-bedrock-guardrailidentifier"], "grabc");
    assert.equal(headers["x-amzn-bedrock-guardrailversion"], "2");
    assert.equal(headers["x-amzn-bedrock-trace"], "ENABLED");
    assert.equal(completion.choices[0]!.finish_reason, "content_filter");
    assert.equal(completion.stop_reason, "guardrail_intervened");
  });

  it("reports the stop sequence that ended the answer", async () => {
    for (const completion of [
      await provider.generateStreamResponse([{ role: "user", content: "count to five" }], { stop: ["STOP"] }),
    ]) {
      assert.equal(completion.stop_sequence, "STOP");
      assert.equal(completion.stop_reason, "stop_sequence");
      assert.equal(completion.choices[0]!.message.content, "one two three ");
    }
  });
});
