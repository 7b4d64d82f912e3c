/** The InvokeModelWithResponseStream decoder on recorded bytes (emulator captures and the wire reference's frames), no server. */
import assert from "node:assert/strict";
import { Readable } from "node:stream";
import { describe, it } from "node:test";
import { anthropicResponseToParts } from "../../../../src/providers/bedrock/anthropic/decode-anthropic-response.js";
import { anthropicStreamParts } from "../../../../src/providers/bedrock/anthropic/decode-anthropic-stream.js";
import { readEventStream } from "../../../../src/providers/bedrock/transport/read-event-stream.js";
import { BedrockServiceError, NetworkError } from "../../../../src/schema/errors.js";
import { accumulate, anthropicChunk, eventFrame, fixture, inPieces, rawEventFrame, readUntilError } from "../replay-event-stream.js";

const decode = async (bytes: Uint8Array) => accumulate(await readEventStream(inPieces(bytes), anthropicStreamParts));

/** Asserts a corrupt_response NetworkError whose message names `field` and what it should be. */
function namesField(field: string, expected: string): (error: unknown) => boolean {
  return (error) => {
    assert.ok(error instanceof NetworkError, `a NetworkError, got ${String(error)}`);
    assert.equal(error.networkCode, "corrupt_response");
    assert.ok(error.message.includes(`field "${field}"`), error.message);
    assert.ok(error.message.includes(expected), error.message);
    assert.doesNotMatch(error.message, /TypeError|Cannot read/);
    return true;
  };
}

describe("decode-anthropic-stream on recorded event streams", () => {
  it("replays the emulator's text answer, frames cut every 37 bytes", async () => {
    const { completion, done } = await decode(fixture("emulator-anthropic-text"));
    assert.equal(done, true);
    assert.equal(completion.choices[0]!.message.content, "Hello! I am the minion-ts emulator's built-in model. You said: Say hello");
    assert.equal(completion.choices[0]!.finish_reason, "stop");
    assert.deepEqual([completion.usage.prompt_tokens, completion.usage.completion_tokens], [3, 18]);
  });

  it("replays the emulator's thinking + text + tool use answer", async () => {
    const { completion } = await decode(fixture("emulator-anthropic-thinking-tool"));
    const message = completion.choices[0]!.message;
    assert.equal(message.content, "Let me look.");
    assert.equal(message.reasoning_content, "The user wants the weather.");
    assert.equal(message.thinking_blocks?.[0]?.type, "thinking");
    assert.ok((message.thinking_blocks?.[0] as { signature?: string }).signature, "the signature is kept for the next turn");
    assert.deepEqual(message.tool_calls, [{ id: "toolu_fixture_1", type: "function", function: { name: "get_weather", arguments: '{"city":"Paris"}' } }]);
    assert.equal(completion.choices[0]!.finish_reason, "tool_calls");
  });

  it("replays the wire reference's frames (padding, real header order, invocation metrics with cache reads)", async () => {
    const { completion } = await decode(fixture("reference-anthropic"));
    const message = completion.choices[0]!.message;
    assert.equal(message.content, "Checking the weather.");
    assert.equal(message.reasoning_content, "Paris weather needs the tool.");
    assert.equal(message.tool_calls?.[0]?.function.arguments, '{"city":"Paris"}');
    // Bedrock's metrics on message_stop are the final word: 14 uncached + 16 cache reads, 36 out.
    assert.deepEqual([completion.usage.prompt_tokens, completion.usage.completion_tokens, completion.usage.cache_read_input_tokens], [30, 36, 16]);
  });

  it("replays the wire reference's mid-stream failures (§3.3): the events before them, then the typed error", async () => {
    for (const [name, awsName, message] of [
      ["reference-anthropic-exception-midstream", "ModelStreamErrorException", "The model stream failed."],
      ["reference-anthropic-error-midstream", "InternalFailure", "An internal error occurred."],
    ] as const) {
      const { items, error } = await readUntilError(await readEventStream(inPieces(fixture(name)), anthropicStreamParts));
      assert.deepEqual(items.filter((part) => part.type === "text").map((part) => (part as { text: string }).text), ["Partial "], name);
      assert.ok(error instanceof BedrockServiceError, `${name}: ${String(error)}`);
      assert.equal(error.awsName, awsName);
      assert.match(error.message, new RegExp(message.replace(/\./g, "\\.")));
    }
  });

  it("skips events and deltas it does not know (ping, future delta types)", async () => {
    const bytes = Buffer.concat([
      anthropicChunk({ type: "message_start", message: { id: "m" } }),
      anthropicChunk({ type: "ping" }),
      anthropicChunk({ type: "content_block_delta", index: 0, delta: { type: "some_future_delta", x: 1 } }),
      anthropicChunk({ type: "content_block_delta", index: 0, delta: { type: "citations_delta", citation: { type: "web_search_result_location", url: "https://example.com" } } }),
      anthropicChunk({ type: "content_block_delta", index: 0, delta: { type: "text_delta", text: "ok" } }),
      eventFrame("somethingNew", { x: 1 }),
      anthropicChunk({ type: "message_delta", delta: { stop_reason: "end_turn" } }),
    ]);
    const { completion } = await decode(bytes);
    assert.equal(completion.choices[0]!.message.content, "ok");
  });
});

describe("decode-anthropic-stream on malformed chunks: a typed error naming the field", () => {
  const cases: [string, unknown, string, string][] = [
    ["a text delta without text", { type: "content_block_delta", index: 0, delta: { type: "text_delta" } }, "delta.text", "missing, expected a string"],
    ["a text delta whose text is a number", { type: "content_block_delta", index: 0, delta: { type: "text_delta", text: 7 } }, "delta.text", "a number, expected a string"],
    ["a delta event without delta", { type: "content_block_delta", index: 0 }, "delta", "expected an object"],
    ["a delta event without index", { type: "content_block_delta", delta: { type: "text_delta", text: "x" } }, "index", "expected a whole number"],
    ["a tool_use start without name", { type: "content_block_start", index: 1, content_block: { type: "tool_use", id: "t" } }, "content_block.name", "missing"],
    ["a message_start without message", { type: "message_start" }, "message", "expected an object"],
    ["usage with a string count", { type: "message_delta", delta: { stop_reason: "end_turn" }, usage: { output_tokens: "12" } }, "usage.output_tokens", "a string, expected a number"],
    ["a stop_reason that is a number", { type: "message_delta", delta: { stop_reason: 1 } }, "delta.stop_reason", "expected a string"],
    ["an event without type", { index: 0 }, "type", "missing"],
    ["a citation that is not an object", { type: "content_block_delta", index: 0, delta: { type: "citations_delta", citation: "p. 3" } }, "delta.citation", "a string, expected an object"],
    ["a citation without type", { type: "content_block_delta", index: 0, delta: { type: "citations_delta", citation: { document_index: 0 } } }, "delta.citation.type", "missing, expected a string"],
    [
      "a char citation whose start is text",
      { type: "content_block_delta", index: 0, delta: { type: "citations_delta", citation: { type: "char_location", document_index: 0, start_char_index: "3", end_char_index: 9 } } },
      "delta.citation.start_char_index",
      "a string, expected a whole number",
    ],
    [
      "a page citation without its document",
      { type: "content_block_delta", index: 0, delta: { type: "citations_delta", citation: { type: "page_location", start_page_number: 1, end_page_number: 2 } } },
      "delta.citation.document_index",
      "missing, expected a whole number",
    ],
    [
      "a citation whose cited text is a number",
      { type: "content_block_delta", index: 0, delta: { type: "citations_delta", citation: { type: "char_location", document_index: 0, start_char_index: 0, end_char_index: 1, cited_text: 1 } } },
      "delta.citation.cited_text",
      "a number, expected a string",
    ],
    [
      "a text block start with a negative citation index",
      { type: "content_block_start", index: 0, content_block: { type: "text", text: "", citations: [{ type: "content_block_location", document_index: -1, start_block_index: 0, end_block_index: 1 }] } },
      "content_block.citations[0].document_index",
      "a number, expected a whole number",
    ],
  ];
  for (const [what, event, field, expected] of cases) {
    it(what, async () => {
      await assert.rejects(decode(Buffer.concat([anthropicChunk({ type: "message_start", message: { id: "m" } }), anthropicChunk(event)])), namesField(field, expected));
    });
  }

  it("a chunk whose payload has no bytes", async () => {
    await assert.rejects(decode(eventFrame("chunk", { p: "padding" })), namesField("bytes", "missing"));
  });

  it("a chunk whose bytes are not base64", async () => {
    await assert.rejects(decode(eventFrame("chunk", { bytes: "eyJ0eXBlIjoicGluZyJ9!" })), namesField("bytes", "is not base64"));
    await assert.rejects(decode(eventFrame("chunk", { bytes: "eyJ0eXBlIjoicGluZyJ9" + "\u00e9" })), namesField("bytes", "is not base64"));
  });

  it("a chunk whose bytes are base64 of something that is not JSON", async () => {
    await assert.rejects(decode(eventFrame("chunk", { bytes: Buffer.from('{"type": "ping"').toString("base64") })), namesField("bytes (decoded)", "is not JSON"));
  });

  it("a chunk whose payload is not JSON", async () => {
    await assert.rejects(decode(rawEventFrame("chunk", '{"bytes": "e30="')), namesField("(body)", "is not JSON"));
  });

  it("hands over the parts of the good events read with a bad one before the error", async () => {
    const oneRead = Readable.from([Buffer.concat([
      anthropicChunk({ type: "message_start", message: { id: "m" } }),
      anthropicChunk({ type: "content_block_delta", index: 0, delta: { type: "text_delta", text: "Hello" } }),
      anthropicChunk({ type: "content_block_delta", index: 0, delta: { type: "text_delta", text: 5 } }),
      anthropicChunk({ type: "content_block_delta", index: 0, delta: { type: "text_delta", text: "never" } }),
    ])]);
    const { items, error } = await readUntilError(await readEventStream(oneRead, anthropicStreamParts));
    assert.deepEqual(items.filter((part) => part.type === "text"), [{ type: "text", blockIndex: 0, text: "Hello" }]);
    assert.ok(namesField("delta.text", "a number, expected a string")(error));
  });

  it("a chunk whose decoded bytes are not an object", async () => {
    await assert.rejects(decode(eventFrame("chunk", { bytes: Buffer.from("[1,2]").toString("base64") })), namesField("bytes (decoded)", "an array"));
  });
});

describe("citations in an InvokeModel stream", () => {
  it("reads a cited text block and a citations_delta, and skips kinds it does not read", async () => {
    const { completion } = await decode(Buffer.concat([
      anthropicChunk({ type: "message_start", message: { id: "m" } }),
      anthropicChunk({ type: "content_block_start", index: 0, content_block: { type: "text", text: "", citations: [{ type: "page_location", document_index: 1, document_title: null, start_page_number: 2, end_page_number: 3 }] } }),
      anthropicChunk({ type: "content_block_delta", index: 0, delta: { type: "citations_delta", citation: { type: "char_location", document_index: 0, document_title: "Doc", cited_text: "sky", start_char_index: 4, end_char_index: 7 } } }),
      anthropicChunk({ type: "content_block_delta", index: 0, delta: { type: "citations_delta", citation: { type: "search_result_location", source: "s" } } }),
      anthropicChunk({ type: "content_block_delta", index: 0, delta: { type: "text_delta", text: "Blue." } }),
      anthropicChunk({ type: "content_block_stop", index: 0 }),
      anthropicChunk({ type: "message_delta", delta: { stop_reason: "end_turn" } }),
    ]));
    assert.deepEqual(completion.choices[0]!.message.citations, [
      { documentIndex: 1, location: { type: "page", start: 2, end: 3 }, answerStart: 0, answerEnd: 5 },
      { documentIndex: 0, documentTitle: "Doc", citedText: "sky", location: { type: "char", start: 4, end: 7 }, answerStart: 0, answerEnd: 5 },
    ]);
  });
});

describe("the InvokeModel body decoder", () => {
  it("reads text, thinking, tool use and usage", () => {
    const parts = anthropicResponseToParts({
      id: "msg_1",
      content: [{ type: "thinking", thinking: "hm", signature: "sig" }, { type: "text", text: "Hi" }, { type: "tool_use", id: "t1", name: "f", input: { a: 1 } }],
      stop_reason: "tool_use",
      usage: { input_tokens: 5, output_tokens: 7, cache_read_input_tokens: null },
    });
    assert.deepEqual(parts.filter((p) => p.type === "text" || p.type === "tool_call_delta" || p.type === "finish"), [
      { type: "text", blockIndex: 1, text: "Hi" },
      { type: "tool_call_delta", blockIndex: 2, argumentsDelta: '{"a":1}' },
      { type: "finish", stopReason: "tool_use", stopSequence: null },
    ]);
  });

  it("names the malformed field of a body", () => {
    assert.throws(() => anthropicResponseToParts({ content: [{ type: "text" }] }), namesField("content[0].text", "missing"));
    assert.throws(
      () => anthropicResponseToParts({ content: [{ type: "text", text: "Hi", citations: [{ type: "char_location", document_index: 0, start_char_index: 0, end_char_index: 1.5 }] }] }),
      namesField("content[0].citations[0].end_char_index", "expected a whole number"),
    );
    assert.throws(() => anthropicResponseToParts({ content: "Hi" }), namesField("content", "a string, expected an array"));
    assert.throws(() => anthropicResponseToParts({ content: [], usage: { input_tokens: [1] } }), namesField("usage.input_tokens", "an array, expected a number"));
  });
});
