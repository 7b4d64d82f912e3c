import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { z } from "zod";
import { Brain, tool, type ToolTraceStep } from "../../../src/brain/index.js";
import { bodyOf, emulatedModel, type Block, type EmulatedModel } from "../brain-fixture.js";

const SCRIPT = {
  rules: [
    { match: { toolResult: "flaky" }, respond: { text: "The tool failed, sorry." } },
    { match: { toolResult: "get_weather" }, respond: { text: "It is 21°C and sunny in Paris; the local time is 12:00." } },
    {
      match: { text: "weather and time" },
      respond: { text: "Let me look both up.", toolCalls: [{ name: "get_weather", input: { city: "Paris" } }, { name: "get_time", input: { zone: "Europe/Paris" } }] },
    },
    { match: { text: "use the flaky tool" }, respond: { toolCalls: [{ name: "flaky", input: {} }, { name: "get_weather", input: { town: 3 } }] } },
    { match: { anyText: "never stop calling tools" }, respond: { toolCalls: [{ name: "get_time", input: { zone: "UTC" } }] } },
  ],
};

describe("react route against the emulator", () => {
  let model: EmulatedModel;
  let brain: Brain;
  let inFlight = 0;
  let maxInFlight = 0;

  const track = async <T>(value: T): Promise<T> => {
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    await new Promise((resolve) => setTimeout(resolve, 20));
    inFlight--;
    return value;
  };

  before(async () => {
    model = await emulatedModel(SCRIPT);
    brain = new Brain({
      llm: model.provider,
      tools: [
        tool({
          name: "get_weather",
          description: "Current weather of a city",
          parameters: z.object({ city: z.string() }),
          execute: ({ city }) => track({ city, tempC: 21, sky: "sunny" }),
        }),
        tool({
          name: "get_time",
          description: "Local time in a time zone",
          parameters: { type: "object", properties: { zone: { type: "string" } }, required: ["zone"] },
          execute: () => track("12:00"),
        }),
        tool({ name: "flaky", execute: () => { throw new Error("backend unavailable"); } }),
      ],
    });
  });
  after(() => model.close());

  it("runs two tools asked for in parallel, concurrently, and sends their results back as tool_result blocks", async () => {
    model.emulator.clearRequests();
    const result = await brain.step({ query: "What are the weather and time in Paris?", route: "react" });

    assert.equal(result.output, "It is 21°C and sunny in Paris; the local time is 12:00.");
    assert.equal(result.outcome, "final");
    assert.equal(result.route, "react");
    assert.equal(maxInFlight, 2, "both tools ran at the same time");
    assert.deepEqual(
      result.steps.map((step) => step.type),
      ["model", "tool", "tool", "model"],
    );
    const [first, weather, time] = result.steps as [any, ToolTraceStep, ToolTraceStep];
    assert.equal(first.text, "Let me look both up.");
    assert.deepEqual(first.toolCalls.map((call: any) => [call.name, call.args]), [["get_weather", { city: "Paris" }], ["get_time", { zone: "Europe/Paris" }]]);
    assert.deepEqual([weather.name, weather.args, weather.result], ["get_weather", { city: "Paris" }, { city: "Paris", tempC: 21, sky: "sunny" }]);
    assert.deepEqual([time.name, time.result], ["get_time", "12:00"]);
    assert.ok(result.usage.totalTokens > 0);
    assert.equal(result.usage.totalTokens, result.usage.promptTokens + result.usage.completionTokens);
    assert.ok(result.cost > 0);

    assert.equal(model.emulator.requests.length, 2);
    const firstBody = bodyOf(model.emulator, 0);
    assert.deepEqual(firstBody.tools?.map((t: Block) => t.name), ["get_weather", "get_time", "flaky"]);
    assert.deepEqual(firstBody.tools?.[0]?.input_schema.properties, { city: { type: "string" } });
    const second = bodyOf(model.emulator, 1);
    const assistant = second.messages.at(-2)!;
    const toolUses = (assistant.content as Block[]).filter((block) => block.type === "tool_use");
    assert.deepEqual(toolUses.map((block) => block.name), ["get_weather", "get_time"]);
    const results = (second.messages.at(-1)!.content as Block[]).filter((block) => block.type === "tool_result");
    assert.deepEqual(results.map((block) => block.tool_use_id), toolUses.map((block) => block.id));
    assert.deepEqual(results.map((block) => resultText(block)), ['{"city":"Paris","tempC":21,"sky":"sunny"}', "12:00"]);
    assert.equal(weather.id, toolUses[0]!.id);
  });

  it("gives tool errors and invalid arguments back to the model as error results instead of failing", async () => {
    model.emulator.clearRequests();
    const result = await brain.step({ query: "Please use the flaky tool", route: "react" });
    assert.equal(result.output, "The tool failed, sorry.");
    const tools = result.steps.filter((step): step is ToolTraceStep => step.type === "tool");
    assert.equal(tools[0]?.error, "backend unavailable");
    assert.match(tools[1]?.error ?? "", /Invalid arguments for tool "get_weather"/);
    const sent = (bodyOf(model.emulator).messages.at(-1)!.content as Block[]).map((block) => resultText(block));
    assert.equal(sent[0], "Error: backend unavailable");
    assert.match(sent[1] ?? "", /^Error: Invalid arguments for tool "get_weather"/);
  });

  it("stops after maxSteps model calls with outcome max_steps", async () => {
    model.emulator.clearRequests();
    const result = await brain.step({ query: "never stop calling tools", route: "react", maxSteps: 3 });
    assert.equal(result.outcome, "max_steps");
    assert.equal(model.emulator.requests.length, 3);
    assert.equal(result.steps.filter((step) => step.type === "model").length, 3);
    assert.equal(result.steps.filter((step) => step.type === "tool").length, 3);
  });

  it("answers directly when the model calls no tool (built-in model)", async () => {
    const result = await brain.step({ query: "just say hi", route: "react" });
    assert.equal(result.outcome, "final");
    assert.match(result.output, /You said: just say hi/);
    assert.equal(result.steps.length, 1);
  });
});

function resultText(block: Block): string {
  if (typeof block.content === "string") return block.content;
  return (block.content as Block[]).map((part) => part.text as string).join("");
}

describe("react route: tool arguments from the model are untrusted JSON", () => {
  // A "__proto__" key parsed by JSON.parse is an own property: Object.assign would then set the target's
  // prototype to what the model chose. The code route drops such keys; so must react.
  const hostile = JSON.parse('{"__proto__": {"isAdmin": true}, "user": "mallory"}') as Record<string, unknown>;
  let deep: unknown = {};
  for (let i = 0; i < 300; i++) deep = { a: deep };
  let model: EmulatedModel;

  before(async () => {
    model = await emulatedModel({
      rules: [
        { match: { toolResult: "configure" }, respond: { text: "configured" } },
        { match: { anyText: "configure me" }, respond: { toolCalls: [{ name: "configure", input: { options: hostile } }, { name: "configure", input: { deep } }] } },
      ],
    });
  });
  after(() => model.close());

  it("a nested __proto__ key is dropped, and arguments nested too deep reach the tool as text, not as a value", async () => {
    const seen: unknown[] = [];
    const brain = new Brain({
      llm: model.provider,
      tools: [
        tool({
          name: "configure",
          execute: (args: Record<string, unknown>) => {
            seen.push(args);
            const merged: Record<string, unknown> = Object.assign({}, args["options"]);
            return merged["isAdmin"] === true;
          },
        }),
      ],
    });
    const result = await brain.step({ query: "configure me", route: "react" });
    assert.equal(result.output, "configured");
    const [options, tooDeep] = seen as [Record<string, Record<string, unknown>>, unknown];
    assert.deepEqual(Object.keys(options.options!), ["user"]);
    assert.equal(Object.getPrototypeOf(options.options), Object.prototype);
    assert.equal(typeof tooDeep, "string");
    const tools = result.steps.filter((step): step is ToolTraceStep => step.type === "tool");
    assert.deepEqual(tools.map((step) => step.result), [false, false]);
  });
});
