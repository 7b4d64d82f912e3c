/**
 * Resolved document parts -> Anthropic document blocks. Media parts are resolved (and checked) once first
 * (resolve-media-parts.ts: file paths read, size checked, type from the bytes); here the resolved form is
 * trusted (resolved-media.ts).
 * PDFs become base64 document blocks; text formats (txt, csv, md, html) a text document; Office formats
 * (doc, docx, xls, xlsx) stay base64 and are only accepted on Converse (see checkAnthropicDocuments).
 */
import { InvalidRequestError } from "../../../schema/errors.js";
import type { AnthropicDocumentBlock, AnthropicRequestBody } from "../anthropic/anthropic-types.js";
import { resolvedMediaOf } from "./resolved-media.js";

const TEXT_FORMATS = new Set(["txt", "csv", "md", "html"]);

export function toDocumentBlock(part: Record<string, unknown>, where: string): AnthropicDocumentBlock {
  const { data, format, name } = resolvedMediaOf(part, "document", where);
  const block: AnthropicDocumentBlock = TEXT_FORMATS.has(format.format)
    ? { type: "document", source: { type: "text", media_type: "text/plain", data: Buffer.from(data, "base64").toString("utf8") } }
    : { type: "document", source: { type: "base64", media_type: format.mediaType, data } };
  block.title = name;
  const citations = citationsOf(part["citations"], where);
  if (citations !== undefined) block.citations = { enabled: citations };
  return block;
}

/** `citations: true | false` (ours) or `{enabled: boolean}` (an Anthropic-native block). */
function citationsOf(value: unknown, where: string): boolean | undefined {
  if (value === undefined || typeof value === "boolean") return value;
  const enabled = value !== null && typeof value === "object" ? (value as { enabled?: unknown }).enabled : undefined;
  if (typeof enabled === "boolean") return enabled;
  throw new InvalidRequestError(`${where}: a document's citations must be true or false, got ${JSON.stringify(value)}.`);
}

/** InvokeModel (Claude's own API) takes PDF and plain-text documents only (in tool results too); say how to send the others. */
export function checkAnthropicDocuments(body: AnthropicRequestBody): void {
  for (const message of body.messages) {
    for (const block of message.content) {
      if (block.type === "document") checkAnthropicDocument(block);
      if (block.type === "tool_result" && Array.isArray(block.content)) for (const item of block.content) if (item.type === "document") checkAnthropicDocument(item);
    }
  }
}

function checkAnthropicDocument(block: AnthropicDocumentBlock): void {
  if (block.source.type === "text" || block.source.media_type === "application/pdf") return;
  throw new InvalidRequestError(
    `Claude on InvokeModel accepts PDF and text documents; ${block.source.media_type} documents need the Converse API (set api: "converse" in the model's config).`,
  );
}
