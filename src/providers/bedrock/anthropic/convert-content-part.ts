/**
 * One content part of a user/assistant/tool message -> Anthropic content blocks. Text, images and documents
 * (already resolved: see media/resolve-media-parts.ts), thinking blocks and Anthropic-native
 * tool_use/tool_result blocks. Extend `convertContentPart` for new part types.
 */
import { InvalidRequestError } from "../../../schema/errors.js";
import type { AnthropicCacheControl, AnthropicContentBlock } from "./anthropic-types.js";
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
      if (typeof p["tool_use_id"] !== "string") throw new InvalidRequestError(`${where}: a tool_result block needs "tool_use_id".`);
      return p as unknown as AnthropicContentBlock;
    case "document":
      onlyUser(role, "document", where);
      return toDocumentBlock(p, where);
    default:
      throw new InvalidRequestError(
        `${where}: unsupported content part type ${JSON.stringify(p["type"])}; use text, image (base64 data + mediaType or a data URL) or image_url (data URL).`,
      );
  }
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
