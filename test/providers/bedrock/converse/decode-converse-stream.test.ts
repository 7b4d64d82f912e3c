import assert from "node:assert/strict";
import { Readable } from "node:stream";
import { describe, it } from "node:test";
import { decodeConverseResponse } from "../../../../src/providers/bedrock/converse/decode-converse-response.js";
import { ConverseStreamDecoder, type ConverseStreamEvent } from "../../../../src/providers/bedrock/converse/decode-converse-stream.js";
import { readEventStream } from "../../../../src/providers/bedrock/transport/read-event-stream.js";
import { NetworkError } from "../../../../src/schema/errors.js";
import { accumulate, eventFrame, fixture, inPieces, rawEventFrame, readUntilError } from "../replay-event-stream.js";
import type { ModelStreamPart } from "../../../../src/providers/bedrock/output/model-stream-part.js";
import { StreamAccumulator } from "../../../../src/providers/bedrock/output/stream-accumulator.js";

async function decode(list: ConverseStreamEvent[]): Promise<ModelStreamPart[]> {
  const decoder = new ConverseStreamDecoder();
  return [...list.flatMap((event) => decoder.push(event)), ...decoder.end()];
}

describe("ConverseStream decoding", () => {
  it("holds messageStop until metadata, so a consumer stopping at finish still has the usage (cache tokens included)", async () => {
    const parts = await decode([
      { messageStart: { role: "assistant" } },
      { contentBlockDelta: { contentBlockIndex: 0, delta: { text: "Hi" } } },
      { contentBlockStop: { contentBlockIndex: 0 } },
      { messageStop: { stopReason: "end_turn" } },
      { metadata: { usage: { inputTokens: 3, outputTokens: 2, totalTokens: 15, cacheReadInputTokens: 10, cacheWriteInputTokens: 0 }, metrics: { latencyMs: 1 } } },
    ]);
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
    ]);
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
    ]);
    const accumulator = new StreamAccumulator("m", []);
    parts.forEach((part) => accumulator.push(part));
    assert.deepEqual(accumulator.completion().choices[0]!.message.thinking_blocks, [
      { type: "thinking", thinking: "think", signature: "sig" },
      { type: "redacted_thinking", data: "AQID" },
    ]);
  });
});

describe("ConverseStream decoding of recorded event streams (no server)", () => {
  const replay = async (bytes: Uint8Array) => {
    const decoder = new ConverseStreamDecoder();
    return accumulate(await readEventStream(inPieces(bytes), (messages, into) => decoder.decode(messages, into), { end: () => decoder.end() }));
  };

  it("replays the emulator's text answer, frames cut every 37 bytes", async () => {
    const { completion, done } = await replay(fixture("emulator-converse-text"));
    assert.equal(done, true);
    assert.equal(completion.choices[0]!.message.content, "Hello! I am the minion-ts emulator's built-in model. You said: Say hello");
    assert.deepEqual([completion.usage.prompt_tokens, completion.usage.completion_tokens], [3, 18]);
  });

  it("replays the emulator's reasoning + tool use answer", async () => {
    const { completion } = await replay(fixture("emulator-converse-tool"));
    const message = completion.choices[0]!.message;
    assert.equal(message.reasoning_content, "The user wants the weather.");
    assert.deepEqual(message.tool_calls, [{ id: "toolu_fixture_1", type: "function", function: { name: "get_weather", arguments: '{"city":"Paris"}' } }]);
    assert.equal(completion.choices[0]!.finish_reason, "tool_calls");
  });

  it("replays the wire reference's frames (padding key, toolUse input as string fragments)", async () => {
    const { completion } = await replay(fixture("reference-converse"));
    assert.equal(completion.choices[0]!.message.content, "Hello");
    assert.equal(completion.choices[0]!.message.tool_calls?.[0]?.function.arguments, '{"city":"Paris"}');
    assert.deepEqual([completion.usage.prompt_tokens, completion.usage.completion_tokens], [1, 2]);
  });

  const cases: [string, string, unknown, string, string][] = [
    ["a text delta whose text is a number", "contentBlockDelta", { contentBlockIndex: 0, delta: { text: 3 } }, "delta.text", "a number, expected a string"],
    ["a delta without contentBlockIndex", "contentBlockDelta", { delta: { text: "x" } }, "contentBlockIndex", "missing"],
    ["a delta without delta", "contentBlockDelta", { contentBlockIndex: 0 }, "delta", "missing, expected an object"],
    ["a toolUse delta whose input is an object", "contentBlockDelta", { contentBlockIndex: 0, delta: { toolUse: { input: { city: "Paris" } } } }, "delta.toolUse.input", "an object, expected a string"],
    ["a toolUse start without toolUseId", "contentBlockStart", { contentBlockIndex: 1, start: { toolUse: { name: "f" } } }, "start.toolUse.toolUseId", "missing"],
    ["a messageStop without stopReason", "messageStop", {}, "stopReason", "missing, expected a string"],
    ["metadata with a token count as text", "metadata", { usage: { inputTokens: "3" } }, "usage.inputTokens", "a string, expected a number"],
    ["a citation that is not an object", "contentBlockDelta", { contentBlockIndex: 0, delta: { citation: ["p. 3"] } }, "delta.citation", "an array, expected an object"],
    ["a citation whose location is text", "contentBlockDelta", { contentBlockIndex: 0, delta: { citation: { location: "p. 3" } } }, "delta.citation.location", "a string, expected an object"],
    [
      "a char citation whose start is text",
      "contentBlockDelta",
      { contentBlockIndex: 0, delta: { citation: { location: { documentChar: { documentIndex: 0, start: "1", end: 4 } } } } },
      "delta.citation.location.documentChar.start",
      "a string, expected a whole number",
    ],
    [
      "a page citation without its document",
      "contentBlockDelta",
      { contentBlockIndex: 0, delta: { citation: { location: { documentPage: { start: 1, end: 2 } } } } },
      "delta.citation.location.documentPage.documentIndex",
      "missing, expected a whole number",
    ],
    [
      "a citation whose source content is text",
      "contentBlockDelta",
      { contentBlockIndex: 0, delta: { citation: { sourceContent: "sky", location: { documentChunk: { documentIndex: 0, start: 0, end: 1 } } } } },
      "delta.citation.sourceContent",
      "a string, expected an array",
    ],
    [
      "a citation whose title is a number",
      "contentBlockDelta",
      { contentBlockIndex: 0, delta: { citation: { title: 7, location: { documentChar: { documentIndex: 0, start: 0, end: 1 } } } } },
      "delta.citation.title",
      "a number, expected a string",
    ],
  ];
  for (const [what, type, body, field, expected] of cases) {
    it(`names the field of a malformed event: ${what}`, async () => {
      await assert.rejects(replay(Buffer.concat([eventFrame("messageStart", { role: "assistant" }), eventFrame(type, body)])), (error: unknown) => {
        assert.ok(error instanceof NetworkError);
        assert.equal(error.networkCode, "corrupt_response");
        assert.ok(error.message.includes(`field "${field}" of a ${type} event is ${expected}`), error.message);
        return true;
      });
    });
  }
});

describe("ConverseStream decoding of unreadable payloads and bad events mid-read", () => {
  const replayAll = async (bytes: Uint8Array) => {
    const decoder = new ConverseStreamDecoder();
    return readUntilError(await readEventStream(Readable.from([Buffer.from(bytes)]), (messages, into) => decoder.decode(messages, into), { end: () => decoder.end() }));
  };

  it("names the payload of an event that is not JSON", async () => {
    const { error } = await replayAll(Buffer.concat([eventFrame("messageStart", { role: "assistant" }), rawEventFrame("contentBlockDelta", '{"contentBlockIndex": 0,')]));
    assert.ok(error instanceof NetworkError && error.networkCode === "corrupt_response", String(error));
    assert.ok(error.message.includes('field "(body)" of a contentBlockDelta event is not JSON'), error.message);
  });

  it("hands over the parts of the good events read with a bad one before the error", async () => {
    const { items, error } = await replayAll(Buffer.concat([
      eventFrame("messageStart", { role: "assistant" }),
      eventFrame("contentBlockDelta", { contentBlockIndex: 0, delta: { text: "Hello" } }),
      eventFrame("contentBlockDelta", { contentBlockIndex: 0, delta: { text: ["bad"] } }),
      eventFrame("contentBlockDelta", { contentBlockIndex: 0, delta: { text: "never" } }),
    ]));
    assert.deepEqual(items.filter((part) => part.type === "text"), [{ type: "text", blockIndex: 0, text: "Hello" }]);
    assert.ok(error instanceof NetworkError && error.message.includes('field "delta.text" of a contentBlockDelta event is an array, expected a string'), String(error));
  });

  it("a payload that is not JSON after good events: they still come first", async () => {
    const { items, error } = await replayAll(Buffer.concat([eventFrame("contentBlockDelta", { contentBlockIndex: 0, delta: { text: "Hi" } }), rawEventFrame("metadata", "usage")]));
    assert.deepEqual(items, [{ type: "text", blockIndex: 0, text: "Hi" }]);
    assert.ok(error instanceof NetworkError && error.message.includes('field "(body)" of a metadata event is not JSON'), String(error));
  });
});

describe("Converse citations", () => {
  it("reads a citation delta (title, source content, location) and skips kinds it does not read", async () => {
    const parts = await decode([
      { contentBlockDelta: { contentBlockIndex: 0, delta: { text: "Blue." } } },
      { contentBlockDelta: { contentBlockIndex: 0, delta: { citation: { title: "Doc", sourceContent: [{ text: "the " }, { text: "sky" }], location: { documentChar: { documentIndex: 0, start: 4, end: 11 } } } } } },
      { contentBlockDelta: { contentBlockIndex: 0, delta: { citation: { location: { web: { url: "https://example.com" } } } } } },
      { contentBlockDelta: { contentBlockIndex: 0, delta: { citation: { title: "no location" } } } },
    ]);
    assert.deepEqual(parts.filter((part) => part.type === "citation"), [
      { type: "citation", blockIndex: 0, citation: { documentIndex: 0, documentTitle: "Doc", citedText: "the sky", location: { type: "char", start: 4, end: 11 } } },
    ]);
  });
});

describe("the Converse response decoder", () => {
  it("names the malformed field of a body", () => {
    assert.throws(() => decodeConverseResponse({ output: { message: { content: [{ toolUse: { toolUseId: "t", name: 5 } }] } }, stopReason: "tool_use" }), (error: unknown) => {
      assert.ok(error instanceof NetworkError && error.message.includes('field "output.message.content[0].toolUse.name" of the Converse response is a number, expected a string'), String(error));
      return true;
    });
    assert.throws(() => decodeConverseResponse({ stopReason: "end_turn" }), /field "output" of the Converse response is missing, expected an object/);
    const cited = { citationsContent: { content: [{ text: "Blue." }], citations: [{ location: { documentPage: { documentIndex: 0, start: 1, end: -2 } } }] } };
    assert.throws(() => decodeConverseResponse({ output: { message: { content: [cited] } }, stopReason: "end_turn" }), (error: unknown) => {
      assert.ok(error instanceof NetworkError && error.message.includes('field "output.message.content[0].citationsContent.citations[0].location.documentPage.end" of the Converse response is a number, expected a whole number'), String(error));
      return true;
    });
  });

  it("reads text, tool use, usage and the stop sequence", () => {
    const parts = decodeConverseResponse({
      output: { message: { role: "assistant", content: [{ text: "Hi" }, { toolUse: { toolUseId: "t1", name: "f", input: { a: 1 } } }] } },
      stopReason: "stop_sequence",
      additionalModelResponseFields: { stop_sequence: "END" },
      usage: { inputTokens: 1, outputTokens: 2, totalTokens: 3 },
    });
    assert.deepEqual(parts.at(-1), { type: "finish", stopReason: "stop_sequence", stopSequence: "END" });
    assert.ok(parts.some((p) => p.type === "tool_call_delta" && p.argumentsDelta === '{"a":1}'));
  });
});
