import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { convertToAnthropicMessages } from "../../../../src/providers/bedrock/anthropic/convert-to-anthropic-messages.js";
import { InvalidRequestError } from "../../../../src/schema/errors.js";
import { resolveMediaParts } from "../../../../src/providers/bedrock/media/resolve-media-parts.js";
import { Message } from "../../../../src/schema/message.js";

const PNG = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==";
const withTools = { toolsOffered: true };

describe("convertToAnthropicMessages", () => {
  it("converts Message instances with camelCase tool calls and results", async () => {
    const prompt = convertToAnthropicMessages(
      await resolveMediaParts([
        new Message({ role: "user", content: "weather?" }),
        new Message({ role: "assistant", content: null, toolCalls: [{ id: "t1", type: "function", function: { name: "w", arguments: "" } }] }),
        new Message({ role: "tool", toolCallId: "t1", content: [{ type: "text", text: "sunny" }, { type: "image", data: PNG, mediaType: "image/png" }] }),
      ]),
      withTools,
    );
    assert.deepEqual(prompt.messages[1], { role: "assistant", content: [{ type: "tool_use", id: "t1", name: "w", input: {} }] });
    assert.deepEqual(prompt.messages[2], {
      role: "user",
      content: [
        {
          type: "tool_result",
          tool_use_id: "t1",
          content: [
            { type: "text", text: "sunny" },
            { type: "image", source: { type: "base64", media_type: "image/png", data: PNG } },
          ],
        },
      ],
    });
  });

  it("puts tool results before text in a merged user turn and trims a final assistant prefill", () => {
    const prompt = convertToAnthropicMessages(
      [
        { role: "user", content: "q" },
        { role: "assistant", content: "", tool_calls: [{ id: "t1", type: "function", function: { name: "w", arguments: '{"a":1}' } }] },
        { role: "user", content: "also this" },
        { role: "tool", tool_call_id: "t1", content: "r" },
        { role: "assistant", content: "The answer is   " },
      ],
      withTools,
    );
    assert.deepEqual(
      prompt.messages[2]!.content.map((block) => block.type),
      ["tool_result", "text"],
    );
    assert.deepEqual(prompt.messages[3], { role: "assistant", content: [{ type: "text", text: "The answer is" }] });
  });

  it("gives clear errors for bad tool calls, system images and non-array input", () => {
    assert.throws(
      () => convertToAnthropicMessages([{ role: "assistant", content: "x", tool_calls: [{ id: "t", type: "function", function: { name: "w", arguments: "{oops" } }] }], withTools),
      (error: Error) => error instanceof InvalidRequestError && /not valid JSON/.test(error.message),
    );
    assert.throws(
      () => convertToAnthropicMessages([{ role: "assistant", content: "x", tool_calls: [{ id: "t", type: "function", function: { name: "w", arguments: "[1]" } }] }], withTools),
      /must be a JSON object/,
    );
    assert.throws(() => convertToAnthropicMessages([{ role: "system", content: [{ type: "image", data: PNG, mediaType: "image/png" }] }, { role: "user", content: "x" }], withTools), /only contain text/);
    assert.throws(() => convertToAnthropicMessages("hello" as never, withTools), /must be an array/);
    assert.throws(() => convertToAnthropicMessages([null as never], withTools), /messages\[0\] must be an object/);
    assert.throws(() => convertToAnthropicMessages([{ role: "assistant", content: [{ type: "image", data: PNG, mediaType: "image/png" }] }], withTools), /only be sent in user or tool/);
    // Media is checked once, by resolveMediaParts (the provider calls it first); an unresolved part is refused.
    assert.throws(() => convertToAnthropicMessages([{ role: "user", content: [{ type: "image", path: "/tmp/cat.png" }] }], withTools), /was not resolved; media parts go through resolveMediaParts/);
    assert.throws(() => convertToAnthropicMessages([{ role: "user", content: [{ type: "image_url", image_url: { url: `data:image/png;base64,${PNG}` } }] }], withTools), /was not resolved/);
    // A part that looks resolved (base64 + media type) but did not go through resolveMediaParts is refused too.
    assert.throws(() => convertToAnthropicMessages([{ role: "user", content: [{ type: "image", data: PNG, mediaType: "image/png" }] }], withTools), /was not resolved/);
    const nested = { type: "tool_result", tool_use_id: "t1", content: [{ type: "image", data: PNG, mediaType: "image/png" }] };
    assert.throws(() => convertToAnthropicMessages([{ role: "user", content: [nested as never] }], withTools), /content\[0\]\.content\[0\]: this image part was not resolved/);
  });

  it("accepts a single part object and minion's system list content", () => {
    const prompt = convertToAnthropicMessages(
      [
        { role: "system", content: [{ type: "text", text: "a" }, { type: "text", text: "b" }] },
        { role: "user", content: { type: "text", text: "one part" } as never },
      ],
      withTools,
    );
    assert.deepEqual(prompt.system, [{ type: "text", text: "a\nb" }]);
    assert.deepEqual(prompt.messages, [{ role: "user", content: [{ type: "text", text: "one part" }] }]);
  });

  it("merges a turn with a huge number of parts into the previous one without overflowing the stack", () => {
    const parts = Array.from({ length: 300_000 }, (_, i) => ({ type: "text" as const, text: `p${i}` }));
    const prompt = convertToAnthropicMessages([{ role: "user", content: "first" }, { role: "user", content: parts }], withTools);
    assert.equal(prompt.messages.length, 1);
    assert.equal(prompt.messages[0]!.content.length, 300_001);
  });
});

