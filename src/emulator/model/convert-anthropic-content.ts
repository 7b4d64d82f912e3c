import type { ConversationMessage, ConversationPart } from "./conversation.js";
import { contentDigest, countPdfPages, decodeBase64, isRecord } from "./json-shape.js";
import { validationError } from "./request-rejected.js";
import { isValidThinkingSignature } from "./thinking-signature.js";

/**
 * Anthropic Messages content (system and messages) -> conversation parts, rejecting what Anthropic rejects
 * with its wording ("messages.0.content.1.image.source.base64.media_type: ...").
 */

export const IMAGE_MEDIA_TYPES = ["image/jpeg", "image/png", "image/gif", "image/webp"];
const BLOCK_TYPES = ["text", "image", "document", "tool_use", "tool_result", "thinking", "redacted_thinking"];

/** Counts cache_control markers across the whole request (Anthropic allows at most 4). */
export interface CacheCounter {
  count: number;
}

export function convertAnthropicSystem(system: unknown, cache: CacheCounter): ConversationPart[] {
  if (system === undefined || system === "") return [];
  if (typeof system === "string") return [{ kind: "text", text: system }];
  const parts: ConversationPart[] = [];
  (system as unknown[]).forEach((block, index) => {
    const path = `system.${index}`;
    if (!isRecord(block) || block.type !== "text") throw validationError(`${path}.type: Input should be 'text'`);
    parts.push(...convertTextBlock(block, path, "system"));
    parts.push(...cacheControl(block, path, cache));
  });
  return parts;
}

export function convertAnthropicMessages(messages: unknown[], cache: CacheCounter): ConversationMessage[] {
  if (messages.length === 0) throw validationError("messages: at least one message is required");
  return messages.map((message, index) => {
    const path = `messages.${index}`;
    if (!isRecord(message)) throw validationError(`${path}: Input should be a valid dictionary`);
    const role = message.role;
    if (role !== "user" && role !== "assistant") throw validationError(`${path}.role: Input should be 'user' or 'assistant'`);
    if (index === 0 && role !== "user") throw validationError('messages: first message must use the "user" role');
    const isFinal = index === messages.length - 1;
    return { role, parts: convertContent(message.content, path, role, isFinal, cache) };
  });
}

function convertContent(content: unknown, path: string, role: string, isFinal: boolean, cache: CacheCounter): ConversationPart[] {
  if (typeof content === "string") {
    if (content.length === 0) {
      if (role === "assistant" && isFinal) return [];
      throw validationError("messages: text content blocks must be non-empty");
    }
    return [{ kind: "text", text: content }];
  }
  if (!Array.isArray(content)) throw validationError(`${path}.content: Input should be a valid list`);
  if (content.length === 0 && !(role === "assistant" && isFinal)) {
    throw validationError(`${path}: all messages must have non-empty content except for the optional final assistant message`);
  }
  return content.flatMap((block, index) => convertBlock(block, `${path}.content.${index}`, role, cache));
}

function convertBlock(block: unknown, path: string, role: string, cache: CacheCounter): ConversationPart[] {
  if (!isRecord(block)) throw validationError(`${path}: Input should be a valid dictionary`);
  const type = block.type;
  if (typeof type !== "string") throw validationError(`${path}.type: Field required`);
  if (!BLOCK_TYPES.includes(type)) {
    const expected = BLOCK_TYPES.map((name) => `'${name}'`).join(", ");
    throw validationError(`${path}: Input tag '${type}' found using 'type' does not match any of the expected tags: ${expected}`);
  }
  const parts = convertTypedBlock(type, block, path, role);
  if (type === "thinking" || type === "redacted_thinking") {
    if (block.cache_control !== undefined) throw validationError(`${path}.${type}.cache_control: Extra inputs are not permitted`);
    return parts;
  }
  return [...parts, ...cacheControl(block, path, cache)];
}

function convertTypedBlock(type: string, block: Record<string, unknown>, path: string, role: string): ConversationPart[] {
  switch (type) {
    case "text":
      return convertTextBlock(block, path, "messages");
    case "image":
      return [convertImage(block, path)];
    case "document":
      return [convertDocument(block, path)];
    case "tool_use":
      return [convertToolUse(block, path, role)];
    case "tool_result":
      return [convertToolResult(block, path, role)];
    case "thinking":
      return [convertThinking(block, path)];
    default:
      if (typeof block.data !== "string") throw validationError(`${path}.redacted_thinking.data: Field required`);
      return [{ kind: "redacted_thinking", data: block.data }];
  }
}

function convertTextBlock(block: Record<string, unknown>, path: string, where: "system" | "messages"): ConversationPart[] {
  if (typeof block.text !== "string") throw validationError(`${path}.text: Field required`);
  if (block.text.length === 0) throw validationError(`${where}: text content blocks must be non-empty`);
  if (block.text.trim().length === 0) throw validationError(`${where}: text content blocks must contain non-whitespace text`);
  return [{ kind: "text", text: block.text }];
}

function convertImage(block: Record<string, unknown>, path: string): ConversationPart {
  const source = block.source;
  if (!isRecord(source)) throw validationError(`${path}.image.source: Field required`);
  if (source.type !== "base64") throw validationError(`${path}.image.source.type: Input should be 'base64'`);
  const mediaType = source.media_type;
  if (typeof mediaType !== "string" || !IMAGE_MEDIA_TYPES.includes(mediaType)) {
    throw validationError(`${path}.image.source.base64.media_type: Input should be 'image/jpeg', 'image/png', 'image/gif' or 'image/webp'`);
  }
  if (typeof source.data !== "string" || source.data.length === 0 || decodeBase64(source.data) === null) {
    throw validationError(`${path}.image.source.base64.data: The image data is not valid base64. Send the image bytes base64-encoded.`);
  }
  return { kind: "image", format: mediaType.slice("image/".length), digest: contentDigest(source.data) };
}

function convertDocument(block: Record<string, unknown>, path: string): ConversationPart {
  const source = block.source;
  if (!isRecord(source)) throw validationError(`${path}.document.source: Field required`);
  const name = typeof block.title === "string" ? block.title : "document";
  const citations = anthropicCitations(block.citations, path);
  if (source.type === "base64" && source.media_type === "application/pdf") {
    const bytes = typeof source.data === "string" ? decodeBase64(source.data) : null;
    if (bytes === null || bytes.length === 0) throw validationError(`${path}.document.source.base64.data: The PDF data is not valid base64.`);
    return { kind: "document", format: "pdf", name, pages: countPdfPages(bytes), text: null, digest: contentDigest(source.data as string), ...citations };
  }
  if (source.type === "text" && source.media_type === "text/plain" && typeof source.data === "string") {
    return { kind: "document", format: "txt", name, pages: 1, text: source.data, digest: contentDigest(source.data), ...citations };
  }
  throw validationError(`${path}.document.source: Input should be a base64 PDF source ({"type":"base64","media_type":"application/pdf","data":...}) or a plain-text source ({"type":"text","media_type":"text/plain","data":...})`);
}

/** A document's `citations: {enabled: boolean}`. */
function anthropicCitations(value: unknown, path: string): { citations?: boolean } {
  if (value === undefined || value === null) return {};
  if (!isRecord(value)) throw validationError(`${path}.document.citations: Input should be a valid dictionary or object to extract fields from`);
  if (typeof value.enabled !== "boolean") throw validationError(`${path}.document.citations.enabled: Input should be a valid boolean`);
  const extra = Object.keys(value).filter((key) => key !== "enabled");
  if (extra.length > 0) throw validationError(`${path}.document.citations.${extra[0]}: Extra inputs are not permitted`);
  return { citations: value.enabled };
}

function convertToolUse(block: Record<string, unknown>, path: string, role: string): ConversationPart {
  if (role !== "assistant") throw validationError(`${path}: tool_use blocks may only appear in assistant messages`);
  if (typeof block.id !== "string" || block.id.length === 0) throw validationError(`${path}.tool_use.id: Field required`);
  if (typeof block.name !== "string" || block.name.length === 0) throw validationError(`${path}.tool_use.name: Field required`);
  if (!isRecord(block.input)) throw validationError(`${path}.tool_use.input: Input should be a valid dictionary`);
  return { kind: "tool_use", id: block.id, name: block.name, input: block.input };
}

function convertToolResult(block: Record<string, unknown>, path: string, role: string): ConversationPart {
  if (role !== "user") throw validationError(`${path}: tool_result blocks may only appear in user messages`);
  if (typeof block.tool_use_id !== "string") throw validationError(`${path}.tool_result.tool_use_id: Field required`);
  if (block.is_error !== undefined && typeof block.is_error !== "boolean") throw validationError(`${path}.tool_result.is_error: Input should be a valid boolean`);
  const isError = block.is_error === true;
  const content = block.content ?? "";
  if (typeof content === "string") return { kind: "tool_result", toolUseId: block.tool_use_id, text: content, isError, images: 0 };
  if (!Array.isArray(content)) throw validationError(`${path}.tool_result.content: Input should be a valid string or list`);
  const texts: string[] = [];
  let images = 0;
  content.forEach((item, index) => {
    const itemPath = `${path}.tool_result.content.${index}`;
    if (isRecord(item) && item.type === "text") {
      convertTextBlock(item, itemPath, "messages");
      texts.push(String(item.text));
    } else if (isRecord(item) && item.type === "image") {
      convertImage(item, itemPath);
      images++;
    } else if (isRecord(item) && item.type === "document") texts.push("[document]");
    else throw validationError(`${itemPath}: Input should be a text, image or document block`);
  });
  return { kind: "tool_result", toolUseId: block.tool_use_id, text: texts.join("\n"), isError, images };
}

function convertThinking(block: Record<string, unknown>, path: string): ConversationPart {
  if (typeof block.thinking !== "string") throw validationError(`${path}.thinking.thinking: Field required`);
  if (typeof block.signature !== "string") throw validationError(`${path}.thinking.signature: Field required`);
  if (!isValidThinkingSignature(block.thinking, block.signature)) throw validationError(`${path}: Invalid \`signature\` in \`thinking\` block`);
  return { kind: "thinking", text: block.thinking, signature: block.signature };
}

function cacheControl(block: Record<string, unknown>, path: string, cache: CacheCounter): ConversationPart[] {
  const control = block.cache_control;
  if (control === undefined || control === null) return [];
  if (!isRecord(control) || control.type !== "ephemeral") throw validationError(`${path}.cache_control.type: Input should be 'ephemeral'`);
  if (control.ttl !== undefined && control.ttl !== "5m" && control.ttl !== "1h") {
    throw validationError(`${path}.cache_control.ephemeral.ttl: Input should be '5m' or '1h'`);
  }
  const extra = Object.keys(control).filter((key) => key !== "type" && key !== "ttl");
  if (extra.length > 0) throw validationError(`${path}.cache_control.ephemeral.${extra[0]}: Extra inputs are not permitted`);
  cache.count++;
  return [control.ttl === undefined ? { kind: "cache_point" } : { kind: "cache_point", ttl: control.ttl as "5m" | "1h" }];
}
