/** Files the docs point at exist and do what the docs say. */
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, it } from "node:test";
import { EXAMPLE_CREDENTIALS, startEmulator } from "../../src/emulator/index.js";
import { createLlmProvider } from "../../src/providers/registry.js";
import type { MessageInput } from "../../src/schema/message.js";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));

describe("test/fixtures/agent.yaml (docs/emulator-scripts.md)", () => {
  it("exists where the doc says", () => {
    assert.match(readFileSync(join(ROOT, "docs/emulator-scripts.md"), "utf8"), /script: "test\/fixtures\/agent\.yaml"/);
    assert.ok(existsSync(join(ROOT, "test/fixtures/agent.yaml")));
  });

  it("drives a tool call, then an answer from the tool's result", async () => {
    const emulator = await startEmulator({ port: 0, script: join(ROOT, "test/fixtures/agent.yaml") });
    const llm = createLlmProvider({ api_type: "bedrock_async", model: "anthropic.claude-3-5-haiku-20241022-v1:0", endpoint: emulator.url, region: "us-east-1", ...EXAMPLE_CREDENTIALS, max_attempts: 1 });
    try {
      const tools = [{ type: "function" as const, function: { name: "get_weather", parameters: { type: "object", properties: { city: { type: "string" } } } } }];
      const messages: MessageInput[] = [{ role: "user", content: "What is the weather in Paris?" }];
      const first = await llm.generateStreamResponse(messages, { tools });
      const call = first.choices[0]!.message.tool_calls?.[0];
      assert.equal(call?.function.name, "get_weather");
      assert.deepEqual(JSON.parse(call!.function.arguments), { city: "Paris" });
      messages.push(first.choices[0]!.message, { role: "tool", tool_call_id: call!.id, content: "sunny, 21 C" });
      assert.equal(await llm.generate(messages, { tools }), "It is sunny in Paris, 21 C.");
    } finally {
      await llm.close();
      await emulator.close();
    }
  });
});
