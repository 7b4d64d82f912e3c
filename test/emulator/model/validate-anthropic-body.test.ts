import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { signThinking } from "../../../src/emulator/model/index.js";
import { anthropicBody, asAnswer, asError, planOnce } from "./helpers.js";

const PNG = Buffer.from("png bytes").toString("base64");
const user = (content: unknown) => ({ role: "user", content });
const assistant = (content: unknown) => ({ role: "assistant", content });
const weatherTool = { name: "get_weather", description: "Weather", input_schema: { type: "object", properties: { city: { type: "string" } } } };

async function rejects(body: unknown, expected: string | RegExp): Promise<void> {
  const plan = asError(await planOnce("InvokeModel", body));
  assert.equal(plan.name, "ValidationException");
  assert.equal(plan.status, 400);
  if (typeof expected === "string") assert.equal(plan.message, expected);
  else assert.match(plan.message, expected);
}

describe("Anthropic body validation (InvokeModel)", () => {
  it("reports missing required keys and extraneous keys in Bedrock's schema wording", async () => {
    await rejects(
      { max_tokens: 10, messages: [user("hi")], model: "claude", stream: true },
      "Malformed input request: #: required key [anthropic_version] not found#: extraneous key [model] is not permitted#: extraneous key [stream] is not permitted, please reformat your input and try again.",
    );
    await rejects({ anthropic_version: "bedrock-2023-05-31", messages: [user("hi")] }, /#: required key \[max_tokens\] not found/);
  });

  it("rejects a body that is not a JSON object", async () => {
    await rejects("hello", "Malformed input request: #: expected type: JSONObject, found: String, please reformat your input and try again.");
  });

  it("rejects wrong types", async () => {
    await rejects(anthropicBody({ max_tokens: "10" }), /#\/max_tokens: expected type: Integer, found: String/);
    await rejects(anthropicBody({ messages: "hi" }), /#\/messages: expected type: JSONArray, found: String/);
  });

  it("checks temperature, top_p and top_k ranges and max_tokens >= 1", async () => {
    await rejects(anthropicBody({ temperature: 1.5 }), /#\/temperature: 1\.5 is not less or equal to 1/);
    await rejects(anthropicBody({ temperature: -0.1 }), /#\/temperature: -0\.1 is not greater or equal to 0/);
    await rejects(anthropicBody({ top_p: 2 }), /#\/top_p: 2 is not less or equal to 1/);
    await rejects(anthropicBody({ top_k: -1 }), /#\/top_k: -1 is not greater or equal to 0/);
    await rejects(anthropicBody({ max_tokens: 0 }), /#\/max_tokens: 0 is not greater or equal to 1/);
    asAnswer(await planOnce("InvokeModel", anthropicBody({ temperature: 0, top_p: 1, top_k: 0 })));
  });

  it("rejects empty messages, a first message not from the user, and bad roles", async () => {
    await rejects(anthropicBody({ messages: [] }), "messages: at least one message is required");
    await rejects(anthropicBody({ messages: [assistant("hi")] }), 'messages: first message must use the "user" role');
    await rejects(anthropicBody({ messages: [user("hi"), { role: "system", content: "x" }] }), "messages.1.role: Input should be 'user' or 'assistant'");
  });

  it("rejects empty and whitespace-only text blocks, and empty content", async () => {
    await rejects(anthropicBody({ messages: [user([{ type: "text", text: "" }])] }), "messages: text content blocks must be non-empty");
    await rejects(anthropicBody({ messages: [user("")] }), "messages: text content blocks must be non-empty");
    await rejects(anthropicBody({ messages: [user([{ type: "text", text: "  \n" }])] }), "messages: text content blocks must contain non-whitespace text");
    await rejects(anthropicBody({ messages: [user([])] }), "messages.0: all messages must have non-empty content except for the optional final assistant message");
  });

  it("accepts a final assistant message (prefill), empty or not, unless it ends with whitespace", async () => {
    asAnswer(await planOnce("InvokeModel", anthropicBody({ messages: [user("hi"), assistant("")] })));
    asAnswer(await planOnce("InvokeModel", anthropicBody({ messages: [user("hi"), assistant("Sure,")] })));
    await rejects(anthropicBody({ messages: [user("hi"), assistant("Sure, ")] }), "messages: final assistant content cannot end with trailing whitespace");
  });

  it("rejects unknown block types", async () => {
    await rejects(anthropicBody({ messages: [user([{ type: "video", text: "x" }])] }), /messages\.0\.content\.0: Input tag 'video' found using 'type' does not match/);
  });

  it("accepts png, jpeg, gif and webp images and rejects other media types", async () => {
    for (const media of ["image/png", "image/jpeg", "image/gif", "image/webp"]) {
      asAnswer(await planOnce("InvokeModel", anthropicBody({ messages: [user([{ type: "image", source: { type: "base64", media_type: media, data: PNG } }, { type: "text", text: "see" }])] })));
    }
    await rejects(
      anthropicBody({ messages: [user([{ type: "text", text: "see" }, { type: "image", source: { type: "base64", media_type: "image/bmp", data: PNG } }])] }),
      "messages.0.content.1.image.source.base64.media_type: Input should be 'image/jpeg', 'image/png', 'image/gif' or 'image/webp'",
    );
  });

  it("rejects a tool_result without a matching tool_use in the previous assistant turn", async () => {
    const body = anthropicBody({
      messages: [
        user("call it"),
        assistant([{ type: "tool_use", id: "toolu_1", name: "get_weather", input: {} }]),
        user([{ type: "tool_result", tool_use_id: "toolu_2", content: "sunny" }]),
      ],
      tools: [weatherTool],
    });
    await rejects(
      body,
      "messages.2.content.0: unexpected `tool_use_id` found in `tool_result` blocks: toolu_2. Each `tool_result` block must have a corresponding `tool_use` block in the previous message.",
    );
  });

  it("rejects a tool_use that is not answered in the next message", async () => {
    const body = anthropicBody({
      messages: [user("call it"), assistant([{ type: "tool_use", id: "toolu_1", name: "get_weather", input: {} }]), user("never mind")],
    });
    await rejects(body, /^messages\.2: `tool_use` ids were found without `tool_result` blocks immediately after: toolu_1\./);
  });

  it("accepts tool_use / tool_result history when no tools are offered (as Bedrock does for InvokeModel)", async () => {
    const body = anthropicBody({
      messages: [
        user("call it"),
        assistant([{ type: "tool_use", id: "toolu_1", name: "get_weather", input: { city: "Paris" } }]),
        user([{ type: "tool_result", tool_use_id: "toolu_1", content: [{ type: "text", text: "sunny" }] }]),
      ],
    });
    const plan = asAnswer(await planOnce("InvokeModel", body));
    assert.equal(plan.stopReason, "end_turn");
  });

  it("checks the tools shape", async () => {
    await rejects(anthropicBody({ tools: [{ name: "x" }] }), "tools.0.custom.input_schema: Field required");
    await rejects(anthropicBody({ tools: [{ name: "bad name", input_schema: { type: "object" } }] }), "tools.0.custom.name: String should match pattern '^[a-zA-Z0-9_-]{1,128}$'");
    await rejects(anthropicBody({ tools: [{ name: "x", input_schema: { type: "string" } }] }), "tools.0.custom.input_schema.type: Input should be 'object'");
    await rejects(anthropicBody({ tools: [weatherTool, weatherTool] }), "tools: Tool names must be unique.");
    asAnswer(await planOnce("InvokeModel", anthropicBody({ tools: [weatherTool, { type: "bash_20250124", name: "bash" }] })));
  });

  it("checks tool_choice", async () => {
    await rejects(anthropicBody({ tool_choice: { type: "auto" } }), "tool_choice may only be specified while providing tools.");
    await rejects(anthropicBody({ tools: [weatherTool], tool_choice: { type: "sometimes" } }), /^tool_choice: Input tag 'sometimes' found using 'type'/);
    await rejects(anthropicBody({ tools: [weatherTool], tool_choice: { type: "tool" } }), "tool_choice.tool.name: Field required");
    await rejects(anthropicBody({ tools: [weatherTool], tool_choice: { type: "tool", name: "nope" } }), /Tool 'nope' not found/);
  });

  it("checks thinking: budget, max_tokens, temperature, top_k, top_p and forced tool use", async () => {
    const thinking = (budget: number) => ({ type: "enabled", budget_tokens: budget });
    await rejects(anthropicBody({ max_tokens: 4000, thinking: thinking(1000) }), "thinking.enabled.budget_tokens: Input should be greater than or equal to 1024");
    await rejects(anthropicBody({ max_tokens: 2000, thinking: thinking(2000) }), /^`max_tokens` must be greater than `thinking.budget_tokens`/);
    await rejects(anthropicBody({ max_tokens: 4000, thinking: thinking(1024), temperature: 0.5 }), /^`temperature` may only be set to 1 when thinking is enabled/);
    await rejects(anthropicBody({ max_tokens: 4000, thinking: thinking(1024), top_k: 5 }), /^`top_k` must be unset when thinking is enabled/);
    await rejects(anthropicBody({ max_tokens: 4000, thinking: thinking(1024), top_p: 0.5 }), /^`top_p` must be greater or equal to 0\.95/);
    await rejects(
      anthropicBody({ max_tokens: 4000, thinking: thinking(1024), tools: [weatherTool], tool_choice: { type: "any" } }),
      "Thinking may not be enabled when tool_choice forces tool use.",
    );
    asAnswer(await planOnce("InvokeModel", anthropicBody({ max_tokens: 4000, thinking: thinking(1024), temperature: 1 })));
  });

  it("rejects a thinking block whose signature was changed or dropped", async () => {
    const good = { type: "thinking", thinking: "hmm", signature: signThinking("hmm") };
    const body = (block: unknown) => anthropicBody({ messages: [user("q"), assistant([block, { type: "text", text: "a" }]), user("next")] });
    asAnswer(await planOnce("InvokeModel", body(good)));
    await rejects(body({ ...good, signature: "forged" }), "messages.1.content.0: Invalid `signature` in `thinking` block");
    await rejects(body({ type: "thinking", thinking: "hmm" }), "messages.1.content.0.thinking.signature: Field required");
  });

  it("checks cache_control shape and count", async () => {
    const text = (cache_control: unknown) => ({ type: "text", text: "hello", cache_control });
    await rejects(anthropicBody({ messages: [user([text({ type: "persistent" })])] }), "messages.0.content.0.cache_control.type: Input should be 'ephemeral'");
    await rejects(anthropicBody({ messages: [user([text({ type: "ephemeral", ttl: "2h" })])] }), "messages.0.content.0.cache_control.ephemeral.ttl: Input should be '5m' or '1h'");
    const five = Array.from({ length: 5 }, () => text({ type: "ephemeral" }));
    await rejects(anthropicBody({ messages: [user(five)] }), "A maximum of 4 blocks with cache_control may be provided. Found 5.");
    asAnswer(await planOnce("InvokeModel", anthropicBody({ messages: [user([text({ type: "ephemeral", ttl: "1h" })])] })));
  });

  it("rejects temperature with top_p on newer Claude models only", async () => {
    const body = anthropicBody({ temperature: 0.5, top_p: 0.9 });
    for (const model of ["anthropic.claude-sonnet-4-5-20250929-v1:0", "eu.anthropic.claude-haiku-4-5-20251001-v1:0", "anthropic.claude-opus-4-1-20250805-v1:0"]) {
      const plan = asError(await planOnce("InvokeModel", body, model));
      assert.equal(plan.message, "`temperature` and `top_p` cannot both be specified for this model. Please use only one.", model);
    }
    for (const model of ["anthropic.claude-sonnet-4-20250514-v1:0", "anthropic.claude-3-5-haiku-20241022-v1:0"]) {
      asAnswer(await planOnce("InvokeModel", body, model));
    }
  });
});
