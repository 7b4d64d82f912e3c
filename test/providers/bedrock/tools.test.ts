import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { Emulator } from "../../../src/emulator/index.js";
import type { StreamEvent, ToolDefinition } from "../../../src/providers/llm-provider.js";
import type { BedrockAsyncProvider } from "../../../src/providers/bedrock/index.js";
import { InvalidRequestError } from "../../../src/schema/errors.js";
import { bodyOf, collect, emulatorWith, providerFor } from "./emulator-fixture.js";

const WEATHER: ToolDefinition = {
  type: "function",
  function: { name: "get_weather", description: "Current weather of a city", parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"] } },
};
const TIME: ToolDefinition = { type: "function", function: { name: "get_time", parameters: { type: "object", properties: {} } } };
const TOOLS = [WEATHER, TIME];

describe("tool calling", () => {
  let emulator: Emulator;
  let provider: BedrockAsyncProvider;

  before(async () => {
    emulator = await emulatorWith();
    provider = providerFor(emulator);
  });
  after(async () => {
    await provider.close();
    await emulator.close();
  });

  it("sends OpenAI tools as Anthropic tools and returns a tool call", async () => {
    const completion = await provider.generateStreamResponse([{ role: "user", content: 'call get_weather {"city":"Paris"}' }], { tools: TOOLS });
    const body = bodyOf(emulator);
    assert.deepEqual(body.tools, [
      { name: "get_weather", description: "Current weather of a city", input_schema: WEATHER.function.parameters },
      { name: "get_time", input_schema: { type: "object", properties: {} } },
    ]);
    assert.ok(!("tool_choice" in body));
    const choice = completion.choices[0]!;
    assert.equal(choice.finish_reason, "tool_calls");
    assert.equal(completion.stop_reason, "tool_use");
    assert.equal(choice.message.tool_calls!.length, 1);
    const call = choice.message.tool_calls![0]!;
    assert.equal(call.type, "function");
    assert.equal(call.function.name, "get_weather");
    assert.deepEqual(JSON.parse(call.function.arguments), { city: "Paris" });
    assert.match(call.id, /^toolu_/);
  });

  it("assembles parallel and no-argument calls from a stream, with events in order", async () => {
    const events: StreamEvent[] = await collect(
      provider.streamEvents([{ role: "user", content: 'call get_weather {"city":"Paris"} and call get_time and call get_weather {"city":"Oslo"}' }], { tools: TOOLS }),
    );
    const calls = events.flatMap((event) => (event.type === "tool_call" ? [event] : []));
    assert.deepEqual(
      calls.map((event) => [event.index, event.toolCall.function.name, JSON.parse(event.toolCall.function.arguments)]),
      [
        [0, "get_weather", { city: "Paris" }],
        [1, "get_time", {}],
        [2, "get_weather", { city: "Oslo" }],
      ],
    );
    assert.equal(calls[1]!.toolCall.function.arguments, "{}");
    const starts = events.filter((event) => event.type === "tool_call_start");
    assert.equal(starts.length, 3);
    const deltas = events.filter((event) => event.type === "tool_call_delta" && event.index === 0).map((event) => (event as { argumentsDelta: string }).argumentsDelta);
    assert.equal(deltas.join(""), calls[0]!.toolCall.function.arguments);
    const finish = events.at(-1)!;
    assert.ok(finish.type === "finish");
    assert.equal(finish.completion.choices[0]!.finish_reason, "tool_calls");
    assert.deepEqual(finish.completion.choices[0]!.message.tool_calls, calls.map((event) => event.toolCall));
  });

  it("generate (InvokeModel) also works with tools: text is returned, calls are in generateStreamResponse", async () => {
    const text = await provider.generate([{ role: "user", content: "call get_time" }], { tools: TOOLS });
    assert.equal(text, "I will call get_time.");
    assert.equal(emulator.requests.at(-1)!.operation, "InvokeModel");
  });

  it("maps toolChoice auto, any/required, a named tool and none", async () => {
    const cases: [unknown, unknown][] = [
      ["auto", { type: "auto" }],
      ["any", { type: "any" }],
      ["required", { type: "any" }],
      [{ type: "function", function: { name: "get_time" } }, { type: "tool", name: "get_time" }],
      ["none", { type: "none" }],
    ];
    for (const [toolChoice, expected] of cases) {
      await provider.generate([{ role: "user", content: "what time is it" }], { tools: TOOLS, toolChoice: toolChoice as never });
      assert.deepEqual(bodyOf(emulator).tool_choice, expected);
    }
    const forced = await provider.generateStreamResponse([{ role: "user", content: "no phrase here" }], { tools: TOOLS, toolChoice: { type: "function", function: { name: "get_time" } } });
    assert.equal(forced.choices[0]!.message.tool_calls![0]!.function.name, "get_time");
  });

  it("rejects bad tools and choices before sending", async () => {
    const before = emulator.requests.length;
    const bad: [unknown, unknown, RegExp][] = [
      [[{ type: "function", function: { name: "bad name!" } }], undefined, /tool name/],
      [[{ name: "get_time" }], undefined, /must be \{type: "function"/],
      [TOOLS, { type: "function", function: { name: "nope" } }, /not one of the tools/],
      [undefined, "any", /needs tools/],
    ];
    for (const [tools, toolChoice, pattern] of bad) {
      await assert.rejects(provider.generate([{ role: "user", content: "x" }], { tools: tools as never, toolChoice: toolChoice as never }), (error: Error) => error instanceof InvalidRequestError && pattern.test(error.message));
    }
    assert.equal(emulator.requests.length, before);
  });

  it("round-trips a history with assistant tool_calls and tool results", async () => {
    const first = await provider.generateStreamResponse([{ role: "user", content: 'call get_weather {"city":"Paris"} and call get_time' }], { tools: TOOLS });
    const message = first.choices[0]!.message;
    const history = [
      { role: "user" as const, content: 'call get_weather {"city":"Paris"} and call get_time' },
      { role: "assistant" as const, content: message.content, tool_calls: message.tool_calls! },
      { role: "tool" as const, tool_call_id: message.tool_calls![0]!.id, content: "Sunny, 21 C" },
      { role: "tool" as const, toolCallId: message.tool_calls![1]!.id, content: [{ type: "text" as const, text: "12:00" }] },
    ];
    const second = await provider.generateStreamResponse(history, { tools: TOOLS });
    const body = bodyOf(emulator);
    assert.deepEqual(body.messages[1], {
      role: "assistant",
      content: [
        { type: "text", text: "I will call get_weather and get_time." },
        { type: "tool_use", id: message.tool_calls![0]!.id, name: "get_weather", input: { city: "Paris" } },
        { type: "tool_use", id: message.tool_calls![1]!.id, name: "get_time", input: {} },
      ],
    });
    assert.deepEqual(body.messages[2], {
      role: "user",
      content: [
        { type: "tool_result", tool_use_id: message.tool_calls![0]!.id, content: "Sunny, 21 C" },
        { type: "tool_result", tool_use_id: message.tool_calls![1]!.id, content: "12:00" },
      ],
    });
    assert.equal(second.choices[0]!.finish_reason, "stop");
    assert.match(second.choices[0]!.message.content!, /Sunny, 21 C/);
  });

  it("accepts a history with tool blocks when no tools are offered (sent as text)", async () => {
    const history = [
      { role: "user" as const, content: "weather?" },
      { role: "assistant" as const, content: null, tool_calls: [{ id: "toolu_1", type: "function" as const, function: { name: "get_weather", arguments: '{"city":"Paris"}' } }] },
      { role: "tool" as const, tool_call_id: "toolu_1", content: "Sunny" },
      { role: "user" as const, content: "Thanks, summarise." },
    ];
    const text = await provider.generate(history);
    assert.match(text, /Thanks, summarise\./);
    const body = bodyOf(emulator);
    assert.ok(!("tools" in body));
    assert.ok(!JSON.stringify(body.messages).includes('"tool_use"'));
    assert.deepEqual(body.messages[1].content, [{ type: "text", text: '[tool call get_weather (id toolu_1) with input {"city":"Paris"}]' }]);
    assert.equal(body.messages[2].content[0].text, "[tool result for toolu_1: Sunny]");
  });
});
