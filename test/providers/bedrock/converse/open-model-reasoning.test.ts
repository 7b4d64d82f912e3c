import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { Emulator } from "../../../../src/emulator/index.js";
import type { StreamEvent } from "../../../../src/providers/llm-provider.js";
import { InvalidRequestError } from "../../../../src/schema/errors.js";
import { collect, emulatorWith, providerFor } from "../emulator-fixture.js";
import { asAnswer, asError, converseBody, planOnce } from "../../../emulator/model/helpers.js";

const ASK = [{ role: "user" as const, content: "Is 17 prime?" }];

describe("reasoning on models other than Claude: each family's own field, thinking events, reasoning_content", () => {
  let emulator: Emulator;
  before(async () => (emulator = await emulatorWith()));
  after(() => emulator.close());

  async function reason(model: string, options: object): Promise<{ fields: unknown; events: StreamEvent[] }> {
    const provider = providerFor(emulator, { model });
    try {
      const events = await collect(provider.streamEvents(ASK, options));
      return { fields: (emulator.requests.at(-1)!.body as Record<string, unknown>).additionalModelRequestFields, events };
    } finally {
      await provider.close();
    }
  }

  function thinkingOf(events: StreamEvent[]): { streamed: string; final: string | undefined; text: string } {
    const streamed = events.flatMap((event) => (event.type === "thinking" ? [event.text] : [])).join("");
    const finish = events.find((event) => event.type === "finish");
    assert.ok(finish && finish.type === "finish");
    const message = finish.completion.choices[0]!.message;
    return { streamed, final: message.reasoning_content, text: String(message.content) };
  }

  it("Nova 2: reasoningConfig with maxReasoningEffort; its reasoning arrives redacted, as Nova 2 Lite sends it", async () => {
    const { fields, events } = await reason("us.amazon.nova-2-lite-v1:0", { effort: "high" });
    assert.deepEqual(fields, { reasoningConfig: { type: "enabled", maxReasoningEffort: "high" } });
    const thinking = thinkingOf(events);
    assert.equal(thinking.streamed, "[REDACTED]");
    assert.equal(thinking.final, "[REDACTED]");
    assert.match(thinking.text, /Is 17 prime\?/);
  });

  it("gpt-oss: reasoning_effort (thinking: true asks for medium); the reasoning streams and ends in reasoning_content", async () => {
    const medium = await reason("openai.gpt-oss-120b-1:0", { thinking: true });
    assert.deepEqual(medium.fields, { reasoning_effort: "medium" });
    const thinking = thinkingOf(medium.events);
    assert.equal(thinking.streamed, 'The user wrote: "Is 17 prime?". I should answer briefly and helpfully.');
    assert.equal(thinking.final, thinking.streamed);
    const low = await reason("openai.gpt-oss-20b-1:0", { effort: "low" });
    assert.deepEqual(low.fields, { reasoning_effort: "low" });
  });

  it("DeepSeek: V3 takes reasoning_effort; R1 always reasons and is sent no field", async () => {
    const v3 = await reason("deepseek.v3-v1:0", { effort: "high" });
    assert.deepEqual(v3.fields, { reasoning_effort: "high" });
    assert.ok(thinkingOf(v3.events).streamed.length > 0);
    const r1 = await reason("us.deepseek.r1-v1:0", {});
    assert.equal(r1.fields, undefined);
    assert.ok(thinkingOf(r1.events).final!.length > 0, "R1 reasons without being asked");
    const plain = await reason("deepseek.v3-v1:0", {});
    assert.equal(thinkingOf(plain.events).final, undefined, "no reasoning unless asked");
  });

  it("refuses, before sending, an effort the model cannot take or a value Bedrock would reject", async () => {
    const cases: Array<[string, object, RegExp]> = [
      ["anthropic.claude-3-5-haiku-20241022-v1:0", { effort: "high" }, /effort is not taken by anthropic\.claude-3-5-haiku.*use thinking: \{ budgetTokens \}/],
      ["meta.llama3-3-70b-instruct-v1:0", { effort: "low" }, /effort is not taken by meta\.llama3-3-70b-instruct-v1:0\. It is for Claude \(Opus 4\.5, Sonnet 4\.6 and later\), Amazon Nova 2, OpenAI gpt-oss and DeepSeek V3/],
      ["amazon.nova-lite-v1:0", { effort: "low" }, /effort is not taken by amazon\.nova-lite-v1:0/],
      ["openai.gpt-oss-20b-1:0", { thinking: { budgetTokens: 2048 } }, /sets its reasoning by effort, not by a token budget/],
      ["openai.gpt-oss-20b-1:0", { effort: "max" }, /takes effort "low", "medium" or "high"; "max" is for Claude models/],
      ["amazon.nova-2-lite-v1:0", { effort: "xhigh" }, /takes effort "low", "medium" or "high"; "xhigh" is for Claude models/],
      ["deepseek.r1-v1:0", { effort: "low" }, /always reasons and takes no effort; remove effort/],
      ["openai.gpt-oss-20b-1:0", { reasoningEffort: "low" }, /Unknown option "reasoningEffort"\. Did you mean "effort"\?/],
    ];
    for (const [model, options, message] of cases) {
      const provider = providerFor(emulator, { model });
      const before = emulator.requests.length;
      try {
        await assert.rejects(provider.generate(ASK, options), (error: unknown) => error instanceof InvalidRequestError && message.test(error.message), model);
        assert.equal(emulator.requests.length, before, `${model}: nothing sent`);
      } finally {
        await provider.close();
      }
    }
  });
});

describe("the emulator's reasoning fields for other families", () => {
  it("rejects a wrong effort value or reasoningConfig type as the model's ValidationException", async () => {
    const nova = asError(await planOnce("Converse", converseBody({ additionalModelRequestFields: { reasoningConfig: { type: "enabled", maxReasoningEffort: "extreme" } } }), "amazon.nova-2-lite-v1:0"));
    assert.equal(nova.name, "ValidationException");
    assert.match(nova.message, /^The model returned the following errors: reasoningConfig\.maxReasoningEffort must be one of \[low, medium, high\]/);
    const novaType = asError(await planOnce("Converse", converseBody({ additionalModelRequestFields: { reasoningConfig: { type: "on" } } }), "amazon.nova-2-lite-v1:0"));
    assert.match(novaType.message, /reasoningConfig\.type must be one of \[enabled, disabled\]/);
    const oss = asError(await planOnce("Converse", converseBody({ additionalModelRequestFields: { reasoning_effort: 3 } }), "openai.gpt-oss-20b-1:0"));
    assert.match(oss.message, /reasoning_effort must be one of \[low, medium, high\] \(got 3\)/);
  });

  it("answers with a reasoning block only when asked (or for R1), and bills its tokens as output", async () => {
    const asked = asAnswer(await planOnce("Converse", converseBody({ additionalModelRequestFields: { reasoning_effort: "low" } }), "openai.gpt-oss-20b-1:0"));
    const plain = asAnswer(await planOnce("Converse", converseBody(), "openai.gpt-oss-20b-1:0"));
    assert.equal(asked.blocks[0]!.type, "thinking");
    assert.ok(plain.blocks.every((block) => block.type !== "thinking"));
    assert.ok(asked.usage.outputTokens > plain.usage.outputTokens);
    const disabled = asAnswer(await planOnce("Converse", converseBody({ additionalModelRequestFields: { reasoningConfig: { type: "disabled" } } }), "amazon.nova-2-lite-v1:0"));
    assert.ok(disabled.blocks.every((block) => block.type !== "thinking"));
  });
});
