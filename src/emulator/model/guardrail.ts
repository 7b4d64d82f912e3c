import type { AnswerPlan } from "../answer-plan.js";
import type { Conversation } from "./conversation.js";

/**
 * Guardrails: when a guardrail is attached (Converse `guardrailConfig`, or the InvokeModel headers
 * `X-Amzn-Bedrock-GuardrailIdentifier` / `-GuardrailVersion`) and any user text contains GUARDRAIL_TRIGGER,
 * the guardrail intervenes on the input: the answer is the blocked message, stop reason
 * `guardrail_intervened`, no output tokens, and a trace naming the denied topic.
 */
export const GUARDRAIL_TRIGGER = "BLOCKED_TOPIC";
export const GUARDRAIL_BLOCKED_MESSAGE = "Sorry, the model cannot answer this question.";

export function guardrailFromHeaders(headers: Record<string, string>): Conversation["guardrail"] {
  const identifier = headers["x-amzn-bedrock-guardrailidentifier"];
  if (!identifier) return null;
  return { identifier, version: headers["x-amzn-bedrock-guardrailversion"] ?? "DRAFT" };
}

export function guardrailIntervenes(conversation: Conversation): boolean {
  if (!conversation.guardrail) return false;
  return conversation.messages.some(
    (message) =>
      message.role === "user" &&
      message.parts.some((part) => (part.kind === "text" || part.kind === "tool_result") && part.text.includes(GUARDRAIL_TRIGGER)),
  );
}

export function guardrailTrace(conversation: Conversation): NonNullable<AnswerPlan["guardrail"]> {
  const identifier = conversation.guardrail?.identifier ?? "guardrail";
  return {
    action: "INTERVENED",
    trace: {
      inputAssessment: {
        [identifier]: {
          topicPolicy: { topics: [{ name: GUARDRAIL_TRIGGER, type: "DENY", action: "BLOCKED", detected: true }] },
        },
      },
    },
  };
}
