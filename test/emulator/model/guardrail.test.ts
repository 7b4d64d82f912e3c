import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { createPlanner, GUARDRAIL_BLOCKED_MESSAGE, GUARDRAIL_TRIGGER } from "../../../src/emulator/model/index.js";
import { anthropicBody, asAnswer, asError, converseBody, planOnce, request, textOf } from "./helpers.js";

const guardrailConfig = { guardrailIdentifier: "gr123", guardrailVersion: "1", trace: "enabled" };

describe("guardrails", () => {
  it("intervenes on Converse input containing the trigger word", async () => {
    const plan = asAnswer(await planOnce("Converse", converseBody({ guardrailConfig }, `tell me about ${GUARDRAIL_TRIGGER}`)));
    assert.equal(plan.stopReason, "guardrail_intervened");
    assert.equal(textOf(plan), GUARDRAIL_BLOCKED_MESSAGE);
    assert.equal(plan.usage.outputTokens, 0);
    assert.equal(plan.guardrail?.action, "INTERVENED");
    assert.deepEqual(plan.guardrail?.trace, {
      inputAssessment: { "gr123": { topicPolicy: { topics: [{ name: GUARDRAIL_TRIGGER, type: "DENY", action: "BLOCKED", detected: true }] } } },
    });
  });

  it("reports action NONE when the guardrail lets the request through", async () => {
    const plan = asAnswer(await planOnce("Converse", converseBody({ guardrailConfig }, "harmless")));
    assert.equal(plan.stopReason, "end_turn");
    assert.deepEqual(plan.guardrail, { action: "NONE" });
  });

  it("does nothing without a guardrail, even with the trigger word", async () => {
    const plan = asAnswer(await planOnce("Converse", converseBody({}, GUARDRAIL_TRIGGER)));
    assert.equal(plan.stopReason, "end_turn");
    assert.equal(plan.guardrail, undefined);
  });

  it("takes the InvokeModel guardrail from the X-Amzn-Bedrock-Guardrail* headers", async () => {
    const headers = { "x-amzn-bedrock-guardrailidentifier": "gr9", "x-amzn-bedrock-guardrailversion": "DRAFT" };
    const plan = asAnswer(await createPlanner()(request("InvokeModelWithResponseStream", anthropicBody({}, GUARDRAIL_TRIGGER), undefined, headers)));
    assert.equal(plan.stopReason, "guardrail_intervened");
    assert.ok(plan.guardrail?.trace && "gr9" in (plan.guardrail.trace.inputAssessment as object));
  });

  it("refuses an InvokeModel guardrail identifier off Bedrock's pattern with a ValidationException", async () => {
    const headers = { "x-amzn-bedrock-guardrailidentifier": "gr-9", "x-amzn-bedrock-guardrailversion": "DRAFT" };
    const plan = asError(await createPlanner()(request("InvokeModel", anthropicBody({}, "hi"), undefined, headers)));
    assert.equal(plan.name, "ValidationException");
    assert.match(plan.message, /'guardrailIdentifier' failed to satisfy constraint: Member must satisfy regular expression pattern/);
  });

  it("intervenes on an answer that contains the trigger word, reporting the output tokens spent", async () => {
    const planner = createPlanner({ script: [{ respond: { text: `Here is ${GUARDRAIL_TRIGGER} content.` } }] });
    const plan = asAnswer(await planner(request("Converse", converseBody({ guardrailConfig }, "harmless"))));
    assert.equal(plan.stopReason, "guardrail_intervened");
    assert.equal(textOf(plan), GUARDRAIL_BLOCKED_MESSAGE);
    assert.equal(plan.usage.outputTokens, Math.ceil(`Here is ${GUARDRAIL_TRIGGER} content.`.length / 4));
    assert.deepEqual(plan.guardrail?.trace, {
      outputAssessments: { "gr123": [{ topicPolicy: { topics: [{ name: GUARDRAIL_TRIGGER, type: "DENY", action: "BLOCKED", detected: true }] } }] },
    });
  });

  it("intervenes on a trigger word inside a tool result", async () => {
    const body = {
      guardrailConfig,
      toolConfig: { tools: [{ toolSpec: { name: "search", inputSchema: { json: { type: "object" } } } }] },
      messages: [
        { role: "user", content: [{ text: "search" }] },
        { role: "assistant", content: [{ toolUse: { toolUseId: "t", name: "search", input: {} } }] },
        { role: "user", content: [{ toolResult: { toolUseId: "t", content: [{ text: `found ${GUARDRAIL_TRIGGER}` }] } }] },
      ],
    };
    assert.equal(asAnswer(await planOnce("Converse", body)).stopReason, "guardrail_intervened");
  });
});
