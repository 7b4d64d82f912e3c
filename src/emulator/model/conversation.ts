/**
 * The request after validation, in one shape for both the Anthropic Messages body (InvokeModel*) and the
 * Converse body. The built-in model, the token counter, the prompt cache and the script matcher read only this.
 */

export type ConversationPart =
  | { kind: "text"; text: string }
  /** `digest` identifies the bytes, so the prompt cache and tool-use ids tell different images apart. */
  | { kind: "image"; format: string; digest: string }
  | { kind: "document"; format: string; name: string; pages: number; text: string | null; digest: string; citations?: boolean }
  | { kind: "tool_use"; id: string; name: string; input: unknown }
  | { kind: "tool_result"; toolUseId: string; text: string; isError: boolean; images: number }
  | { kind: "thinking"; text: string; signature: string }
  | { kind: "redacted_thinking"; data: string }
  /** A prompt-cache breakpoint: everything before it is a cacheable prefix. */
  | { kind: "cache_point"; ttl?: "5m" | "1h" };

export interface ConversationMessage {
  role: "user" | "assistant";
  parts: ConversationPart[];
}

export type ConversationTool =
  | { kind: "tool"; name: string; description: string; schema: unknown }
  | { kind: "cache_point"; ttl?: "5m" | "1h" };

export type ToolChoice = ({ type: "auto" } | { type: "any" } | { type: "none" } | { type: "tool"; name: string }) & {
  /** Anthropic `disable_parallel_tool_use`: at most one tool call per answer. */
  disableParallelToolUse?: boolean;
};

export interface Conversation {
  format: "anthropic" | "converse";
  system: ConversationPart[];
  messages: ConversationMessage[];
  tools: ConversationTool[];
  toolChoice: ToolChoice;
  maxTokens: number;
  stopSequences: string[];
  /** Set when extended thinking is enabled. */
  thinking: { budgetTokens: number; /** The reasoning text the model shows (Nova 2 Lite: "[REDACTED]"). */ displayText?: string } | null;
  /** Set when a guardrail is attached (Converse guardrailConfig or the InvokeModel guardrail headers). */
  guardrail: { identifier: string; version: string } | null;
  /** Structured output: the JSON Schema the answer's text must follow (Converse outputConfig.textFormat, Anthropic output_config.format). */
  outputSchema?: Record<string, unknown> | null;
}

/** The names of the tools offered (cache points left out). */
export function toolNames(conversation: Conversation): string[] {
  return conversation.tools.flatMap((tool) => (tool.kind === "tool" ? [tool.name] : []));
}

/** The text of the user's last message (its text blocks joined by newlines). */
export function lastUserText(conversation: Conversation): string {
  const last = lastUserMessage(conversation);
  if (!last) return "";
  return last.parts.flatMap((part) => (part.kind === "text" ? [part.text] : [])).join("\n");
}

export function lastUserMessage(conversation: Conversation): ConversationMessage | undefined {
  for (let i = conversation.messages.length - 1; i >= 0; i--) {
    const message = conversation.messages[i];
    if (message && message.role === "user") return message;
  }
  return undefined;
}

/** Every piece of text in the request: system, all messages, tool inputs and tool results. */
export function allText(conversation: Conversation): string {
  const texts: string[] = [];
  const collect = (part: ConversationPart): void => {
    if (part.kind === "text") texts.push(part.text);
    else if (part.kind === "tool_result") texts.push(part.text);
    else if (part.kind === "tool_use") texts.push(JSON.stringify(part.input));
    else if (part.kind === "document" && part.text !== null) texts.push(part.text);
  };
  conversation.system.forEach(collect);
  for (const message of conversation.messages) message.parts.forEach(collect);
  return texts.join("\n");
}
