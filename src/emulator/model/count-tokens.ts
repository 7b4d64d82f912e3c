import type { AnswerBlock } from "../answer-plan.js";
import type { Conversation, ConversationPart, ConversationTool } from "./conversation.js";

/**
 * The emulator's one token counter. Every number the emulator reports (body usage, headers, stream metrics,
 * CountTokens) comes from here, so they always agree.
 *
 * Convention: a text costs ceil(characters / 4) tokens; an image costs IMAGE_TOKENS; a PDF document costs
 * DOCUMENT_PAGE_TOKENS per page; other documents cost their decoded text.
 */
export const IMAGE_TOKENS = 100;
export const DOCUMENT_PAGE_TOKENS = 300;

export function textTokens(text: string): number {
  return Math.ceil(text.length / 4);
}

export function partTokens(part: ConversationPart): number {
  switch (part.kind) {
    case "text":
      return textTokens(part.text);
    case "image":
      return IMAGE_TOKENS;
    case "document":
      return part.text !== null ? textTokens(part.text) : DOCUMENT_PAGE_TOKENS * part.pages;
    case "tool_use":
      return textTokens(part.name + JSON.stringify(part.input ?? {}));
    case "tool_result":
      return textTokens(part.text) + IMAGE_TOKENS * part.images;
    case "thinking":
      return textTokens(part.text);
    case "redacted_thinking":
      return textTokens(part.data);
    case "cache_point":
      return 0;
  }
}

export function toolTokens(tool: ConversationTool): number {
  if (tool.kind === "cache_point") return 0;
  return textTokens(tool.name + tool.description + JSON.stringify(tool.schema ?? {}));
}

/** A piece of the prompt in the order the model reads it: tools, then system, then messages. */
export interface PromptSegment {
  tokens: number;
  /** Canonical text of the segment, used to key the prompt cache. */
  key: string;
  cachePoint: boolean;
  /** The TTL a cache point asks for (5 minutes when it names none). */
  ttl?: "5m" | "1h";
}

export function promptSegments(conversation: Conversation): PromptSegment[] {
  const segments: PromptSegment[] = [];
  for (const tool of conversation.tools) {
    segments.push({ tokens: toolTokens(tool), key: JSON.stringify({ ...tool, ttl: undefined }), cachePoint: tool.kind === "cache_point", ...ttlOf(tool) });
  }
  for (const part of conversation.system) segments.push(partSegment("system", part));
  conversation.messages.forEach((message, index) => {
    for (const part of message.parts) segments.push(partSegment(`${index}:${message.role}`, part));
  });
  return segments;
}

function partSegment(where: string, part: ConversationPart): PromptSegment {
  return { tokens: partTokens(part), key: `${where}|${JSON.stringify({ ...part, ttl: undefined })}`, cachePoint: part.kind === "cache_point", ...ttlOf(part) };
}

function ttlOf(item: ConversationPart | ConversationTool): { ttl?: "5m" | "1h" } {
  return item.kind === "cache_point" && item.ttl !== undefined ? { ttl: item.ttl } : {};
}

/** All input tokens of the request, cached or not. */
export function inputTokens(conversation: Conversation): number {
  return promptSegments(conversation).reduce((sum, segment) => sum + segment.tokens, 0);
}

export function blockTokens(block: AnswerBlock): number {
  switch (block.type) {
    case "text":
      return textTokens(block.text);
    case "tool_use":
      return textTokens(block.name + JSON.stringify(block.input));
    case "thinking":
      return textTokens(block.thinking);
    case "redacted_thinking":
      return textTokens(block.data);
  }
}

export function outputTokens(blocks: AnswerBlock[]): number {
  return blocks.reduce((sum, block) => sum + blockTokens(block), 0);
}
