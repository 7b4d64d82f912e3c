import type { EmulatorRequest, Operation, Plan, AnswerPlan, ErrorPlan } from "../../../src/emulator/answer-plan.js";
import { createPlanner, type ModelOptions } from "../../../src/emulator/model/index.js";
import assert from "node:assert/strict";

export const CLAUDE = "anthropic.claude-3-5-haiku-20241022-v1:0";
export const NOVA = "amazon.nova-lite-v1:0";

export function anthropicBody(extra: Record<string, unknown> = {}, text = "Hi there"): Record<string, unknown> {
  return { anthropic_version: "bedrock-2023-05-31", max_tokens: 200, messages: [{ role: "user", content: text }], ...extra };
}

export function converseBody(extra: Record<string, unknown> = {}, text = "Hi there"): Record<string, unknown> {
  return { messages: [{ role: "user", content: [{ text }] }], ...extra };
}

export function request(operation: Operation, body: unknown, modelId = CLAUDE, headers: Record<string, string> = {}): EmulatorRequest {
  return { operation, modelId, body, headers };
}

/** A fresh planner answering one request. */
export async function planOnce(operation: Operation, body: unknown, modelId = CLAUDE, options: ModelOptions = {}): Promise<Plan> {
  return createPlanner(options)(request(operation, body, modelId));
}

export function asAnswer(plan: Plan): AnswerPlan {
  assert.equal(plan.kind, "answer", `expected an answer, got ${JSON.stringify(plan)}`);
  return plan as AnswerPlan;
}

export function asError(plan: Plan): ErrorPlan {
  assert.equal(plan.kind, "error", `expected an error, got ${JSON.stringify(plan)}`);
  return plan as ErrorPlan;
}

export function textOf(plan: AnswerPlan): string {
  return plan.blocks.map((block) => (block.type === "text" ? block.text : "")).join("");
}
