/**
 * One content part of a user/assistant/tool message -> Anthropic content blocks. Text, images and documents
 * (already resolved: see media/resolve-media-parts.ts), thinking blocks and Anthropic-native
 * tool_use/tool_result blocks. Extend `convertContentPart` for new part types.
 */
import { InvalidRequestError } from "../../../schema/errors.js";
import type { AnthropicCacheControl, AnthropicContentBlock, AnthropicToolResultBlock, AnthropicToolResultContent } from "./anthropic-types.js";
import { toDocumentBlock } from "../media/convert-document.js";
import { toImageBlock } from "../media/convert-image.js";

export type PartRole = "user" | "assistant" | "tool";

/** Converts one part; returns undefined for parts that carry nothing (an empty text). */
export function convertContentPart(part: unknown, role: PartRole, where: string): AnthropicContentBlock | undefined {
  if (typeof part === "string") return textBlock(part);
  if (part === null || typeof part !== "object") {
    throw new InvalidRequestError(`${where}: a content part must be a string or an object with a "type", got ${part === null ? "null" : typeof part}.`);
  }
  const p = part as Record<string, unknown>;
  const cache = cacheControlOf(p);
  const block = convertTyped(p, role, where);
  if (block && cache && block.type !== "thinking" && block.type !== "redacted_thinking") block.cache_control = cache;
  return block;
}

function convertTyped(p: Record<string, unknown>, role: PartRole, where: string): AnthropicContentBlock | undefined {
  switch (p["type"]) {
    case "text":
      if (typeof p["text"] !== "string") throw new InvalidRequestError(`${where}: a text part needs a string "text".`);
      return textBlock(p["text"]);
    case "image":
    case "image_url": // resolved to an image part before conversion
      onlyUser(role, "image", where);
      return toImageBlock(p, where);
    case "thinking":
      if (role !== "assistant") throw new InvalidRequestError(`${where}: thinking parts belong to assistant messages.`);
      if (typeof p["thinking"] !== "string") throw new InvalidRequestError(`${where}: a thinking part needs a string "thinking".`);
      return typeof p["signature"] === "string"
        ? { type: "thinking", thinking: p["thinking"], signature: p["signature"] }
        : { type: "thinking", thinking: p["thinking"] };
    case "redacted_thinking":
      if (typeof p["data"] !== "string") throw new InvalidRequestError(`${where}: a redacted_thinking part needs a string "data".`);
      return { type: "redacted_thinking", data: p["data"] };
    case "tool_use":
      if (role !== "assistant") throw new InvalidRequestError(`${where}: tool_use blocks belong to assistant messages.`);
      if (typeof p["id"] !== "string" || typeof p["name"] !== "string") throw new InvalidRequestError(`${where}: a tool_use block needs "id" and "name".`);
      return { type: "tool_use", id: p["id"], name: p["name"], input: p["input"] ?? {} };
    case "tool_result":
      if (role === "assistant") throw new InvalidRequestError(`${where}: tool_result blocks belong to user or tool messages.`);
      return toolResultPart(p, where);
    case "document":
      onlyUser(role, "document", where);
      return toDocumentBlock(p, where);
    default:
      throw new InvalidRequestError(
        `${where}: unsupported content part type ${describeType(p["type"])}; use text, image (base64 data + mediaType or a data URL) or image_url (data URL).`,
      );
  }
}

/** A raw tool_result part, rebuilt from its known fields: nothing of it is sent unchecked. */
function toolResultPart(p: Record<string, unknown>, where: string): AnthropicToolResultBlock {
  const id = p["tool_use_id"];
  if (typeof id !== "string" || id === "") throw new InvalidRequestError(`${where}: a tool_result block needs "tool_use_id".`);
  const isError = p["is_error"];
  if (isError !== undefined && typeof isError !== "boolean") throw new InvalidRequestError(`${where}: a tool_result's is_error must be true or false, got ${typeof isError}.`);
  const block: AnthropicToolResultBlock = { type: "tool_result", tool_use_id: id };
  const content = toolResultContent(p["content"], where);
  if (content !== undefined) block.content = content;
  if (isError === true) block.is_error = true;
  return block;
}

/**
 * The content of a tool result (a raw tool_result part's, or a tool message's): text, images and documents,
 * already resolved. One plain text block becomes a string; nothing left (empty text) is undefined.
 */
export function toolResultContent(content: unknown, where: string): string | AnthropicToolResultContent[] | undefined {
  if (content === undefined || content === null) return undefined;
  if (typeof content === "string") return content.trim() === "" ? undefined : content;
  if (typeof content !== "object") throw new InvalidRequestError(`${where}: a tool result's content must be a string or a list of text, image and document parts, got ${typeof content}.`);
  const items = Array.isArray(content) ? content : [content];
  const blocks: AnthropicToolResultContent[] = [];
  items.forEach((item, i) => {
    const block = toolResultItem(item, Array.isArray(content) ? `${where}.content[${i}]` : where);
    if (block) blocks.push(block);
  });
  if (blocks.length === 0) return undefined;
  const only = blocks[0]!;
  return blocks.length === 1 && only.type === "text" && !only.cache_control ? only.text : blocks;
}

function toolResultItem(item: unknown, where: string): AnthropicToolResultContent | undefined {
  if (typeof item === "string") return textBlock(item) as AnthropicToolResultContent | undefined;
  if (item === null || typeof item !== "object" || Array.isArray(item)) {
    throw new InvalidRequestError(`${where}: a tool result holds text, image and document parts, got ${item === null ? "null" : Array.isArray(item) ? "an array" : typeof item}.`);
  }
  const p = item as Record<string, unknown>;
  const type = p["type"];
  if (type !== "text" && type !== "image" && type !== "image_url" && type !== "document") {
    throw new InvalidRequestError(`${where}: a tool result may contain only text, image and document parts, got type ${describeType(type)}.`);
  }
  return convertContentPart(p, "tool", where) as AnthropicToolResultContent | undefined;
}

/** A part's `type` for an error message, safe for any value a caller may pass. */
function describeType(type: unknown): string {
  return typeof type === "string" ? JSON.stringify(type.length > 40 ? `${type.slice(0, 40)}...` : type) : type === null ? "null" : typeof type;
}

function textBlock(text: string): AnthropicContentBlock | undefined {
  // Bedrock rejects empty and whitespace-only text blocks.
  return text.trim() === "" ? undefined : { type: "text", text };
}

function onlyUser(role: PartRole, type: string, where: string): void {
  if (role === "assistant") throw new InvalidRequestError(`${where}: ${type} parts can only be sent in user or tool messages.`);
}

function cacheControlOf(p: Record<string, unknown>): AnthropicCacheControl | undefined {
  const value = p["cacheControl"] ?? p["cache_control"];
  if (!value || typeof value !== "object") return undefined;
  const ttl = (value as { ttl?: unknown }).ttl;
  if (ttl === undefined) return { type: "ephemeral" };
  if (ttl !== "5m" && ttl !== "1h") throw new InvalidRequestError(`cacheControl.ttl must be "5m" or "1h", got ${JSON.stringify(ttl)}.`);
  return { type: "ephemeral", ttl };
}
