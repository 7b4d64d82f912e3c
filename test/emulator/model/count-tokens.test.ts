import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { createPlanner, textTokens } from "../../../src/emulator/model/index.js";
import { anthropicBody, asAnswer, asError, converseBody, planOnce, request } from "./helpers.js";

const tools = [{ name: "get_weather", description: "Weather by city", input_schema: { type: "object", properties: { city: { type: "string" } } } }];

describe("CountTokens", () => {
  it("counts an InvokeModel body exactly as InvokeModel reports its input tokens", async () => {
    const body = anthropicBody({ system: "You are terse.", tools }, "How warm is Paris today?");
    const encoded = Buffer.from(JSON.stringify(body)).toString("base64");
    const counted = asAnswer(await planOnce("CountTokens", { input: { invokeModel: { body: encoded } } }));
    const invoked = asAnswer(await planOnce("InvokeModel", body));
    assert.equal(counted.countTokens, invoked.usage.inputTokens);
    const expected =
      textTokens("get_weather" + "Weather by city" + JSON.stringify(tools[0]?.input_schema)) + textTokens("You are terse.") + textTokens("How warm is Paris today?");
    assert.equal(counted.countTokens, expected);
    assert.deepEqual(counted.blocks, []);
  });

  it("counts a converse input exactly as Converse reports its input tokens", async () => {
    const body = converseBody({ system: [{ text: "Be kind." }] }, "Tell me a story");
    const counted = asAnswer(await planOnce("CountTokens", { input: { converse: body } }));
    const conversed = asAnswer(await planOnce("Converse", body));
    assert.equal(counted.countTokens, conversed.usage.inputTokens);
  });

  it("validates the counted body like the operation it stands for", async () => {
    const encoded = Buffer.from(JSON.stringify({ max_tokens: 5, messages: [] })).toString("base64");
    const plan = asError(await planOnce("CountTokens", { input: { invokeModel: { body: encoded } } }));
    assert.match(plan.message, /required key \[anthropic_version\] not found/);
    const bad = asError(await planOnce("CountTokens", { input: { invokeModel: { body: Buffer.from("{nope").toString("base64") } } }));
    assert.match(bad.message, /not valid JSON/);
    const neither = asError(await planOnce("CountTokens", { input: {} }));
    assert.equal(neither.message, "The input field must set exactly one of: invokeModel, converse.");
  });

  it("refuses an encoded InvokeModel body nested tens of thousands of levels deep with a ValidationException", async () => {
    const deep = `${'{"a":'.repeat(50_000)}1${"}".repeat(50_000)}`;
    const text = `{"anthropic_version":"bedrock-2023-05-31","max_tokens":10,"messages":[{"role":"user","content":"hi"},{"role":"assistant","content":[{"type":"tool_use","id":"toolu_1","name":"t","input":${deep}}]},{"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_1","content":"x"}]}]}`;
    const plan = asError(await planOnce("CountTokens", { input: { invokeModel: { body: Buffer.from(text).toString("base64") } } }));
    assert.equal(plan.name, "ValidationException");
    assert.equal(plan.status, 400);
    assert.match(plan.message, /input\.invokeModel\.body is nested more than 1000 levels deep/);
  });

  it("is not offered for models other than Claude", async () => {
    const plan = asError(await planOnce("CountTokens", { input: { converse: converseBody() } }, "amazon.nova-lite-v1:0"));
    assert.equal(plan.message, "The provided model doesn't support counting tokens.");
  });

  it("answers cross-region profile ids and profile ARNs with the same unsupported-model error, as Bedrock does", async () => {
    const ids = [
      "us.anthropic.claude-3-5-haiku-20241022-v1:0",
      "global.anthropic.claude-haiku-4-5-20251001-v1:0",
      "arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.anthropic.claude-3-5-haiku-20241022-v1:0",
      "arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/abc123",
    ];
    for (const id of ids) {
      const plan = asError(await planOnce("CountTokens", { input: { converse: converseBody() } }, id));
      assert.equal(plan.message, "The provided model doesn't support counting tokens.", id);
      assert.equal(plan.name, "ValidationException", id);
    }
    const foundation = asAnswer(await planOnce("CountTokens", { input: { converse: converseBody() } }, "arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-3-5-haiku-20241022-v1:0"));
    assert.ok(foundation.countTokens! > 0);
  });

  it("counts everything, ignoring the prompt cache", async () => {
    const planner = createPlanner();
    const body = converseBody({ system: [{ text: "A long system prompt." }, { cachePoint: { type: "default" } }] });
    await planner(request("Converse", body));
    const counted = asAnswer(await planner(request("CountTokens", { input: { converse: body } })));
    assert.equal(counted.countTokens, textTokens("A long system prompt.") + textTokens("Hi there"));
  });
});
