import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { anthropicEventToParts } from "../../../../src/providers/bedrock/anthropic/decode-anthropic-stream.js";
import { StreamAccumulator } from "../../../../src/providers/bedrock/output/stream-accumulator.js";
import type { StreamEvent } from "../../../../src/providers/llm-provider.js";

function feed(accumulator: StreamAccumulator, events: object[]): StreamEvent[] {
  return events.flatMap((event) => anthropicEventToParts(event as never).flatMap((part) => accumulator.push(part)));
}

describe("StreamAccumulator with Anthropic events", () => {
  it("assembles interleaved parallel tool calls and a call without arguments", () => {
    const accumulator = new StreamAccumulator("m", []);
    const events = feed(accumulator, [
      { type: "message_start", message: { id: "msg_1", usage: { input_tokens: 10, output_tokens: 1 } } },
      { type: "content_block_start", index: 0, content_block: { type: "tool_use", id: "t0", name: "a" } },
      { type: "content_block_start", index: 1, content_block: { type: "tool_use", id: "t1", name: "b" } },
      { type: "content_block_delta", index: 0, delta: { type: "input_json_delta", partial_json: '{"x":' } },
      { type: "content_block_delta", index: 1, delta: { type: "input_json_delta", partial_json: "" } },
      { type: "content_block_delta", index: 0, delta: { type: "input_json_delta", partial_json: "1}" } },
      { type: "content_block_stop", index: 1 },
      { type: "content_block_stop", index: 0 },
      { type: "message_delta", delta: { stop_reason: "tool_use", stop_sequence: null }, usage: { output_tokens: 20 } },
      { type: "message_stop", "amazon-bedrock-invocationMetrics": { inputTokenCount: 10, outputTokenCount: 20, cacheReadInputTokenCount: 5 } },
    ]);
    assert.deepEqual(
      events.filter((e) => e.type === "tool_call").map((e) => (e.type === "tool_call" ? [e.index, e.toolCall.function.arguments] : [])),
      [
        [1, "{}"],
        [0, '{"x":1}'],
      ],
    );
    const completion = accumulator.completion();
    assert.equal(completion.id, "msg_1");
    assert.equal(completion.choices[0]!.finish_reason, "tool_calls");
    assert.equal(completion.choices[0]!.message.content, null);
    assert.deepEqual(
      completion.choices[0]!.message.tool_calls!.map((call) => call.id),
      ["t0", "t1"],
    );
    assert.deepEqual(completion.usage, { prompt_tokens: 15, completion_tokens: 20, total_tokens: 35, cache_read_input_tokens: 5, cache_write_input_tokens: 0, prompt_tokens_details: { cached_tokens: 5 } });
  });

  it("maps stop reasons to valid finish reasons", () => {
    for (const [reason, expected] of [
      ["end_turn", "stop"],
      ["stop_sequence", "stop"],
      ["max_tokens", "length"],
      ["tool_use", "tool_calls"],
      ["refusal", "content_filter"],
      ["guardrail_intervened", "content_filter"],
      ["something_new", "stop"],
    ]) {
      const accumulator = new StreamAccumulator("m", []);
      feed(accumulator, [{ type: "message_delta", delta: { stop_reason: reason, stop_sequence: null }, usage: { output_tokens: 1 } }]);
      assert.equal(accumulator.completion().choices[0]!.finish_reason, expected, reason);
    }
  });

  it("estimates output tokens when a client-side stop cut the stream", () => {
    const accumulator = new StreamAccumulator("m", ["##"]);
    feed(accumulator, [
      { type: "message_start", message: { usage: { input_tokens: 7, output_tokens: 1 } } },
      { type: "content_block_delta", index: 0, delta: { type: "text_delta", text: "0123456789abcdef#" } },
      { type: "content_block_delta", index: 0, delta: { type: "text_delta", text: "# more" } },
    ]);
    assert.ok(accumulator.clientStopped);
    const completion = accumulator.completion();
    assert.equal(completion.choices[0]!.message.content, "0123456789abcdef");
    assert.equal(completion.stop_sequence, "##");
    assert.equal(completion.usage.prompt_tokens, 7);
    assert.equal(completion.usage.completion_tokens, 4);
  });

  it("estimates output tokens when the answer finished but no count came (a Converse stream cut before metadata)", () => {
    const accumulator = new StreamAccumulator("m", []);
    accumulator.push({ type: "text", blockIndex: 0, text: "0123456789abcdef" });
    accumulator.push({ type: "finish", stopReason: "end_turn", stopSequence: null });
    assert.equal(accumulator.completion().usage.completion_tokens, 4);
  });

  it("after a client-side stop, takes the usage still reported but no more text", () => {
    const accumulator = new StreamAccumulator("m", ["##"]);
    const events = feed(accumulator, [
      { type: "message_start", message: { usage: { input_tokens: 7, output_tokens: 1 } } },
      { type: "content_block_delta", index: 0, delta: { type: "text_delta", text: "abc##def" } },
      { type: "content_block_delta", index: 0, delta: { type: "text_delta", text: "ghi" } },
      { type: "message_delta", delta: { stop_reason: "end_turn", stop_sequence: null }, usage: { output_tokens: 30 } },
    ]);
    assert.deepEqual(events, [{ type: "text", text: "abc" }]);
    const completion = accumulator.completion();
    assert.equal(completion.choices[0]!.message.content, "abc");
    assert.equal(completion.stop_sequence, "##");
    assert.equal(completion.usage.completion_tokens, 30); // the service's count, not the estimate from "abc"
  });
});
