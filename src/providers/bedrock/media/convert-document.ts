/**
 * Document parts -> Anthropic document blocks. Media parts are resolved first (resolve-media-parts.ts: file
 * paths read, type from the bytes, size checked), so here a document has base64 data and a media type.
 * PDFs become base64 document blocks; text formats (txt, csv, md, html) a text document; Office formats
 * (doc, docx, xls, xlsx) stay base64 and are only accepted on Converse (see checkAnthropicDocuments).
 */
import { InvalidRequestError } from "../../../schema/errors.js";
import type { AnthropicDocumentBlock, AnthropicRequestBody } from "../anthropic/anthropic-types.js";
import { formatForMediaType } from "./detect-media-type.js";
import { checkMediaBytes } from "./read-media-file.js";

const TEXT_FORMATS = new Set(["txt", "csv", "md", "html"]);

export function toDocumentBlock(part: Record<string, unknown>, where: string): AnthropicDocumentBlock {
  const data = part["data"];
  const mediaType = part["mediaType"] ?? part["media_type"];
  if (typeof part["path"] === "string" && data === undefined) {
    throw new InvalidRequestError(`${where}: document file paths are read by the provider before conversion; call resolveMediaParts first.`);
  }
  if (typeof data !== "string" || data === "" || typeof mediaType !== "string") {
    throw new InvalidRequestError(`${where}: a document part needs base64 data and a mediaType (for example application/pdf), or a path.`);
  }
  const declared = formatForMediaType(mediaType);
  if (declared?.kind !== "document") throw new InvalidRequestError(`${where}: "${mediaType}" is not a document type Bedrock accepts.`);
  const bytes = Buffer.from(data, "base64");
  const format = checkMediaBytes("document", bytes, declared, `The document in ${where}`);
  const block: AnthropicDocumentBlock = TEXT_FORMATS.has(format.format)
    ? { type: "document", source: { type: "text", media_type: "text/plain", data: bytes.toString("utf8") } }
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
