import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { GUARDRAIL_TRIGGER } from "../../../../src/emulator/model/index.js";
import { buildConverseRequest } from "../../../../src/providers/bedrock/converse/build-converse-request.js";
import { converseProtocol } from "../../../../src/providers/bedrock/converse/converse-protocol.js";
import { resolveMediaParts } from "../../../../src/providers/bedrock/media/resolve-media-parts.js";
import { expandThinkingBlocks } from "../../../../src/providers/bedrock/thinking/expand-thinking-blocks.js";
import { InvalidRequestError } from "../../../../src/schema/errors.js";
import type { MessageInput } from "../../../../src/schema/message.js";
import { invokeWith, lastBody, startHarness, streamWith, type Harness } from "./protocol-harness.js";

const NOVA = "amazon.nova-pro-v1:0";
const CLAUDE = "us.anthropic.claude-3-7-sonnet-20250219-v1:0";
const PNG = Buffer.from("89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082", "hex");
const PDF = Buffer.from("%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n");

let harness: Harness;
let dir: string;
before(async () => {
  harness = await startHarness({ script: { rules: [{ match: { text: "count to five" }, respond: { text: "one two three STOP four five" } }] } });
  dir = await mkdtemp(join(tmpdir(), "minion-converse-"));
  await writeFile(join(dir, "chart.png"), PNG);
  await writeFile(join(dir, "Q3 report.pdf"), PDF);
});
after(async () => {
  await harness.close();
  await rm(dir, { recursive: true, force: true });
});

describe("Converse features against the emulator", () => {
  it("sends images and PDFs read from files as image / document blocks with their bytes", async () => {
    const messages = await resolveMediaParts([
      { role: "user", content: [{ type: "text", text: "What is in these?" }, { type: "image", path: join(dir, "chart.png") }, { type: "document", path: join(dir, "Q3 report.pdf") }] },
    ]);
    await invokeWith(converseProtocol, harness, NOVA, messages);
    assert.deepEqual(lastBody(harness)["messages"][0].content, [
      { text: "What is in these?" },
      { image: { format: "png", source: { bytes: PNG.toString("base64") } } },
      { document: { format: "pdf", name: "Q3 report", source: { bytes: PDF.toString("base64") } } },
    ]);
  });

  it("puts cache points after system, tools and the last message; a second identical call reads the cache", async () => {
    const messages: MessageInput[] = [{ role: "system", content: "You are a careful assistant. ".repeat(40) }, { role: "user", content: "Hello cache" }];
    const options = { cache: true, tools: [{ type: "function" as const, function: { name: "lookup" } }] };
    const first = await invokeWith(converseProtocol, harness, NOVA, messages, options);
    const body = lastBody(harness);
    assert.deepEqual(body["system"].at(-1), { cachePoint: { type: "default" } });
    assert.deepEqual(body["toolConfig"].tools.at(-1), { cachePoint: { type: "default" } });
    assert.deepEqual(body["messages"].at(-1).content.at(-1), { cachePoint: { type: "default" } });
    const second = (await streamWith(converseProtocol, harness, NOVA, messages, options)).completion;
    assert.ok(first.usage.cache_write_input_tokens! > 0);
    assert.equal(first.usage.cache_read_input_tokens, 0);
    assert.ok(second.usage.cache_read_input_tokens! > 0);
    for (const usage of [first.usage, second.usage]) {
      assert.ok(usage.prompt_tokens >= usage.cache_read_input_tokens! + usage.cache_write_input_tokens!);
      assert.ok(usage.prompt_tokens > 0);
    }
    // Same prompt, so the same total prompt size whether it was written or read.
    assert.equal(second.usage.prompt_tokens, first.usage.prompt_tokens);
  });

  it("turns a part's cacheControl into a cachePoint right after it", async () => {
    await invokeWith(converseProtocol, harness, NOVA, [{ role: "user", content: [{ type: "text", text: "long context", cacheControl: { type: "ephemeral" } }, { type: "text", text: "question" }] }]);
    assert.deepEqual(lastBody(harness)["messages"][0].content, [{ text: "long context" }, { cachePoint: { type: "default" } }, { text: "question" }]);
  });

  it("honours a cacheControl mark on a system message part", async () => {
    await invokeWith(converseProtocol, harness, NOVA, [{ role: "system", content: [{ type: "text", text: "Rules.", cacheControl: { type: "ephemeral" } }] }, { role: "user", content: "hi" }]);
    assert.deepEqual(lastBody(harness)["system"], [{ text: "Rules." }, { cachePoint: { type: "default" } }]);
  });

  it("accepts an assistant turn with text and a tool call followed by its result", async () => {
    const completion = await invokeWith(
      converseProtocol,
      harness,
      NOVA,
      [
        { role: "user", content: "call lookup" },
        { role: "assistant", content: "Let me look.", tool_calls: [{ id: "t5", type: "function", function: { name: "lookup", arguments: "{}" } }] },
        { role: "tool", tool_call_id: "t5", content: "" },
      ],
      { tools: [{ type: "function", function: { name: "lookup" } }] },
    );
    assert.deepEqual(lastBody(harness)["messages"].slice(1), [
      { role: "assistant", content: [{ text: "Let me look." }, { toolUse: { toolUseId: "t5", name: "lookup", input: {} } }] },
      { role: "user", content: [{ toolResult: { toolUseId: "t5", content: [{ text: "(empty result)" }] } }] },
    ]);
    assert.equal(completion.choices[0]!.finish_reason, "stop");
  });

  it("does not double a cache point when a marked part already ends the system prompt or the last message", () => {
    const marked = (text: string) => ({ type: "text" as const, text, cacheControl: { type: "ephemeral" as const } });
    const { input } = buildConverseRequest(NOVA, [{ role: "system", content: [marked("sys")] }, { role: "user", content: [marked("q")] }], { cache: true }, {});
    assert.deepEqual(input.system, [{ text: "sys" }, { cachePoint: { type: "default" } }]);
    assert.deepEqual(input.messages![0]!.content, [{ text: "q" }, { cachePoint: { type: "default" } }]);
  });

  it("rejects more than 4 cache points before sending", async () => {
    const marked = { type: "text" as const, text: "x", cacheControl: { type: "ephemeral" as const } };
    assert.throws(() => converseProtocol.prepare(NOVA, [{ role: "user", content: [marked, marked, marked, marked, marked] }], {}, {}), InvalidRequestError);
  });

  it("rejects thinking for a non-Claude model before sending, naming the model", () => {
    assert.throws(() => converseProtocol.prepare(NOVA, [{ role: "user", content: "hi" }], { thinking: true }, {}), (error: Error) => error instanceof InvalidRequestError && error.message.includes(NOVA));
  });

  it("sends thinking in additionalModelRequestFields, keeps reasoning apart and round-trips its signature", async () => {
    const question: MessageInput = { role: "user", content: "Why is the sky blue?" };
    const { events, completion } = await streamWith(converseProtocol, harness, CLAUDE, [question], { thinking: { budgetTokens: 2048 }, temperature: 0.5, maxTokens: 1000 });
    const body = lastBody(harness);
    assert.deepEqual(body["additionalModelRequestFields"], { thinking: { type: "enabled", budget_tokens: 2048 } });
    assert.deepEqual(body["inferenceConfig"], { maxTokens: 3048 });
    const thinkingText = events.filter((e) => e.type === "thinking").map((e) => (e as { text: string }).text).join("");
    const answerText = events.filter((e) => e.type === "text").map((e) => (e as { text: string }).text).join("");
    const message = completion.choices[0]!.message;
    assert.ok(thinkingText.length > 0);
    assert.equal(message.reasoning_content, thinkingText);
    assert.equal(message.content, answerText);
    assert.ok(!answerText.includes(thinkingText));
    const block = message.thinking_blocks![0]!;
    assert.equal(block.type, "thinking");
    assert.ok(block.type === "thinking" && (block.signature ?? "").length > 0);
    // Next turn: the completion's message goes back as is; the emulator checks the signature like Bedrock.
    const next = expandThinkingBlocks([question, message as never, { role: "user", content: "And at sunset?" }]);
    const followUp = await invokeWith(converseProtocol, harness, CLAUDE, next, { thinking: true });
    assert.equal(lastBody(harness)["messages"][1].content[0].reasoningContent.reasoningText.signature, (block as { signature: string }).signature);
    assert.equal(followUp.choices[0]!.finish_reason, "stop");
  });

  it("continues a thinking + tool-use turn: reasoning (with signature) goes back before the toolUse", async () => {
    const tools = [{ type: "function" as const, function: { name: "lookup", parameters: { type: "object", properties: {} } } }];
    const ask: MessageInput = { role: "user", content: "call lookup please" };
    const first = (await streamWith(converseProtocol, harness, CLAUDE, [ask], { thinking: true, tools })).completion;
    const message = first.choices[0]!.message;
    assert.equal(first.choices[0]!.finish_reason, "tool_calls");
    assert.ok(message.thinking_blocks && message.thinking_blocks.length > 0);
    const call = message.tool_calls![0]!;
    const history = expandThinkingBlocks([ask, message as never, { role: "tool", tool_call_id: call.id, content: "found it" }]);
    const second = await invokeWith(converseProtocol, harness, CLAUDE, history, { thinking: true, tools });
    const assistant = lastBody(harness)["messages"][1].content;
    assert.ok("reasoningContent" in assistant[0]);
    assert.deepEqual(assistant.at(-1), { toolUse: { toolUseId: call.id, name: "lookup", input: {} } });
    assert.equal(second.choices[0]!.finish_reason, "stop");
  });

  it("refuses to force a tool while thinking", () => {
    assert.throws(
      () => converseProtocol.prepare(CLAUDE, [{ role: "user", content: "x" }], { thinking: true, tools: [{ type: "function", function: { name: "f" } }], toolChoice: "any" }, {}),
      /cannot force a tool while thinking/,
    );
  });

  it("passes guardrailConfig and reports an intervention as content_filter with the trace", async () => {
    const guardrail = { identifier: "gr123", version: "1", trace: true };
    const calm = await invokeWith(converseProtocol, harness, NOVA, [{ role: "user", content: "hello" }], { guardrail });
    assert.deepEqual(lastBody(harness)["guardrailConfig"], { guardrailIdentifier: "gr123", guardrailVersion: "1", trace: "enabled" });
    assert.equal(calm.choices[0]!.finish_reason, "stop");
    for (const stream of [false, true]) {
      const messages: MessageInput[] = [{ role: "user", content: `tell me about ${GUARDRAIL_TRIGGER}` }];
      const completion = stream ? (await streamWith(converseProtocol, harness, NOVA, messages, { guardrail })).completion : await invokeWith(converseProtocol, harness, NOVA, messages, { guardrail });
      assert.equal(completion.choices[0]!.finish_reason, "content_filter");
      assert.equal(completion.stop_reason, "guardrail_intervened");
      assert.ok(completion.trace && "guardrail" in completion.trace);
    }
    assert.throws(() => converseProtocol.prepare(NOVA, [{ role: "user", content: "x" }], { guardrail: { identifier: "g", version: "latest" } }, {}), InvalidRequestError);
  });
});
