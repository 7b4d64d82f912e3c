import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { buildAnthropicRequest } from "../../../../src/providers/bedrock/anthropic/build-anthropic-request.js";
import { buildConverseRequest } from "../../../../src/providers/bedrock/converse/build-converse-request.js";
import { checkThinkingModel, checkToolChoiceWithThinking, DEFAULT_THINKING_BUDGET, planThinking } from "../../../../src/providers/bedrock/thinking/build-thinking-config.js";
import { InvalidRequestError } from "../../../../src/schema/errors.js";

describe("planThinking", () => {
  it("is off for undefined/false, uses the default budget for true", () => {
    assert.equal(planThinking(undefined, 100), undefined);
    assert.equal(planThinking(false, 100), undefined);
    assert.deepEqual(planThinking(true, undefined), { budgetTokens: DEFAULT_THINKING_BUDGET, maxTokens: DEFAULT_THINKING_BUDGET + 4096 });
  });

  it("keeps max_tokens above the budget: unchanged when larger, budget + requested otherwise", () => {
    assert.deepEqual(planThinking({ budgetTokens: 2000 }, 8000), { budgetTokens: 2000, maxTokens: 8000 });
    assert.deepEqual(planThinking({ budgetTokens: 2000 }, 2000), { budgetTokens: 2000, maxTokens: 4000 });
    assert.deepEqual(planThinking({ budgetTokens: 2000 }, 500), { budgetTokens: 2000, maxTokens: 2500 });
  });

  it("rejects budgets Bedrock would reject, and forced tool use", () => {
    for (const budgetTokens of [0, 1023, 1500.5, Number.NaN]) assert.throws(() => planThinking({ budgetTokens }, 100), InvalidRequestError);
    const plan = planThinking(true, 100);
    assert.throws(() => checkToolChoiceWithThinking(plan, "any"), InvalidRequestError);
    assert.throws(() => checkToolChoiceWithThinking(plan, { type: "function", function: { name: "f" } }), InvalidRequestError);
    assert.doesNotThrow(() => checkToolChoiceWithThinking(plan, "auto"));
    assert.doesNotThrow(() => checkToolChoiceWithThinking(undefined, "any"));
  });
});

describe("checkThinkingModel", () => {
  const plan = planThinking(true, undefined);

  it("rejects thinking for ids naming another family, with the model in the message", () => {
    for (const model of ["amazon.nova-pro-v1:0", "us.meta.llama3-3-70b-instruct-v1:0", "arn:aws:bedrock:us-east-1::foundation-model/mistral.mistral-large-2407-v1:0", "deepseek.r1-v1:0"]) {
      assert.throws(() => checkThinkingModel(plan, model), (error: Error) => error instanceof InvalidRequestError && error.message.includes(model) && /Remove the thinking option/.test(error.message));
    }
  });

  it("lets Claude ids, ids that name no family and calls without thinking through", () => {
    assert.doesNotThrow(() => checkThinkingModel(plan, "us.anthropic.claude-3-7-sonnet-20250219-v1:0"));
    assert.doesNotThrow(() => checkThinkingModel(plan, "arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/a1b2c3d4e5"));
    assert.doesNotThrow(() => checkThinkingModel(undefined, "amazon.nova-pro-v1:0"));
  });
});

describe("sampling options while thinking", () => {
  const CLAUDE = "us.anthropic.claude-3-7-sonnet-20250219-v1:0";
  const question = [{ role: "user" as const, content: "hi" }];
  const sampling = { temperature: 0.4, topP: 0.9, topK: 20 };

  it("InvokeModel: sent without thinking, left out of the body with it (the config's defaults too)", () => {
    const plain = buildAnthropicRequest(CLAUDE, question, sampling, {}).body;
    assert.deepEqual([plain.temperature, plain.top_p, plain.top_k], [0.4, 0.9, 20]);
    const thinking = buildAnthropicRequest(CLAUDE, question, { thinking: true }, { temperature: 0.4, topP: 0.9, topK: 20 }).body;
    assert.deepEqual([thinking.temperature, thinking.top_p, thinking.top_k], [undefined, undefined, undefined]);
    assert.deepEqual(thinking.thinking, { type: "enabled", budget_tokens: DEFAULT_THINKING_BUDGET });
  });

  it("Converse: sent without thinking, left out of inferenceConfig and additionalModelRequestFields with it", () => {
    const plain = buildConverseRequest(CLAUDE, question, { ...sampling, maxTokens: 100 }, {}).input;
    assert.deepEqual(plain.inferenceConfig, { maxTokens: 100, temperature: 0.4, topP: 0.9 });
    assert.deepEqual(plain.additionalModelRequestFields, { top_k: 20 });
    const thinking = buildConverseRequest(CLAUDE, question, { ...sampling, maxTokens: 100, thinking: { budgetTokens: 2048 } }, {}).input;
    assert.deepEqual(thinking.inferenceConfig, { maxTokens: 2148 });
    assert.deepEqual(thinking.additionalModelRequestFields, { thinking: { type: "enabled", budget_tokens: 2048 } });
  });
});
