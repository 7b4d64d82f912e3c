import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { converseProtocol } from "../../../../src/providers/bedrock/converse/converse-protocol.js";
import type { ToolDefinition } from "../../../../src/providers/llm-provider.js";
import { invokeWith, lastBody, startHarness, streamWith, type Harness } from "./protocol-harness.js";

const NOVA = "amazon.nova-lite-v1:0";
const weather: ToolDefinition = { type: "function", function: { name: "get_weather", description: "Weather for a city", parameters: { type: "object", properties: { city: { type: "string" } } } } };
const time: ToolDefinition = { type: "function", function: { name: "get_time" } };

let harness: Harness;
before(async () => {
  harness = await startHarness();
});
after(() => harness.close());

describe("Converse protocol against the emulator", () => {
  it("sends system, messages and inferenceConfig, and returns text with usage", async () => {
    const completion = await invokeWith(converseProtocol, harness, NOVA, [{ role: "system", content: "Be brief." }, { role: "user", content: "Hello there" }], {
      temperature: 0.3,
      maxTokens: 100,
      topK: 20,
    });
    const request = harness.emulator.requests.at(-1)!;
    assert.equal(request.operation, "Converse");
    assert.equal(request.modelId, NOVA);
    const body = lastBody(harness);
    assert.deepEqual(body["system"], [{ text: "Be brief." }]);
    assert.deepEqual(body["messages"], [{ role: "user", content: [{ text: "Hello there" }] }]);
    assert.deepEqual(body["inferenceConfig"], { maxTokens: 100, temperature: 0.3 });
    assert.deepEqual(body["additionalModelRequestFields"], { inferenceConfig: { topK: 20 } });
    assert.equal(body["modelId"], undefined);
    assert.equal(completion.choices[0]!.finish_reason, "stop");
    assert.ok((completion.choices[0]!.message.content ?? "").length > 0);
    assert.ok(completion.usage.prompt_tokens > 0 && completion.usage.completion_tokens > 0);
    assert.equal(completion.usage.total_tokens, completion.usage.prompt_tokens + completion.usage.completion_tokens);
  });

  it("streams text chunks that add up to the non-streamed answer", async () => {
    const messages = [{ role: "user" as const, content: "Tell me something" }];
    const whole = await invokeWith(converseProtocol, harness, "meta.llama3-70b-instruct-v1:0", messages);
    const { events, completion } = await streamWith(converseProtocol, harness, "meta.llama3-70b-instruct-v1:0", messages);
    assert.equal(harness.emulator.requests.at(-1)!.operation, "ConverseStream");
    const text = events.filter((e) => e.type === "text").map((e) => (e as { text: string }).text);
    assert.ok(text.length > 1);
    assert.equal(text.join(""), whole.choices[0]!.message.content);
    assert.deepEqual(completion.usage, whole.usage);
  });

  it("sends tools as toolSpec and returns parallel and argument-less tool calls, streamed and not", async () => {
    const messages = [{ role: "user" as const, content: 'call get_weather {"city":"Paris"} and call get_time' }];
    const options = { tools: [weather, time], toolChoice: "auto" as const };
    for (const run of [() => invokeWith(converseProtocol, harness, "mistral.mistral-large-2407-v1:0", messages, options), async () => (await streamWith(converseProtocol, harness, "mistral.mistral-large-2407-v1:0", messages, options)).completion]) {
      const completion = await run();
      const body = lastBody(harness);
      assert.deepEqual(body["toolConfig"], {
        tools: [
          { toolSpec: { name: "get_weather", description: "Weather for a city", inputSchema: { json: weather.function.parameters } } },
          { toolSpec: { name: "get_time", inputSchema: { json: { type: "object", properties: {} } } } },
        ],
        toolChoice: { auto: {} },
      });
      const choice = completion.choices[0]!;
      assert.equal(choice.finish_reason, "tool_calls");
      assert.deepEqual(
        choice.message.tool_calls!.map((c) => [c.function.name, JSON.parse(c.function.arguments)]),
        [["get_weather", { city: "Paris" }], ["get_time", {}]],
      );
      assert.ok(choice.message.tool_calls!.every((c) => c.id.length > 0 && c.type === "function"));
    }
  });

  it("maps toolChoice any and a named tool", async () => {
    await invokeWith(converseProtocol, harness, NOVA, [{ role: "user", content: "hi" }], { tools: [weather, time], toolChoice: "any" });
    assert.deepEqual(lastBody(harness)["toolConfig"].toolChoice, { any: {} });
    const named = await invokeWith(converseProtocol, harness, NOVA, [{ role: "user", content: "hi" }], { tools: [weather, time], toolChoice: { type: "function", function: { name: "get_time" } } });
    assert.deepEqual(lastBody(harness)["toolConfig"].toolChoice, { tool: { name: "get_time" } });
    assert.equal(named.choices[0]!.message.tool_calls![0]!.function.name, "get_time");
  });

  it("sends a tool-call round trip as toolUse / toolResult blocks", async () => {
    const completion = await invokeWith(
      converseProtocol,
      harness,
      NOVA,
      [
        { role: "user", content: "call get_weather" },
        { role: "assistant", content: "", tool_calls: [{ id: "t1", type: "function", function: { name: "get_weather", arguments: '{"city":"Oslo"}' } }] },
        { role: "tool", tool_call_id: "t1", content: "sunny" },
      ],
      { tools: [weather] },
    );
    assert.deepEqual(lastBody(harness)["messages"].slice(1), [
      { role: "assistant", content: [{ toolUse: { toolUseId: "t1", name: "get_weather", input: { city: "Oslo" } } }] },
      { role: "user", content: [{ toolResult: { toolUseId: "t1", content: [{ text: "sunny" }] } }] },
    ]);
    assert.equal(completion.choices[0]!.finish_reason, "stop");
  });

  it("accepts a history with tool blocks when no tools are offered (or toolChoice none): blocks go as text, no toolConfig", async () => {
    const history = [
      { role: "user" as const, content: "weather?" },
      { role: "assistant" as const, content: null, tool_calls: [{ id: "t9", type: "function" as const, function: { name: "get_weather", arguments: "{}" } }] },
      { role: "tool" as const, tool_call_id: "t9", content: "rain" },
      { role: "user" as const, content: "thanks, summarise" },
    ];
    for (const options of [{}, { tools: [weather], toolChoice: "none" as const }]) {
      const completion = await invokeWith(converseProtocol, harness, NOVA, history, options);
      const body = lastBody(harness);
      assert.equal(body["toolConfig"], undefined);
      const blocks = JSON.stringify(body["messages"]);
      assert.ok(!blocks.includes("toolUse") && !blocks.includes("toolResult"));
      assert.ok(blocks.includes("[tool call get_weather (id t9)") && blocks.includes("[tool result for t9: rain]"));
      assert.equal(completion.choices[0]!.finish_reason, "stop");
    }
  });

  it("sends any model id as given, with no allow-list", async () => {
    const id = "arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/abcdef123";
    await invokeWith(converseProtocol, harness, id, [{ role: "user", content: "hi" }]);
    assert.equal(harness.emulator.requests.at(-1)!.modelId, id);
  });
});
