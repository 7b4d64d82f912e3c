/**
 * The internal prompt form (NormalizedPrompt: Anthropic's Messages shape, as convert-to-anthropic-messages.ts
 * produces it with all its repairs: merged turns, dropped empty text, tool blocks as text when no tools are
 * offered) -> Converse `system` and `messages`. Converse requests are always built from that form. A `cache_control` mark becomes a `cachePoint` block right after its block.
 * Images and documents in that form were resolved and checked once (media/resolve-media-parts.ts); their media
 * types are typed, and converted here without another check.
 */
import type { ContentBlock, DocumentBlock, ImageBlock, Message, SystemContentBlock, ToolResultContentBlock } from "@aws-sdk/client-bedrock-runtime";
import type { AnthropicContentBlock, AnthropicDocumentBlock, AnthropicImageBlock, AnthropicMessage, AnthropicTextBlock, AnthropicToolResultContent } from "../anthropic/anthropic-types.js";
import { converseCachePoint } from "../options/apply-cache-points.js";
import type { NormalizedPrompt } from "../anthropic/convert-to-anthropic-messages.js";
import { documentFormatOf, imageFormatOf } from "../media/detect-media-type.js";

export interface ConversePrompt {
  system: SystemContentBlock[];
  messages: Message[];
}

/** Text sent for a tool result with no content (Converse needs at least one non-empty block). */
export const EMPTY_TOOL_RESULT = "(empty result)";

const bytesOf = (base64: string): Uint8Array => new Uint8Array(Buffer.from(base64, "base64"));

function imageBlock(block: AnthropicImageBlock): ImageBlock {
  return { format: imageFormatOf(block.source.media_type), source: { bytes: bytesOf(block.source.data) } };
}

function documentBlock(block: AnthropicDocumentBlock, names: DocumentNamer): DocumentBlock {
  const name = names.next(block.title);
  const citations = block.citations ? { citations: { enabled: block.citations.enabled } } : {};
  if (block.source.type === "text") return { format: "txt", name, source: { bytes: new TextEncoder().encode(block.source.data) }, ...citations };
  return { format: documentFormatOf(block.source.media_type), name, source: { bytes: bytesOf(block.source.data) }, ...citations };
}

function toolResultItem(block: AnthropicToolResultContent, names: DocumentNamer): ToolResultContentBlock {
  if (block.type === "text") return { text: block.text };
  return block.type === "image" ? { image: imageBlock(block) } : { document: documentBlock(block, names) };
}

/** Converse document names: letters, digits, single spaces, hyphens, parentheses, brackets; unique per request. */
export class DocumentNamer {
  readonly #used = new Set<string>();
  next(title: string | undefined): string {
    const base = (title ?? "")
      .replace(/[^A-Za-z0-9\s\-()[\]]/g, "-")
      .replace(/\s+/g, " ")
      .trim()
      .slice(0, 200) || `document-${this.#used.size + 1}`;
    let name = base;
    for (let n = 2; this.#used.has(name); n += 1) name = `${base} (${n})`;
    this.#used.add(name);
    return name;
  }
}

function convertBlock(block: AnthropicContentBlock, names: DocumentNamer): ContentBlock {
  switch (block.type) {
    case "text":
      return { text: block.text };
    case "image":
      return { image: imageBlock(block) };
    case "document":
      return { document: documentBlock(block, names) };
    case "tool_use":
      return { toolUse: { toolUseId: block.id, name: block.name, input: block.input as never } };
    case "tool_result": {
      const content: ToolResultContentBlock[] =
        typeof block.content === "string"
          ? [{ text: block.content }]
          : (block.content ?? []).map((item) => toolResultItem(item, names));
      // Converse requires at least one content block in a tool result.
      const result: ContentBlock.ToolResultMember["toolResult"] = { toolUseId: block.tool_use_id, content: content.length > 0 ? content : [{ text: EMPTY_TOOL_RESULT }] };
      if (block.is_error) result.status = "error";
      return { toolResult: result };
    }
    case "thinking":
      return { reasoningContent: { reasoningText: block.signature === undefined ? { text: block.thinking } : { text: block.thinking, signature: block.signature } } };
    case "redacted_thinking":
      return { reasoningContent: { redactedContent: bytesOf(block.data) } };
  }
}

function convertTurn(turn: AnthropicMessage, names: DocumentNamer): Message {
  const content: ContentBlock[] = [];
  for (const block of turn.content) {
    content.push(convertBlock(block, names));
    if ("cache_control" in block && block.cache_control) content.push(converseCachePoint(block.cache_control.ttl));
  }
  return { role: turn.role, content };
}

function convertSystem(system: AnthropicTextBlock[]): SystemContentBlock[] {
  const out: SystemContentBlock[] = [];
  for (const block of system) {
    out.push({ text: block.text });
    if (block.cache_control) out.push(converseCachePoint(block.cache_control.ttl));
  }
  return out;
}

export function convertToConverseMessages(prompt: NormalizedPrompt): ConversePrompt {
  const names = new DocumentNamer();
  return { system: convertSystem(prompt.system), messages: prompt.messages.map((turn) => convertTurn(turn, names)) };
}
