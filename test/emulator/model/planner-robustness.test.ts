import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { createPlanner } from "../../../src/emulator/model/index.js";
import type { Operation } from "../../../src/emulator/answer-plan.js";
import { request } from "./helpers.js";

const OPERATIONS: Operation[] = ["InvokeModel", "InvokeModelWithResponseStream", "Converse", "ConverseStream", "CountTokens"];
const ODD_BODIES: unknown[] = [
  undefined,
  null,
  0,
  "text",
  [],
  {},
  { messages: null },
  { messages: [null] },
  { messages: [{ role: "user", content: [null] }] },
  { messages: [{ role: "user", content: [{ type: "image" }] }] },
  { messages: [{ role: "user", content: [{ image: null }] }] },
  { messages: [{ role: "user", content: [{ toolResult: null }] }] },
  { messages: [{ role: "user", content: [{ document: { source: null } }] }] },
  { anthropic_version: "bedrock-2023-05-31", max_tokens: 5, messages: [{ role: "user", content: [{ type: "tool_result" }] }] },
  { anthropic_version: "bedrock-2023-05-31", max_tokens: 5, messages: [{ role: "user", content: "x" }], tools: [null], thinking: [] },
  { messages: [{ role: "user", content: [{ text: "x" }] }], toolConfig: { tools: [null] }, inferenceConfig: [], guardrailConfig: 5 },
  { input: { invokeModel: { body: 5 } } },
  { input: { converse: null } },
];

describe("planner robustness", () => {
  it("answers every odd body with an error plan and never throws", async () => {
    const planner = createPlanner();
    for (const operation of OPERATIONS) {
      for (const body of ODD_BODIES) {
        const plan = await planner(request(operation, body));
        assert.equal(plan.kind, "error", `${operation} ${JSON.stringify(body)} -> ${JSON.stringify(plan)}`);
        if (plan.kind === "error") assert.equal(plan.status, 400);
      }
    }
  });
});
