import type { AnswerBlock, AnswerPlan } from "../answer-plan.js";
import type { Conversation } from "./conversation.js";
import { constraintError } from "./request-rejected.js";

/**
 * Guardrails: when a guardrail is attached (Converse `guardrailConfig`, or the InvokeModel headers
 * `X-Amzn-Bedrock-GuardrailIdentifier` / `-GuardrailVersion`) and any user text contains GUARDRAIL_TRIGGER,
 * the guardrail intervenes on the input: the answer is the blocked message, stop reason
 * `guardrail_intervened`, no output tokens, and a trace naming the denied topic. When the input passes but
 * the model's answer (a scripted text, say) contains the trigger, the guardrail intervenes on the output the
 * same way; the output tokens the model spent are still reported.
 */
export const GUARDRAIL_TRIGGER = "BLOCKED_TOPIC";
export const GUARDRAIL_BLOCKED_MESSAGE = "Sorry, the model cannot answer this question.";

/** The GuardrailIdentifier pattern of Bedrock's service model, as its validation message quotes it. */
export const GUARDRAIL_IDENTIFIER_PATTERN = "(|([a-z0-9]+)|(arn:aws(-[^:]+)?:bedrock:[a-z0-9-]{1,20}:[0-9]{12}:guardrail/[a-z0-9]+))";
const GUARDRAIL_IDENTIFIER = new RegExp(`^${GUARDRAIL_IDENTIFIER_PATTERN}$`);

/** Throws Bedrock's ValidationException for an identifier its service model refuses (too long, or off the pattern). */
export function checkGuardrailIdentifier(identifier: string, path: string): void {
  if (identifier.length > 2048) throw constraintError(identifier.slice(0, 64), path, "Member must have length less than or equal to 2048");
  if (!GUARDRAIL_IDENTIFIER.test(identifier)) throw constraintError(identifier, path, `Member must satisfy regular expression pattern: ${GUARDRAIL_IDENTIFIER_PATTERN}`);
}

export function guardrailFromHeaders(headers: Record<string, string>): Conversation["guardrail"] {
  const identifier = headers["x-amzn-bedrock-guardrailidentifier"];
  if (!identifier) return null;
  checkGuardrailIdentifier(identifier, "guardrailIdentifier");
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

export function answerTriggersGuardrail(conversation: Conversation, blocks: AnswerBlock[]): boolean {
  return conversation.guardrail !== null && blocks.some((block) => block.type === "text" && block.text.includes(GUARDRAIL_TRIGGER));
}

const DENIED_TOPIC = { topicPolicy: { topics: [{ name: GUARDRAIL_TRIGGER, type: "DENY", action: "BLOCKED", detected: true }] } };

export function guardrailTrace(conversation: Conversation, on: "input" | "output" = "input"): NonNullable<AnswerPlan["guardrail"]> {
  const identifier = conversation.guardrail?.identifier ?? "guardrail";
  const trace = on === "input" ? { inputAssessment: { [identifier]: DENIED_TOPIC } } : { outputAssessments: { [identifier]: [DENIED_TOPIC] } };
  return { action: "INTERVENED", trace };
}
