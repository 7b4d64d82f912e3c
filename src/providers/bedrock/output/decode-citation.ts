/**
 * Citations as Claude's Messages API (InvokeModel: `char_location`, `page_location`,
 * `content_block_location`) and Converse (`Citation` / `CitationsDelta` with a `location` union of
 * `documentChar`, `documentPage`, `documentChunk`) report them -> one shape. Unknown kinds (web or search
 * results, which this library does not send) are skipped.
 */
import type { CitationSource } from "./model-stream-part.js";

type Json = Record<string, unknown>;

const num = (value: unknown): number | undefined => (typeof value === "number" && Number.isFinite(value) ? value : undefined);
const str = (value: unknown): string | undefined => (typeof value === "string" ? value : undefined);

const ANTHROPIC_KINDS = {
  char_location: { type: "char", start: "start_char_index", end: "end_char_index" },
  page_location: { type: "page", start: "start_page_number", end: "end_page_number" },
  content_block_location: { type: "chunk", start: "start_block_index", end: "end_block_index" },
} as const;

export function fromAnthropicCitation(value: unknown): CitationSource | undefined {
  if (value === null || typeof value !== "object") return undefined;
  const citation = value as Json;
  const kind = ANTHROPIC_KINDS[citation["type"] as keyof typeof ANTHROPIC_KINDS];
  const documentIndex = num(citation["document_index"]);
  const start = num(citation[kind?.start ?? ""]);
  const end = num(citation[kind?.end ?? ""]);
  if (!kind || documentIndex === undefined || start === undefined || end === undefined) return undefined;
  return withOptional({ documentIndex, location: { type: kind.type, start, end } }, str(citation["document_title"]), str(citation["cited_text"]));
}

const CONVERSE_KINDS = { documentChar: "char", documentPage: "page", documentChunk: "chunk" } as const;

export function fromConverseCitation(value: unknown): CitationSource | undefined {
  if (value === null || typeof value !== "object") return undefined;
  const citation = value as Json;
  const location = citation["location"];
  if (location === null || typeof location !== "object") return undefined;
  for (const [key, type] of Object.entries(CONVERSE_KINDS)) {
    const where = (location as Json)[key];
    if (where === null || typeof where !== "object") continue;
    const { documentIndex, start, end } = where as Json;
    if (num(documentIndex) === undefined || num(start) === undefined || num(end) === undefined) return undefined;
    const cited = Array.isArray(citation["sourceContent"])
      ? (citation["sourceContent"] as unknown[]).map((item) => str((item as Json | null)?.["text"]) ?? "").join("")
      : undefined;
    return withOptional({ documentIndex: documentIndex as number, location: { type, start: start as number, end: end as number } }, str(citation["title"]), cited);
  }
  return undefined;
}

function withOptional(citation: CitationSource, title: string | undefined, cited: string | undefined): CitationSource {
  if (title !== undefined) citation.documentTitle = title;
  if (cited !== undefined) citation.citedText = cited;
  return citation;
}
