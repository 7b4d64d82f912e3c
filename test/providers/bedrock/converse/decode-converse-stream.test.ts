import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { ConverseStreamOutput } from "@aws-sdk/client-bedrock-runtime";
import { decodeConverseStream } from "../../../../src/providers/bedrock/converse/decode-converse-stream.js";
import type { ModelStreamPart } from "../../../../src/providers/bedrock/output/model-stream-part.js";
import { StreamAccumulator } from "../../../../src/providers/bedrock/output/stream-accumulator.js";

async function* events(list: ConverseStreamOutput[]): AsyncGenerator<ConverseStreamOutput[]> {
  yield list;
}

async function decode(list: ConverseStreamOutput[]): Promise<ModelStreamPart[]> {
  const parts: ModelStreamPart[] = [];
  for await (const batch of decodeConverseStream(events(list))) parts.push(...batch);
  return parts;
}

describe("ConverseStream decoding", () => {
  it("holds messageStop until metadata, so a consumer stopping at finish still has the usage (cache tokens included)", async () => {
    const parts = await decode([
      { messageStart: { role: "assistant" } },
      { contentBlockDelta: { contentBlockIndex: 0, delta: { text: "Hi" } } },
      { contentBlockStop: { contentBlockIndex: 0 } },
      { messageStop: { stopReason: "end_turn" } },
      { metadata: { usage: { inputTokens: 3, outputTokens: 2, totalTokens: 15, cacheReadInputTokens: 10, cacheWriteInputTokens: 0 }, metrics: { latencyMs: 1 } } },
    ] as ConverseStreamOutput[]);
    const finishAt = parts.findIndex((p) => p.type === "finish");
    const usageAt = parts.findIndex((p) => p.type === "usage");
    assert.ok(usageAt >= 0 && usageAt < finishAt);
    const accumulator = new StreamAccumulator("m", []);
    for (const part of parts) {
      accumulator.push(part);
      if (accumulator.done) break;
    }
    assert.deepEqual(accumulator.completion().usage, { prompt_tokens: 13, completion_tokens: 2, total_tokens: 15, cache_read_input_tokens: 10, cache_write_input_tokens: 0, prompt_tokens_details: { cached_tokens: 10 } });
  });

  it("assembles parallel tool calls from string input fragments, a call with no input as {}, and emits finish at the end without metadata", async () => {
    const parts = await decode([
      { contentBlockStart: { contentBlockIndex: 0, start: { toolUse: { toolUseId: "a", name: "f" } } } },
      { contentBlockStart: { contentBlockIndex: 1, start: { toolUse: { toolUseId: "b", name: "g" } } } },
      { contentBlockDelta: { contentBlockIndex: 0, delta: { toolUse: { input: '{"x":' } } } },
      { contentBlockDelta: { contentBlockIndex: 0, delta: { toolUse: { input: "1}" } } } },
      { contentBlockStop: { contentBlockIndex: 0 } },
      { contentBlockStop: { contentBlockIndex: 1 } },
      { messageStop: { stopReason: "tool_use" } },
    ] as ConverseStreamOutput[]);
    assert.equal(parts.at(-1)!.type, "finish");
    const accumulator = new StreamAccumulator("m", []);
    parts.forEach((part) => accumulator.push(part));
    const completion = accumulator.completion();
    assert.deepEqual(completion.choices[0]!.message.tool_calls, [
      { id: "a", type: "function", function: { name: "f", arguments: '{"x":1}' } },
      { id: "b", type: "function", function: { name: "g", arguments: "{}" } },
    ]);
    assert.equal(completion.choices[0]!.finish_reason, "tool_calls");
  });

  it("keeps reasoning text, signature and redacted content", async () => {
    const parts = await decode([
      { contentBlockDelta: { contentBlockIndex: 0, delta: { reasoningContent: { text: "think" } } } },
      { contentBlockDelta: { contentBlockIndex: 0, delta: { reasoningContent: { signature: "sig" } } } },
      { contentBlockDelta: { contentBlockIndex: 1, delta: { reasoningContent: { redactedContent: new Uint8Array([1, 2, 3]) } } } },
      { messageStop: { stopReason: "end_turn" } },
    ] as ConverseStreamOutput[]);
    const accumulator = new StreamAccumulator("m", []);
    parts.forEach((part) => accumulator.push(part));
    assert.deepEqual(accumulator.completion().choices[0]!.message.thinking_blocks, [
      { type: "thinking", thinking: "think", signature: "sig" },
      { type: "redacted_thinking", data: "AQID" },
    ]);
  });
});
