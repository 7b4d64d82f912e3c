/**
 * Resolved document parts -> Anthropic document blocks. Media parts are resolved (and checked) once first
 * (resolve-media-parts.ts: file paths read, type from the bytes, size checked), so here a document has base64
 * data and the media type its bytes are.
 * PDFs become base64 document blocks; text formats (txt, csv, md, html) a text document; Office formats
 * (doc, docx, xls, xlsx) stay base64 and are only accepted on Converse (see checkAnthropicDocuments).
 */
import { InvalidRequestError } from "../../../schema/errors.js";
import type { AnthropicDocumentBlock, AnthropicRequestBody } from "../anthropic/anthropic-types.js";
import { resolvedMedia } from "./resolve-media-parts.js";

const TEXT_FORMATS = new Set(["txt", "csv", "md", "html"]);

export function toDocumentBlock(part: Record<string, unknown>, where: string): AnthropicDocumentBlock {
  const { data, format } = resolvedMedia(part, "document", where);
  const block: AnthropicDocumentBlock = TEXT_FORMATS.has(format.format)
    ? { type: "document", source: { type: "text", media_type: "text/plain", data: Buffer.from(data, "base64").toString("utf8") } }
    : { type: "document", source: { type: "base64", media_type: format.mediaType, data } };
  if (typeof part["name"] === "string" && part["name"] !== "") block.title = part["name"];
  const citations = part["citations"];
  if (citations !== undefined) {
    if (typeof citations !== "boolean") throw new InvalidRequestError(`${where}: a document's citations must be true or false, got ${JSON.stringify(citations)}.`);
    block.citations = { enabled: citations };
  }
  return block;
}

/** InvokeModel (Claude's own API) takes PDF and plain-text documents only; say how to send the others. */
export function checkAnthropicDocuments(body: AnthropicRequestBody): void {
  for (const message of body.messages) {
    for (const block of message.content) {
      if (block.type !== "document" || block.source.type === "text" || block.source.media_type === "application/pdf") continue;
      throw new InvalidRequestError(
        `Claude on InvokeModel accepts PDF and text documents; ${block.source.media_type} documents need the Converse API (set api: "converse" in the model's config).`,
      );
    }
  }
}
