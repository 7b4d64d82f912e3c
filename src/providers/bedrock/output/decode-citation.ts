/**
 * Citations as Claude's Messages API (InvokeModel: `char_location`, `page_location`,
 * `content_block_location`) and Converse (`Citation` / `CitationsDelta` with a `location` union of
 * `documentChar`, `documentPage`, `documentChunk`) report them -> one shape. Every field read is checked like
 * the rest of a response (errors/read-response-fields.ts): a malformed citation is a NetworkError
 * "corrupt_response" naming the field, not a citation silently lost. Kinds this library does not send
 * documents for (web and search results) are skipped, as is a Converse citation without a location.
 */
import {
  countField,
  nullableStringField,
  objectField,
  optionalArrayField,
  optionalObjectField,
  optionalStringField,
  stringField,
} from "../errors/read-response-fields.js";
import type { CitationSource } from "./model-stream-part.js";

const ANTHROPIC_KINDS = {
  char_location: { type: "char", start: "start_char_index", end: "end_char_index" },
  page_location: { type: "page", start: "start_page_number", end: "end_page_number" },
  content_block_location: { type: "chunk", start: "start_block_index", end: "end_block_index" },
} as const;

/** One Anthropic citation at `path` of `item` (e.g. "delta.citation" of a content_block_delta event). */
export function fromAnthropicCitation(value: unknown, item: string, path: string): CitationSource | undefined {
  const citation = objectField(value, item, path);
  const kind = ANTHROPIC_KINDS[stringField(citation["type"], item, `${path}.type`) as keyof typeof ANTHROPIC_KINDS];
  if (kind === undefined) return undefined;
  const documentIndex = countField(citation["document_index"], item, `${path}.document_index`);
  const start = countField(citation[kind.start], item, `${path}.${kind.start}`);
  const end = countField(citation[kind.end], item, `${path}.${kind.end}`);
  const title = nullableStringField(citation["document_title"], item, `${path}.document_title`) ?? undefined;
  const cited = optionalStringField(citation["cited_text"], item, `${path}.cited_text`);
  return withOptional({ documentIndex, location: { type: kind.type, start, end } }, title, cited);
}

const CONVERSE_KINDS = { documentChar: "char", documentPage: "page", documentChunk: "chunk" } as const;

/** One Converse citation at `path` of `item` (e.g. "delta.citation" of a contentBlockDelta event). */
export function fromConverseCitation(value: unknown, item: string, path: string): CitationSource | undefined {
  const citation = objectField(value, item, path);
  const location = optionalObjectField(citation["location"], item, `${path}.location`);
  if (location === undefined) return undefined;
  for (const [key, type] of Object.entries(CONVERSE_KINDS)) {
    const where = optionalObjectField(location[key], item, `${path}.location.${key}`);
    if (where === undefined) continue;
    const at = `${path}.location.${key}`;
    const documentIndex = countField(where["documentIndex"], item, `${at}.documentIndex`);
    const start = countField(where["start"], item, `${at}.start`);
    const end = countField(where["end"], item, `${at}.end`);
    const title = optionalStringField(citation["title"], item, `${path}.title`);
    return withOptional({ documentIndex, location: { type, start, end } }, title, citedText(citation["sourceContent"], item, `${path}.sourceContent`));
  }
  return undefined;
}

/** Converse's `sourceContent` (a list of `{text}`) as one string. */
function citedText(value: unknown, item: string, path: string): string | undefined {
  const content = optionalArrayField(value, item, path);
  return content?.map((entry, index) => optionalStringField(objectField(entry, item, `${path}[${index}]`)["text"], item, `${path}[${index}].text`) ?? "").join("");
}

function withOptional(citation: CitationSource, title: string | undefined, cited: string | undefined): CitationSource {
  if (title !== undefined) citation.documentTitle = title;
  if (cited !== undefined) citation.citedText = cited;
  return citation;
}
