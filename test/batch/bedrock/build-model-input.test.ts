import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { buildModelInput } from "../../../src/batch/bedrock/build-model-input.js";
import { LLMConfig } from "../../../src/config/llm-config.js";
import { InvalidRequestError } from "../../../src/schema/errors.js";
import type { MessageInput } from "../../../src/schema/message.js";

const PNG = Buffer.from("89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082", "hex");
const config = (model: string) => new LLMConfig({ api_type: "bedrock_async", model, region: "us-east-1" });
const TOOLS = { tools: [{ type: "function" as const, function: { name: "shot", parameters: { type: "object", properties: {} } } }] };

function withToolResult(content: unknown): MessageInput[] {
  return [
    { role: "user", content: "Take a screenshot." },
    { role: "assistant", content: null, toolCalls: [{ id: "t1", type: "function", function: { name: "shot", arguments: "{}" } }] },
    { role: "user", content: [{ type: "tool_result", tool_use_id: "t1", content } as never] },
  ];
}

describe("buildModelInput: media in tool results", () => {
  it("resolves a nested image into the Claude record's body, with the type of its bytes", async () => {
    const messages = withToolResult([{ type: "image", source: { type: "base64", media_type: "image/gif", data: `data:image/png;base64,${PNG.toString("base64")}` } }]);
    const input = await buildModelInput(config("anthropic.claude-3-5-haiku-20241022-v1:0"), { id: "r1", messages, options: TOOLS });
    const body = JSON.parse(input.json);
    assert.deepEqual(body.messages[2].content[0].content, [{ type: "image", source: { type: "base64", media_type: "image/png", data: PNG.toString("base64") } }]);
  });

  it("refuses bad nested media with InvalidRequestError for Claude and Converse models alike", async () => {
    const bad = withToolResult([{ type: "image", data: Buffer.from("text, not an image").toString("base64"), mediaType: "image/png" }]);
    for (const model of ["anthropic.claude-3-5-haiku-20241022-v1:0", "amazon.nova-lite-v1:0"]) {
      await assert.rejects(buildModelInput(config(model), { id: "r1", messages: bad, options: {} }), (error: unknown) => error instanceof InvalidRequestError && /tool_result content\[0\] contains text\/plain data, not an image/.test(error.message));
    }
  });
});
