/**
 * Turns every image and document part of a history into one canonical shape before a request is built:
 * `{type: "image" | "document", data: <base64>, mediaType, name?}`, registered as resolved (resolved-media.ts).
 * Accepted inputs: base64 data with a media type, `data:` URLs (also in OpenAI `image_url` parts),
 * Anthropic-native blocks (`source: {type: "base64", media_type, data}`, or a text source for a document) and
 * local file paths, at the top level of a message or inside the content of a raw `tool_result` part.
 * This is the one place media is parsed and checked (size, then the type from the bytes), so a bad part fails
 * before anything is sent; the request builders only convert what it produced. Remote http(s) URLs are
 * rejected: nothing is fetched on the caller's behalf.
 */
import { basename, extname } from "node:path";
import type { ContentPart, MessageInit, MessageInput } from "../../../schema/message.js";
import { InvalidRequestError } from "../../../schema/errors.js";
import { decodeMediaData } from "./decode-media-data.js";
import type { DocumentMediaFormat, ImageMediaFormat, MediaFormat, MediaKind } from "./detect-media-type.js";
import { readMediaFile } from "./read-media-file.js";
import { markResolved } from "./resolved-media.js";

type Part = Record<string, unknown>;

interface Source {
  data?: string | undefined;
  mediaType?: string | undefined;
  path?: string | undefined;
}

const isPart = (value: unknown): value is Part => value !== null && typeof value === "object" && !Array.isArray(value);
const isMediaPart = (part: unknown): boolean => isPart(part) && (part["type"] === "image" || part["type"] === "image_url" || part["type"] === "document");

/**
 * A raw tool_result part whose content holds media (its items are resolved like top-level parts). Its content
 * is a list of parts, or one part on its own (convert-content-part.ts accepts both).
 */
const isToolResultWithMedia = (part: unknown): boolean => {
  if (!isPart(part) || part["type"] !== "tool_result") return false;
  const content = part["content"];
  return Array.isArray(content) ? content.some(isMediaPart) : isMediaPart(content);
};

const needsResolution = (part: unknown): boolean => isMediaPart(part) || isToolResultWithMedia(part);

function rejectRemote(value: string, kind: MediaKind, what: string): void {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) {
    throw new InvalidRequestError(
      `${what} is a remote URL (${value.split(":")[0]}://...): remote ${kind} URLs are not fetched. Download the file and pass its bytes (base64 data or a data: URL) or a local path.`,
    );
  }
}

async function resolveSource(kind: MediaKind, source: Source, what: string): Promise<{ data: string; format: MediaFormat; fileName?: string }> {
  if (source.path !== undefined) {
    if (typeof source.path !== "string" || source.path === "") throw new InvalidRequestError(`${what} has a path that is not a non-empty string.`);
    rejectRemote(source.path, kind, what);
    const { bytes, format } = await readMediaFile(source.path, kind);
    return { data: Buffer.from(bytes).toString("base64"), format, fileName: basename(source.path, extname(source.path)) };
  }
  if (typeof source.data !== "string" || source.data === "") {
    throw new InvalidRequestError(`${what} has no content: set data (base64 or a data: URL) or path.`);
  }
  if (source.mediaType !== undefined && typeof source.mediaType !== "string") throw new InvalidRequestError(`${what} has a mediaType that is not a string.`);
  if (!source.data.startsWith("data:")) rejectRemote(source.data, kind, what);
  return decodeMediaData(kind, source.data, source.mediaType || undefined, what);
}

/** Where the media is: our own fields, or an Anthropic-native `source`. */
function sourceOf(part: Part, kind: MediaKind): Source {
  const native = part["source"];
  if (!isPart(native)) return part as Source;
  const data = native["data"];
  if (kind === "document" && native["type"] === "text" && typeof data === "string") {
    return { data: Buffer.from(data, "utf8").toString("base64"), mediaType: "text/plain" };
  }
  return { data: typeof data === "string" ? data : undefined, mediaType: typeof native["media_type"] === "string" ? native["media_type"] : undefined };
}

async function resolvePart(part: Part, where: string, counter: { documents: number }): Promise<Part> {
  if (part["type"] === "image_url") {
    const url = isPart(part["image_url"]) ? part["image_url"]["url"] : undefined;
    const resolved = await resolveSource("image", { data: url as string | undefined }, `The image_url in ${where}`);
    const format = resolved.format as ImageMediaFormat;
    return markResolved({ type: "image", data: resolved.data, mediaType: format.mediaType }, { kind: "image", data: resolved.data, format });
  }
  if (part["type"] === "image") {
    const resolved = await resolveSource("image", sourceOf(part, "image"), `The image in ${where}`);
    const format = resolved.format as ImageMediaFormat;
    return markResolved({ ...withoutSource(part), data: resolved.data, mediaType: format.mediaType }, { kind: "image", data: resolved.data, format });
  }
  counter.documents += 1;
  const resolved = await resolveSource("document", sourceOf(part, "document"), `The document in ${where}`);
  const format = resolved.format as DocumentMediaFormat;
  const given = typeof part["name"] === "string" && part["name"] !== "" ? part["name"] : typeof part["title"] === "string" && part["title"] !== "" ? part["title"] : undefined;
  const name = given ?? resolved.fileName ?? `document-${counter.documents}`;
  return markResolved({ ...withoutSource(part), data: resolved.data, mediaType: format.mediaType, name }, { kind: "document", data: resolved.data, format, name });
}

async function resolveToolResult(part: Part, where: string, counter: { documents: number }): Promise<Part> {
  const single = !Array.isArray(part["content"]);
  if (single) return { ...part, content: await resolvePart(part["content"] as Part, `${where} tool_result content`, counter) };
  const content: unknown[] = [];
  for (const [i, item] of (part["content"] as unknown[]).entries()) content.push(isMediaPart(item) ? await resolvePart(item as Part, `${where} tool_result content[${i}]`, counter) : item);
  return { ...part, content };
}

function withoutSource(part: Part): Part {
  const copy = { ...part };
  delete copy["path"];
  delete copy["source"];
  delete copy["title"];
  return copy;
}

/** Whether any message has an image or document part (most calls have none, and skip the resolution). */
export function hasMediaParts(messages: readonly MessageInput[]): boolean {
  return messages.some((message) => Array.isArray(message?.content) && message.content.some(needsResolution));
}

/** The same history with every media part resolved; messages without media parts are returned as they are. */
export async function resolveMediaParts(messages: readonly MessageInput[]): Promise<MessageInput[]> {
  const counter = { documents: 0 };
  const out: MessageInput[] = [];
  for (const [index, message] of messages.entries()) {
    const content = message?.content;
    if (!Array.isArray(content) || !content.some(needsResolution)) {
      out.push(message);
      continue;
    }
    const parts: unknown[] = [];
    for (const [i, part] of (content as unknown[]).entries()) {
      const where = `message ${index} (${message.role}) content[${i}]`;
      parts.push(isMediaPart(part) ? await resolvePart(part as Part, where, counter) : isToolResultWithMedia(part) ? await resolveToolResult(part as Part, where, counter) : part);
    }
    out.push(copyWithContent(message, parts as ContentPart[]));
  }
  return out;
}

function copyWithContent(message: MessageInput, content: ContentPart[]): MessageInit {
  const { role, name } = message;
  const init: MessageInit = { ...(message as MessageInit), role, content };
  if (name !== undefined) init.name = name;
  const toolCalls = "toolCalls" in message ? message.toolCalls : undefined;
  if (toolCalls !== undefined) init.toolCalls = toolCalls;
  const toolCallId = "toolCallId" in message ? message.toolCallId : undefined;
  if (toolCallId !== undefined) init.toolCallId = toolCallId;
  return init;
}
