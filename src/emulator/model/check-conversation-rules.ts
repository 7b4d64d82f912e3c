import type { ConversationMessage } from "./conversation.js";
import { modelReturnedError, validationError, type RequestRejected } from "./request-rejected.js";

/**
 * Rules across messages: every tool result answers a tool use of the assistant turn just before it, every
 * tool use is answered in the next turn, and with thinking enabled the assistant turn of an ongoing tool loop
 * starts with its thinking block. The wording follows Anthropic (InvokeModel) or Bedrock Converse.
 */
export type RuleStyle = "anthropic" | "converse";

function toolUseIds(message: ConversationMessage | undefined): string[] {
  if (!message || message.role !== "assistant") return [];
  return message.parts.flatMap((part) => (part.kind === "tool_use" ? [part.id] : []));
}

export function checkToolPairing(messages: ConversationMessage[], style: RuleStyle): void {
  messages.forEach((message, index) => {
    if (message.role === "user") checkResultsAnswerUses(messages, index, style);
  });
  messages.forEach((message, index) => {
    if (message.role === "assistant") checkUsesAreAnswered(messages, index, style);
  });
}

function checkResultsAnswerUses(messages: ConversationMessage[], index: number, style: RuleStyle): void {
  const message = messages[index] as ConversationMessage;
  const uses = toolUseIds(messages[index - 1]);
  const results = message.parts.flatMap((part, partIndex) => (part.kind === "tool_result" ? [{ id: part.toolUseId, partIndex }] : []));
  if (style === "converse" && results.length > uses.length) {
    throw validationError(`The number of toolResult blocks at messages.${index}.content exceeds the number of toolUse blocks of previous turn.`);
  }
  for (const result of results) {
    if (uses.includes(result.id)) continue;
    const text = `messages.${index}.content.${result.partIndex}: unexpected \`tool_use_id\` found in \`tool_result\` blocks: ${result.id}. Each \`tool_result\` block must have a corresponding \`tool_use\` block in the previous message.`;
    throw rejected(text, style);
  }
}

function checkUsesAreAnswered(messages: ConversationMessage[], index: number, style: RuleStyle): void {
  const next = messages[index + 1];
  if (!next) return;
  const answered = new Set(next.parts.flatMap((part) => (part.kind === "tool_result" ? [part.toolUseId] : [])));
  const missing = toolUseIds(messages[index]).filter((id) => !answered.has(id));
  if (missing.length === 0) return;
  if (style === "converse") {
    throw validationError(`Expected toolResult blocks at messages.${index + 1}.content for the following Ids: ${missing.join(", ")}`);
  }
  throw validationError(
    `messages.${index + 1}: \`tool_use\` ids were found without \`tool_result\` blocks immediately after: ${missing.join(", ")}. Each \`tool_use\` block must have a corresponding \`tool_result\` block in the next message.`,
  );
}

/** With thinking on, the assistant turn that opened the current tool loop must start with thinking. */
export function checkThinkingTurn(messages: ConversationMessage[], style: RuleStyle): void {
  const last = messages.length - 1;
  const final = messages[last];
  if (!final || final.role !== "user" || !final.parts.some((part) => part.kind === "tool_result")) return;
  const assistant = messages[last - 1];
  if (!assistant || assistant.role !== "assistant") return;
  const first = assistant.parts.find((part) => part.kind !== "cache_point");
  if (first && (first.kind === "thinking" || first.kind === "redacted_thinking")) return;
  const found = first ? first.kind : "nothing";
  const text =
    `messages.${last - 1}.content.0.type: Expected \`thinking\` or \`redacted_thinking\`, but found \`${found}\`. ` +
    "When `thinking` is enabled, a final `assistant` message must start with a thinking block (preceding the lastmost set of `tool_use` and `tool_result` blocks). " +
    "We recommend you include thinking blocks from previous turns. To avoid this requirement, disable `thinking`.";
  throw rejected(text, style);
}

function rejected(text: string, style: RuleStyle): RequestRejected {
  return style === "converse" ? modelReturnedError(text) : validationError(text);
}

/** Claude continues a final assistant message (prefill); that text must not end with whitespace. */
export function checkPrefill(messages: ConversationMessage[], style: RuleStyle): void {
  const final = messages[messages.length - 1];
  if (!final || final.role !== "assistant") return;
  const texts = final.parts.filter((part) => part.kind === "text");
  const last = texts[texts.length - 1];
  if (last && last.kind === "text" && /\s$/.test(last.text)) {
    throw rejected("messages: final assistant content cannot end with trailing whitespace", style);
  }
}
