import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { createPlanner, type ScriptInput } from "../../../src/emulator/model/index.js";
import type { AnswerBlock } from "../../../src/emulator/answer-plan.js";
import { anthropicBody, asAnswer, asError, converseBody, request, textOf, CLAUDE, NOVA } from "./helpers.js";

const tools = [{ name: "get_weather", input_schema: { type: "object" } }];
const toolConfig = { tools: [{ toolSpec: { name: "get_weather", inputSchema: { json: { type: "object" } } } }] };

function planner(script: ScriptInput) {
  return createPlanner({ script });
}

function toolUses(blocks: AnswerBlock[]) {
  return blocks.flatMap((block) => (block.type === "tool_use" ? [block] : []));
}

describe("scripts", () => {
  it("answers with scripted text when the last user message contains the substring", async () => {
    const plan = planner([{ match: { text: "capital of France" }, respond: { text: "Paris." } }]);
    const hit = asAnswer(await plan(request("InvokeModel", anthropicBody({}, "What is the capital of France?"))));
    assert.equal(textOf(hit), "Paris.");
    assert.equal(hit.stopReason, "end_turn");
    const miss = asAnswer(await plan(request("InvokeModel", anthropicBody({}, "What is the capital of Spain?"))));
    assert.match(textOf(miss), /built-in model/);
  });

  it("matches a regex, in /pattern/flags form or bare", async () => {
    const plan = planner([
      { match: { regex: "/^order #\\d+$/i" }, respond: { text: "Order found." } },
      { match: { regex: "colou?r" }, respond: { text: "Blue." } },
    ]);
    assert.equal(textOf(asAnswer(await plan(request("Converse", converseBody({}, "ORDER #42"))))), "Order found.");
    assert.equal(textOf(asAnswer(await plan(request("Converse", converseBody({}, "favourite color?"))))), "Blue.");
  });

  it("matches on model (exact, base id of a profile, or glob) and operation", async () => {
    const plan = planner([
      { match: { model: CLAUDE, operation: "ConverseStream" }, respond: { text: "claude stream" } },
      { match: { model: "amazon.nova-*" }, respond: { text: "nova" } },
    ]);
    assert.equal(textOf(asAnswer(await plan(request("ConverseStream", converseBody(), `us.${CLAUDE}`)))), "claude stream");
    assert.match(textOf(asAnswer(await plan(request("Converse", converseBody(), CLAUDE)))), /built-in/);
    assert.equal(textOf(asAnswer(await plan(request("Converse", converseBody(), NOVA)))), "nova");
  });

  it("matches anyText anywhere in the conversation, including tool results, and toolResult by tool name", async () => {
    const plan = planner([
      { match: { toolResult: "get_weather", anyText: "21C" }, respond: { text: "It is 21C." } },
      { match: { toolResult: true }, respond: { text: "Some tool answered." } },
    ]);
    const history = (result: string) => ({
      toolConfig,
      messages: [
        { role: "user", content: [{ text: "weather?" }] },
        { role: "assistant", content: [{ toolUse: { toolUseId: "t1", name: "get_weather", input: {} } }] },
        { role: "user", content: [{ toolResult: { toolUseId: "t1", content: [{ text: result }] } }] },
      ],
    });
    assert.equal(textOf(asAnswer(await plan(request("Converse", history("21C"))))), "It is 21C.");
    assert.equal(textOf(asAnswer(await plan(request("Converse", history("rain"))))), "Some tool answered.");
  });

  it("drives an agent loop with a sequence: tool call first, final answer next, then falls back", async () => {
    const plan = planner([
      {
        match: { text: "weather" },
        sequence: [{ toolCalls: [{ name: "get_weather", input: { city: "Paris" } }] }, { text: "Sunny in Paris." }],
      },
    ]);
    const first = asAnswer(await plan(request("InvokeModel", anthropicBody({ tools }, "weather in Paris?"))));
    assert.equal(first.stopReason, "tool_use");
    assert.deepEqual(toolUses(first.blocks).map((call) => [call.name, call.input]), [["get_weather", { city: "Paris" }]]);
    const second = asAnswer(await plan(request("InvokeModel", anthropicBody({ tools }, "weather in Paris?"))));
    assert.equal(textOf(second), "Sunny in Paris.");
    const third = asAnswer(await plan(request("InvokeModel", anthropicBody({ tools }, "weather in Paris?"))));
    assert.match(textOf(third), /built-in model/);
  });

  it("loops a sequence when asked", async () => {
    const plan = planner([{ sequence: [{ text: "A" }, { text: "B" }], loop: true }]);
    const answers: string[] = [];
    for (let i = 0; i < 5; i++) answers.push(textOf(asAnswer(await plan(request("InvokeModel", anthropicBody())))));
    assert.deepEqual(answers, ["A", "B", "A", "B", "A"]);
  });

  it("applies a rule at most `times` times, then the next rule matches", async () => {
    const plan = planner([
      { match: { text: "hi" }, respond: { text: "first" }, times: 2 },
      { respond: { text: "later" } },
    ]);
    const answers: string[] = [];
    for (let i = 0; i < 3; i++) answers.push(textOf(asAnswer(await plan(request("InvokeModel", anthropicBody({}, "hi"))))));
    assert.deepEqual(answers, ["first", "first", "later"]);
  });

  it("answers with a scripted error, defaulting status and message from the error name", async () => {
    const plan = planner([
      { match: { text: "busy" }, respond: { error: { name: "ThrottlingException" } } },
      { match: { text: "broken" }, respond: { error: { name: "ModelErrorException", message: "The model crashed.", status: 424 } } },
    ]);
    const throttled = asError(await plan(request("InvokeModel", anthropicBody({}, "busy"))));
    assert.deepEqual([throttled.name, throttled.status, throttled.retryAfterSeconds], ["ThrottlingException", 429, 1]);
    const broken = asError(await plan(request("Converse", converseBody({}, "broken"))));
    assert.deepEqual([broken.name, broken.status, broken.message], ["ModelErrorException", 424, "The model crashed."]);
  });

  it("still validates before scripts: a bad body gets its ValidationException", async () => {
    const plan = planner([{ respond: { text: "never" } }]);
    const error = asError(await plan(request("InvokeModel", { max_tokens: 1 })));
    assert.equal(error.name, "ValidationException");
  });

  it("applies max_tokens, stop sequences, thinking, usage overrides and timing to scripted answers", async () => {
    const plan = planner([
      { match: { text: "long" }, respond: { text: "0123456789abcdef", firstByteLatencyMs: 50, chunkDelayMs: 5, chunksPerAnswer: 3 } },
      { match: { text: "think" }, respond: { thinking: "pondering", text: "done", usage: { outputTokens: 999 }, stopReason: "end_turn" } },
    ]);
    const long = asAnswer(await plan(request("InvokeModel", anthropicBody({ max_tokens: 2 }, "long"))));
    assert.equal(textOf(long), "01234567");
    assert.equal(long.stopReason, "max_tokens");
    assert.deepEqual(long.timing, { firstByteLatencyMs: 50, chunkDelayMs: 5, chunksPerAnswer: 3 });
    const think = asAnswer(await plan(request("InvokeModel", anthropicBody({}, "think"))));
    assert.deepEqual(think.blocks.map((block) => block.type), ["thinking", "text"]);
    assert.equal(think.usage.outputTokens, 999);
  });

  it("takes latency and chunk defaults from the script, with explicit options winning", async () => {
    const script = { defaults: { firstByteLatencyMs: 10, chunkDelayMs: 2, chunksPerAnswer: 4 }, rules: [] };
    const fromScript = asAnswer(await createPlanner({ script })(request("InvokeModel", anthropicBody())));
    assert.deepEqual(fromScript.timing, { firstByteLatencyMs: 10, chunkDelayMs: 2, chunksPerAnswer: 4 });
    const overridden = asAnswer(await createPlanner({ script, chunksPerAnswer: 16 })(request("InvokeModel", anthropicBody())));
    assert.deepEqual(overridden.timing, { firstByteLatencyMs: 10, chunkDelayMs: 2, chunksPerAnswer: 16 });
  });

  it("keeps scripted tool-call ids when given", async () => {
    const plan = planner([{ respond: { toolCalls: [{ name: "get_weather", id: "toolu_fixed" }, { name: "get_weather", input: { a: 1 } }] } }]);
    const answer = asAnswer(await plan(request("InvokeModel", anthropicBody({ tools }))));
    const calls = toolUses(answer.blocks);
    assert.equal(calls[0]?.id, "toolu_fixed");
    assert.deepEqual(calls[0]?.input, {});
    assert.match(calls[1]?.id ?? "", /^toolu_bdrk_01/);
  });

  it("sends the default Retry-After with scripted throttling unless the rule gives one", async () => {
    const script = {
      defaults: { retryAfterSeconds: 4 },
      rules: [
        { match: { text: "a" }, respond: { error: { name: "ThrottlingException" as const } } },
        { match: { text: "b" }, respond: { error: { name: "ThrottlingException" as const }, retryAfterSeconds: 9 } },
      ],
    };
    const plan = createPlanner({ script });
    assert.equal(asError(await plan(request("InvokeModel", anthropicBody({}, "a")))).retryAfterSeconds, 4);
    assert.equal(asError(await plan(request("InvokeModel", anthropicBody({}, "b")))).retryAfterSeconds, 9);
  });
});
