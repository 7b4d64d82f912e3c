/**
 * Turns every image and document part of a history into one canonical shape before a request is built:
 * `{type: "image" | "document", data: <base64>, mediaType, name?}`. Accepted inputs: base64 data with a
 * media type, `data:` URLs (also in OpenAI `image_url` parts) and local file paths. Type (from the bytes) and
 * size (Bedrock's limits) are checked here, so a bad part fails before anything is sent. Remote http(s) URLs
 * are rejected: nothing is fetched on the caller's behalf.
 */
import { basename, extname } from "node:path";
import type { ContentPart, DocumentPart, ImagePart, MessageInit, MessageInput } from "../../../schema/message.js";
import { InvalidRequestError } from "../../../schema/errors.js";
import { formatForMediaType, type MediaKind } from "./detect-media-type.js";
import { checkMediaBytes, checkMediaSize, readMediaFile } from "./read-media-file.js";

/** An image or document part after resolution: data is base64 (no `data:` prefix), mediaType is what the bytes are. */
export type ResolvedMediaPart = (ImagePart & { data: string; mediaType: string }) | (DocumentPart & { data: string; mediaType: string; name: string });

const BASE64 = /^[A-Za-z0-9+/\s]*={0,2}\s*$/;

function decodeBase64(data: string, what: string): Uint8Array {
  if (!BASE64.test(data)) throw new InvalidRequestError(`${what} is not valid base64 data; give base64 text, a data: URL or a file path.`);
  return new Uint8Array(Buffer.from(data, "base64"));
}

interface Source {
  data?: string | undefined;
  mediaType?: string | undefined;
  path?: string | undefined;
}

function parseDataUrl(url: string, what: string): { data: string; mediaType: string } {
  const match = /^data:([^;,]+)?((?:;[^;,]+)*?);base64,(.*)$/s.exec(url);
  if (!match) throw new InvalidRequestError(`${what} is a data: URL without base64 data; use data:<media type>;base64,<data>.`);
  return { mediaType: match[1] ?? "", data: match[3]! };
}

function rejectRemote(value: string, kind: MediaKind, what: string): void {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) {
    throw new InvalidRequestError(
      `${what} is a remote URL (${value.split(":")[0]}://...): remote ${kind} URLs are not fetched. Download the file and pass its bytes (base64 data or a data: URL) or a local path.`,
    );
  }
}

async function resolveSource(kind: MediaKind, source: Source, what: string): Promise<{ data: string; mediaType: string; fileName?: string }> {
  if (source.path !== undefined) {
    rejectRemote(source.path, kind, what);
    const { bytes, format } = await readMediaFile(source.path, kind);
    return { data: Buffer.from(bytes).toString("base64"), mediaType: format.mediaType, fileName: basename(source.path, extname(source.path)) };
  }
  if (source.data === undefined || source.data === "") {
    throw new InvalidRequestError(`${what} has no content: set data (base64 or a data: URL) or path.`);
  }
  let { data, mediaType } = source;
  if (data.startsWith("data:")) ({ data, mediaType } = parseDataUrl(data, what));
  else rejectRemote(data, kind, what);
  const declared = mediaType ? formatForMediaType(mediaType) : undefined;
  if (mediaType && declared === undefined) {
    throw new InvalidRequestError(`${what} has media type "${mediaType}", which is not supported for ${kind}s by Bedrock.`);
  }
  checkMediaSize(kind, Math.floor((data.replace(/\s/g, "").length * 3) / 4), what);
  const format = checkMediaBytes(kind, decodeBase64(data, what), declared?.kind === kind ? declared : undefined, what);
  return { data: data.replace(/\s/g, ""), mediaType: format.mediaType };
}

async function resolvePart(part: ContentPart, where: string, counter: { documents: number }): Promise<ContentPart> {
  if (part.type === "image") {
    const resolved = await resolveSource("image", part, `The image in ${where}`);
    return { ...withoutSource(part), data: resolved.data, mediaType: resolved.mediaType };
  }
  if (part.type === "image_url") {
    const resolved = await resolveSource("image", { data: part.image_url.url }, `The image_url in ${where}`);
    return { type: "image", data: resolved.data, mediaType: resolved.mediaType };
  }
  if (part.type === "document") {
    counter.documents += 1;
    const resolved = await resolveSource("document", part, `The document in ${where}`);
    const name = part.name ?? resolved.fileName ?? `document-${counter.documents}`;
    return { ...withoutSource(part), data: resolved.data, mediaType: resolved.mediaType, name };
  }
  return part;
}

function withoutSource<T extends ImagePart | DocumentPart>(part: T): T {
  const copy = { ...part };
  delete copy.path;
  return copy;
}

const isMedia = (part: ContentPart): boolean => part.type === "image" || part.type === "image_url" || part.type === "document";

/** Whether any message has an image or document part (most calls have none, and skip the resolution). */
export function hasMediaParts(messages: readonly MessageInput[]): boolean {
  return messages.some((message) => Array.isArray(message?.content) && message.content.some(isMedia));
}

/** The same history with every media part resolved; messages without media parts are returned as they are. */
export async function resolveMediaParts(messages: readonly MessageInput[]): Promise<MessageInput[]> {
  const counter = { documents: 0 };
  const out: MessageInput[] = [];
  for (const [index, message] of messages.entries()) {
    const content = message.content;
    if (!Array.isArray(content) || !content.some(isMedia)) {
      out.push(message);
      continue;
    }
    const where = `message ${index} (${message.role})`;
    const parts: ContentPart[] = [];
    for (const part of content) parts.push(await resolvePart(part, where, counter));
    out.push(copyWithContent(message, parts));
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
