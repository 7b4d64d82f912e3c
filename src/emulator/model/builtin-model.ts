import { createHash } from "node:crypto";
import type { AnswerBlock } from "../answer-plan.js";
import type { Conversation, ConversationMessage, ConversationPart } from "./conversation.js";
import { lastUserMessage, lastUserText } from "./conversation.js";
import { codeAnswerText, wantsCode } from "./code-convention.js";
import { signThinking } from "./thinking-signature.js";
import { requestedToolCalls } from "./tool-call-convention.js";
import { toolUseId } from "./tool-use-id.js";
import { conformingValue } from "./conforming-value.js";

/**
 * The deterministic built-in model. Its answer depends only on the request (never on the clock or on earlier
 * requests): it greets, repeats the last user message, mentions attachments, reports tool results, and calls
 * tools when asked (see tool-call-convention.ts), and writes a ```js block when the system prompt mentions
 * finalAnswer( (see code-convention.ts). With thinking enabled a signed thinking block comes first.
 */
export const GREETING = "Hello! I am the minion-ts emulator's built-in model.";

/** Anthropic's documented test string: with thinking on, a prompt containing it gets redacted thinking. */
export const REDACTED_THINKING_TRIGGER = "ANTHROPIC_MAGIC_STRING_TRIGGER_REDACTED_THINKING_46C9A13E193C177646C7398A98432ECCCE4C1253";

export function builtinAnswer(conversation: Conversation): AnswerBlock[] {
  const blocks: AnswerBlock[] = [];
  const calls = requestedToolCalls(conversation);
  if (conversation.thinking) blocks.push(thinkingFor(conversation, calls.map((call) => call.name)));
  if (calls.length > 0) {
    if (conversation.toolChoice.type === "auto") blocks.push({ type: "text", text: `I will call ${joinNames(calls.map((call) => call.name))}.` });
    const seed = requestSeed(conversation);
    calls.forEach((call, index) => blocks.push({ type: "tool_use", id: toolUseId(conversation.format, seed, index), name: call.name, input: call.input }));
    return blocks;
  }
  if (conversation.outputSchema) {
    blocks.push({ type: "text", text: JSON.stringify(conformingValue(conversation.outputSchema)) });
    return blocks;
  }
  const text = answerText(conversation);
  blocks.push({ type: "text", text: wantsCode(conversation) ? codeAnswerText(lastUserText(conversation), text) : text });
  return blocks;
}

export function thinkingBlock(thinking: string): AnswerBlock {
  return { type: "thinking", thinking, signature: signThinking(thinking) };
}

function thinkingFor(conversation: Conversation, toolCalls: string[]): AnswerBlock {
  if (conversation.thinking?.displayText !== undefined) return thinkingBlock(conversation.thinking.displayText);
  const text = thinkingText(conversation, toolCalls);
  if (!lastUserText(conversation).includes(REDACTED_THINKING_TRIGGER)) return thinkingBlock(text);
  return redactedThinkingBlock(text);
}

/** Redacted thinking: opaque data (base64 of the thinking text and its signature). */
export function redactedThinkingBlock(text: string): AnswerBlock {
  return { type: "redacted_thinking", data: Buffer.from(`${signThinking(text)}:${text}`).toString("base64") };
}

function thinkingText(conversation: Conversation, toolCalls: string[]): string {
  const said = clip(lastUserText(conversation), 200);
  const plan = toolCalls.length > 0 ? `I should call ${joinNames(toolCalls)}.` : "I should answer briefly and helpfully.";
  return `The user wrote: "${said}". ${plan}`;
}

function answerText(conversation: Conversation): string {
  const last = lastUserMessage(conversation);
  const sentences: string[] = [GREETING];
  const results = toolResultSentences(conversation);
  if (results.length > 0) sentences.push(...results);
  const said = lastUserText(conversation);
  if (said.length > 0) sentences.push(`You said: ${said}`);
  else if (results.length === 0) sentences.push("You sent no text.");
  const attachments = attachmentSentence(last?.parts ?? []);
  if (attachments) sentences.push(attachments);
  return sentences.join(" ");
}

function toolResultSentences(conversation: Conversation): string[] {
  const messages = conversation.messages;
  const last = messages[messages.length - 1];
  if (!last || last.role !== "user") return [];
  const names = toolNamesById(messages[messages.length - 2]);
  return last.parts.flatMap((part) => {
    if (part.kind !== "tool_result") return [];
    const name = names.get(part.toolUseId) ?? part.toolUseId;
    return [part.isError ? `The tool ${name} failed: ${part.text}` : `The tool ${name} returned: ${part.text}`];
  });
}

function toolNamesById(message: ConversationMessage | undefined): Map<string, string> {
  const names = new Map<string, string>();
  for (const part of message?.parts ?? []) if (part.kind === "tool_use") names.set(part.id, part.name);
  return names;
}

function attachmentSentence(parts: ConversationPart[]): string | null {
  const images = parts.filter((part) => part.kind === "image").length;
  const documents = parts.flatMap((part) => (part.kind === "document" ? [part] : []));
  const seen: string[] = [];
  if (images > 0) seen.push(plural(images, "image"));
  if (documents.length > 0) {
    const pages = documents.reduce((sum, document) => sum + document.pages, 0);
    seen.push(`${plural(documents.length, "document")} (${plural(pages, "page")})`);
  }
  return seen.length > 0 ? `I see ${seen.join(" and ")}.` : null;
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? "" : "s"}`;
}

function joinNames(names: string[]): string {
  if (names.length <= 1) return names.join("");
  return `${names.slice(0, -1).join(", ")} and ${names[names.length - 1]}`;
}

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max)}...`;
}

/** A stable digest of the conversation, used to derive tool-use ids. */
export function requestSeed(conversation: Conversation): string {
  return createHash("sha256").update(JSON.stringify(conversation.messages)).digest("hex");
}
