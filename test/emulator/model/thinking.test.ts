import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { createPlanner, REDACTED_THINKING_TRIGGER, signThinking, textTokens } from "../../../src/emulator/model/index.js";
import { anthropicBody, asAnswer, converseBody, planOnce, request, textOf } from "./helpers.js";

const thinking = { type: "enabled", budget_tokens: 1024 };

describe("extended thinking", () => {
  it("puts a signed thinking block before the answer (InvokeModel)", async () => {
    const plan = asAnswer(await planOnce("InvokeModel", anthropicBody({ max_tokens: 2048, thinking }, "Why is the sky blue?")));
    const [first, second] = plan.blocks;
    assert.equal(first?.type, "thinking");
    if (first?.type !== "thinking") return;
    assert.equal(first.thinking, 'The user wrote: "Why is the sky blue?". I should answer briefly and helpfully.');
    assert.equal(first.signature, signThinking(first.thinking));
    assert.equal(second?.type, "text");
    assert.equal(plan.usage.outputTokens, textTokens(first.thinking) + textTokens(textOf(plan)));
  });

  it("thinks through Converse additionalModelRequestFields for Claude", async () => {
    const body = converseBody({ additionalModelRequestFields: { thinking }, inferenceConfig: { maxTokens: 2048 } });
    const plan = asAnswer(await planOnce("Converse", body));
    assert.equal(plan.blocks[0]?.type, "thinking");
  });

  it("ignores Claude thinking fields for other families", async () => {
    const body = converseBody({ additionalModelRequestFields: { thinking: { type: "enabled", budget_tokens: 10 } } });
    const plan = asAnswer(await planOnce("Converse", body, "amazon.nova-pro-v1:0"));
    assert.deepEqual(plan.blocks.map((block) => block.type), ["text"]);
  });

  it("does not think when thinking is disabled or absent", async () => {
    const plan = asAnswer(await planOnce("InvokeModel", anthropicBody({ thinking: { type: "disabled" } })));
    assert.deepEqual(plan.blocks.map((block) => block.type), ["text"]);
  });

  it("accepts its own thinking block back in the next turn of a tool loop", async () => {
    const tools = [{ name: "lookup", input_schema: { type: "object" } }];
    const first = asAnswer(await planOnce("InvokeModel", anthropicBody({ max_tokens: 2048, thinking, tools }, "call lookup")));
    assert.equal(first.stopReason, "tool_use");
    const assistantContent = first.blocks.map((block) => ({ ...block }));
    const toolUse = first.blocks.find((block) => block.type === "tool_use");
    assert.ok(toolUse && toolUse.type === "tool_use");
    const next = anthropicBody({
      max_tokens: 2048,
      thinking,
      tools,
      messages: [
        { role: "user", content: "call lookup" },
        { role: "assistant", content: assistantContent },
        { role: "user", content: [{ type: "tool_result", tool_use_id: toolUse.id, content: "found" }] },
      ],
    });
    const second = asAnswer(await planOnce("InvokeModel", next));
    assert.match(textOf(second), /The tool lookup returned: found/);
  });

  it("redacts its thinking when the prompt holds Anthropic's redacted-thinking test string, and accepts it back", async () => {
    const body = anthropicBody({ max_tokens: 2048, thinking }, `test ${REDACTED_THINKING_TRIGGER}`);
    const plan = asAnswer(await planOnce("InvokeModel", body));
    assert.deepEqual(plan.blocks.map((block) => block.type), ["redacted_thinking", "text"]);
    const redacted = plan.blocks[0];
    assert.ok(redacted?.type === "redacted_thinking" && redacted.data.length > 0);
    const next = anthropicBody({
      max_tokens: 2048,
      thinking,
      messages: [
        { role: "user", content: "q" },
        { role: "assistant", content: [{ type: "redacted_thinking", data: redacted.data }, { type: "text", text: "a" }] },
        { role: "user", content: "more" },
      ],
    });
    asAnswer(await planOnce("InvokeModel", next));
  });

  it("lets a script answer with thinking or redacted thinking", async () => {
    const planner = createPlanner({ script: [{ respond: { redactedThinking: "secret", text: "ok" } }] });
    const plan = asAnswer(await planner(request("Converse", converseBody())));
    assert.deepEqual(plan.blocks.map((block) => block.type), ["redacted_thinking", "text"]);
  });
});
