/**
 * Message types accepted by every provider. Messages may be `Message` instances or plain objects; content is
 * a string or a list of parts. OpenAI-style shapes (image_url parts, tool_calls, role "tool") are accepted so
 * that histories written for minion or the OpenAI API work unchanged.
 */
export type Role = "system" | "user" | "assistant" | "tool";

/** Marks the end of a cacheable prefix (Bedrock prompt caching). */
export interface CacheControl {
  type: "ephemeral";
  /** How long the prefix stays cached: "5m" (default) or "1h" (writes cost more: docs/cost.md). */
  ttl?: "5m" | "1h";
}

export interface TextPart {
  type: "text";
  text: string;
  cacheControl?: CacheControl;
}

/** An image given as base64 data with its media type, a data URL, or a local file path. */
export interface ImagePart {
  type: "image";
  /** Base64 data (requires mediaType), or a `data:` URL. */
  data?: string;
  mediaType?: string;
  /** A local file, read and checked for type and size before sending. */
  path?: string;
  cacheControl?: CacheControl;
}

/** OpenAI-style image part; `url` must be a data URL (remote URLs are rejected before sending). */
export interface ImageUrlPart {
  type: "image_url";
  image_url: { url: string; detail?: "auto" | "low" | "high" };
}

/** A document (PDF, text, ...) given as base64 data or a local file path. */
export interface DocumentPart {
  type: "document";
  data?: string;
  mediaType?: string;
  path?: string;
  name?: string;
  cacheControl?: CacheControl;
  /** Ask the model to cite this document (the citations come back on the ChatCompletion and as stream events). */
  citations?: boolean;
}

/** Model reasoning kept in the history so multi-turn conversations with extended thinking are accepted. */
export interface ThinkingPart {
  type: "thinking";
  thinking: string;
  signature?: string;
}

export interface RedactedThinkingPart {
  type: "redacted_thinking";
  data: string;
}

/**
 * An Anthropic-style tool result in a user message (a `role: "tool"` message is the usual way to answer a tool
 * call). Its images and documents are read and checked like top-level parts.
 */
export interface ToolResultPart {
  type: "tool_result";
  tool_use_id: string;
  content?: string | (TextPart | ImagePart | ImageUrlPart | DocumentPart)[];
  is_error?: boolean;
  cacheControl?: CacheControl;
}

export type ContentPart = TextPart | ImagePart | ImageUrlPart | DocumentPart | ThinkingPart | RedactedThinkingPart | ToolResultPart;

/** A tool call in the OpenAI shape; `arguments` is a JSON string. */
export interface ToolCall {
  id: string;
  type: "function";
  function: { name: string; arguments: string };
}

export interface MessageInit {
  role: Role;
  content?: string | ContentPart[] | null;
  name?: string;
  toolCalls?: ToolCall[];
  tool_calls?: ToolCall[];
  toolCallId?: string;
  tool_call_id?: string;
}

export class Message {
  readonly role: Role;
  readonly content: string | ContentPart[];
  readonly name?: string;
  readonly toolCalls?: ToolCall[];
  readonly toolCallId?: string;

  constructor(init: MessageInit) {
    this.role = init.role;
    this.content = init.content ?? "";
    if (init.name !== undefined) this.name = init.name;
    const toolCalls = init.toolCalls ?? init.tool_calls;
    if (toolCalls !== undefined) this.toolCalls = toolCalls;
    const toolCallId = init.toolCallId ?? init.tool_call_id;
    if (toolCallId !== undefined) this.toolCallId = toolCallId;
  }
}

/** What every provider method accepts as one message. */
export type MessageInput = Message | MessageInit;
