import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { GREETING } from "../../../src/emulator/model/index.js";
import type { AnswerBlock } from "../../../src/emulator/answer-plan.js";
import { anthropicBody, asAnswer, converseBody, planOnce, textOf, NOVA } from "./helpers.js";

const schema = { type: "object", properties: {} };
const tools = [
  { name: "get_weather", description: "Weather", input_schema: schema },
  { name: "get_time", description: "Time", input_schema: schema },
];
const toolConfig = { tools: tools.map((tool) => ({ toolSpec: { name: tool.name, description: tool.description, inputSchema: { json: schema } } })) };

function toolUses(blocks: AnswerBlock[]) {
  return blocks.flatMap((block) => (block.type === "tool_use" ? [block] : []));
}

describe("tool-use convention", () => {
  it("calls a tool named by `call <name>` with the JSON arguments that follow", async () => {
    const plan = asAnswer(await planOnce("InvokeModel", anthropicBody({ tools }, 'Please call get_weather {"city":"Paris","days":2}')));
    assert.equal(plan.stopReason, "tool_use");
    assert.deepEqual(plan.blocks[0], { type: "text", text: "I will call get_weather." });
    const [call] = toolUses(plan.blocks);
    assert.equal(call?.name, "get_weather");
    assert.deepEqual(call?.input, { city: "Paris", days: 2 });
    assert.match(call?.id ?? "", /^toolu_bdrk_01[A-Za-z0-9]{22}$/);
  });

  it("makes parallel calls for several phrases, including calls without arguments", async () => {
    const plan = asAnswer(await planOnce("Converse", converseBody({ toolConfig }, 'call get_time then call get_weather {"city":"Oslo"}'), NOVA));
    const calls = toolUses(plan.blocks);
    assert.deepEqual(
      calls.map((call) => [call.name, call.input]),
      [
        ["get_time", {}],
        ["get_weather", { city: "Oslo" }],
      ],
    );
    assert.match(calls[0]?.id ?? "", /^tooluse_/);
    assert.notEqual(calls[0]?.id, calls[1]?.id);
  });

  it("gives the same ids to the same request", async () => {
    const body = anthropicBody({ tools }, "call get_time");
    const first = asAnswer(await planOnce("InvokeModel", body));
    const second = asAnswer(await planOnce("InvokeModel", body));
    assert.deepEqual(toolUses(first.blocks), toolUses(second.blocks));
  });

  it("ignores phrases naming tools that are not offered, and never calls without tools", async () => {
    const plan = asAnswer(await planOnce("InvokeModel", anthropicBody({ tools }, "call launch_rocket")));
    assert.equal(toolUses(plan.blocks).length, 0);
    assert.equal(plan.stopReason, "end_turn");
    const noTools = asAnswer(await planOnce("InvokeModel", anthropicBody({}, "call get_weather")));
    assert.equal(toolUses(noTools.blocks).length, 0);
  });

  it("follows tool_choice: any calls the first tool, a named tool is called, none never calls", async () => {
    const any = asAnswer(await planOnce("InvokeModel", anthropicBody({ tools, tool_choice: { type: "any" } }, "hello")));
    assert.deepEqual(any.blocks.map((block) => block.type), ["tool_use"]);
    assert.equal(toolUses(any.blocks)[0]?.name, "get_weather");
    const named = asAnswer(await planOnce("InvokeModel", anthropicBody({ tools, tool_choice: { type: "tool", name: "get_time" } }, "hello")));
    assert.equal(toolUses(named.blocks)[0]?.name, "get_time");
    const none = asAnswer(await planOnce("InvokeModel", anthropicBody({ tools, tool_choice: { type: "none" } }, "call get_time")));
    assert.equal(toolUses(none.blocks).length, 0);
  });

  it("answers a tool result with text that reports it", async () => {
    const body = anthropicBody({
      tools,
      messages: [
        { role: "user", content: "call get_weather" },
        { role: "assistant", content: [{ type: "tool_use", id: "toolu_1", name: "get_weather", input: {} }] },
        { role: "user", content: [{ type: "tool_result", tool_use_id: "toolu_1", content: '{"temp":21}' }] },
      ],
    });
    const plan = asAnswer(await planOnce("InvokeModel", body));
    assert.equal(textOf(plan), `${GREETING} The tool get_weather returned: {"temp":21}`);
    assert.equal(plan.stopReason, "end_turn");
  });

  it("reports Converse tool errors and JSON results", async () => {
    const body = {
      toolConfig,
      messages: [
        { role: "user", content: [{ text: "call get_weather and call get_time" }] },
        {
          role: "assistant",
          content: [
            { toolUse: { toolUseId: "a", name: "get_weather", input: {} } },
            { toolUse: { toolUseId: "b", name: "get_time", input: {} } },
          ],
        },
        {
          role: "user",
          content: [
            { toolResult: { toolUseId: "a", content: [{ json: { temp: 3 } }] } },
            { toolResult: { toolUseId: "b", content: [{ text: "clock broken" }], status: "error" } },
          ],
        },
      ],
    };
    const plan = asAnswer(await planOnce("Converse", body));
    assert.equal(textOf(plan), `${GREETING} The tool get_weather returned: {"temp":3} The tool get_time failed: clock broken`);
  });

  it("drops a tool call that does not fit in max_tokens", async () => {
    const plan = asAnswer(await planOnce("InvokeModel", anthropicBody({ tools, max_tokens: 8 }, 'call get_weather {"city":"a very long city name indeed"}')));
    assert.equal(plan.stopReason, "max_tokens");
    assert.equal(toolUses(plan.blocks).length, 0);
  });

  it("makes only the first call when parallel tool use is disabled", async () => {
    const body = anthropicBody({ tools, tool_choice: { type: "auto", disable_parallel_tool_use: true } }, "call get_time and call get_weather");
    const plan = asAnswer(await planOnce("InvokeModel", body));
    assert.deepEqual(toolUses(plan.blocks).map((call) => call.name), ["get_time"]);
  });
});
