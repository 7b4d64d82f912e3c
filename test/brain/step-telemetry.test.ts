import assert from "node:assert/strict";
import { after, afterEach, before, describe, it } from "node:test";
import { SpanKind, SpanStatusCode } from "@opentelemetry/api";
import type { ReadableSpan } from "@opentelemetry/sdk-trace-base";
import { Brain, tool } from "../../src/brain/index.js";
import { onlySpan, registerOtel, type OtelHarness } from "../providers/telemetry/otel-fixture.js";
import { emulatedModel, MODEL, type EmulatedModel } from "./brain-fixture.js";

const js = (code: string) => ({ text: `Here is the code.\n\`\`\`js\n${code}\n\`\`\`` });

const SCRIPT = {
  rules: [
    { match: { toolResult: "get_weather" }, respond: { text: "Sunny in both." } },
    { match: { text: "weather" }, respond: { text: "Checking.", toolCalls: [{ name: "get_weather", input: { city: "Paris" } }, { name: "get_weather", input: { city: "Oslo" } }] } },
    { match: { anyText: "compute with a tool" }, respond: js("const w = await get_weather({ city: 'Lima' });\nfinalAnswer(w.sky);") },
    { match: { anyText: "broken tool" }, sequence: [js("await explode({})"), js("finalAnswer('saw the error')")] },
  ],
};

const parentOf = (span: ReadableSpan) => span.parentSpanContext?.spanId;
const idOf = (span: ReadableSpan) => span.spanContext().spanId;

describe("Brain steps as spans: model calls and tool calls nested under the step", () => {
  let otel: OtelHarness;
  let model: EmulatedModel;
  let brain: Brain;
  before(async () => {
    otel = registerOtel();
    model = await emulatedModel(SCRIPT);
    const weather = tool({ name: "get_weather", parameters: { type: "object", properties: { city: { type: "string" } } }, execute: (args: { city: string }) => ({ ...args, sky: "sunny" }) });
    const explode = tool({ name: "explode", execute: () => { throw new Error("the tool broke"); } });
    brain = new Brain({ llm: model.provider, tools: [weather, explode] });
  });
  afterEach(() => otel.reset());
  after(async () => {
    await brain.close();
    await model.close();
    await otel.shutdown();
  });

  it("react: one invoke_agent span; both chat calls and both tool calls are its children", async () => {
    const result = await brain.step({ query: "weather in Paris and Oslo?", route: "react" });
    assert.equal(result.output, "Sunny in both.");
    const spans = otel.spans();
    const step = onlySpan(spans, "invoke_agent minion.brain");
    assert.equal(step.kind, SpanKind.INTERNAL);
    assert.equal(step.attributes["gen_ai.operation.name"], "invoke_agent");
    assert.equal(step.attributes["minion.brain.route"], "react");
    assert.equal(step.attributes["gen_ai.usage.input_tokens"], result.usage.promptTokens);
    assert.equal(step.attributes["gen_ai.usage.output_tokens"], result.usage.completionTokens);
    const chats = spans.filter((span) => span.name === `chat ${MODEL}`);
    const tools = spans.filter((span) => span.name === "execute_tool get_weather");
    assert.equal(chats.length, 2);
    assert.equal(tools.length, 2);
    for (const child of [...chats, ...tools]) {
      assert.equal(parentOf(child), idOf(step), `${child.name} is a child of the step`);
      assert.equal(child.spanContext().traceId, step.spanContext().traceId);
    }
    const toolCallIds = result.steps.flatMap((s) => (s.type === "tool" ? [s.id] : []));
    assert.deepEqual(tools.map((span) => span.attributes["gen_ai.tool.call.id"]).sort(), toolCallIds.sort());
    assert.equal(tools[0]!.attributes["gen_ai.tool.name"], "get_weather");
    assert.equal(tools[0]!.attributes["gen_ai.operation.name"], "execute_tool");
    assert.ok(!JSON.stringify(tools.map((span) => span.attributes)).includes("Paris"), "tool arguments are not recorded");
  });

  it("code: the tool called from the sandbox is a child of the step too", async () => {
    const result = await brain.step({ query: "compute with a tool", route: "code" });
    assert.equal(result.output, "sunny");
    const spans = otel.spans();
    const step = onlySpan(spans, "invoke_agent minion.brain");
    const toolSpan = onlySpan(spans, "execute_tool get_weather");
    assert.equal(parentOf(toolSpan), idOf(step));
    assert.equal(parentOf(onlySpan(spans, `chat ${MODEL}`)), idOf(step));
  });

  it("a tool that throws: its span is an error, the step goes on and ends well", async () => {
    const result = await brain.step({ query: "broken tool", route: "code" });
    assert.equal(result.output, "saw the error");
    const spans = otel.spans();
    const failed = onlySpan(spans, "execute_tool explode");
    assert.equal(failed.status.code, SpanStatusCode.ERROR);
    assert.equal(failed.attributes["error.type"], "Error");
    assert.equal(onlySpan(spans, "invoke_agent minion.brain").status.code, SpanStatusCode.UNSET);
  });

  it("a step that fails ends its span with the error", async () => {
    await assert.rejects(brain.step({ query: "weather?", route: "react", signal: AbortSignal.abort() }), { name: "AbortError" });
    const step = onlySpan(otel.spans(), "invoke_agent minion.brain");
    assert.equal(step.status.code, SpanStatusCode.ERROR);
    assert.equal(step.attributes["error.type"], "AbortError");
  });
});
