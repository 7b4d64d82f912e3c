import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { StreamAccumulator } from "../../../../src/providers/bedrock/output/stream-accumulator.js";
import type { ModelStreamPart } from "../../../../src/providers/bedrock/output/model-stream-part.js";
import { expandThinkingBlocks } from "../../../../src/providers/bedrock/thinking/expand-thinking-blocks.js";

describe("thinking blocks and trace on the completion", () => {
  it("keeps thinking text with its signature and redacted blocks in order, apart from the answer", () => {
    const accumulator = new StreamAccumulator("m", []);
    const parts: ModelStreamPart[] = [
      { type: "thinking", blockIndex: 0, text: "Let me " },
      { type: "thinking", blockIndex: 0, text: "think." },
      { type: "thinking_signature", blockIndex: 0, signature: "sig-1" },
      { type: "block_stop", blockIndex: 0 },
      { type: "redacted_thinking", blockIndex: 1, data: "b3BhcXVl" },
      { type: "text", blockIndex: 2, text: "42" },
      { type: "trace", trace: { guardrail: { action: "NONE" } } },
      { type: "finish", stopReason: "end_turn", stopSequence: null },
    ];
    const events = parts.flatMap((part) => accumulator.push(part));
    assert.deepEqual(events.filter((e) => e.type === "text"), [{ type: "text", text: "42" }]);
    const completion = accumulator.completion();
    const message = completion.choices[0]!.message;
    assert.equal(message.content, "42");
    assert.equal(message.reasoning_content, "Let me think.");
    assert.deepEqual(message.thinking_blocks, [
      { type: "thinking", thinking: "Let me think.", signature: "sig-1" },
      { type: "redacted_thinking", data: "b3BhcXVl" },
    ]);
    assert.deepEqual(completion.trace, { guardrail: { action: "NONE" } });
  });

  it("turns a completion message passed back into the history into thinking parts + text", () => {
    const [user, assistant] = expandThinkingBlocks([
      { role: "user", content: "q" },
      { role: "assistant", content: "42", thinking_blocks: [{ type: "thinking", thinking: "t", signature: "s" }], reasoning_content: "t" } as never,
    ]);
    assert.deepEqual(user, { role: "user", content: "q" });
    assert.deepEqual(assistant, { role: "assistant", content: [{ type: "thinking", thinking: "t", signature: "s" }, { type: "text", text: "42" }] });
  });
});
