/**
 * The internal prompt form (NormalizedPrompt: Anthropic's Messages shape, as convert-to-anthropic-messages.ts
 * produces it with all its repairs: merged turns, dropped empty text, tool blocks as text when no tools are
 * offered) -> Converse `system` and `messages`. Converse requests are always built from that form. A `cache_control` mark becomes a `cachePoint` block right after its block.
 */
import type { ContentBlock, DocumentFormat, ImageFormat, Message, SystemContentBlock, ToolResultContentBlock } from "@aws-sdk/client-bedrock-runtime";
import { InvalidRequestError } from "../../../schema/errors.js";
import type { AnthropicContentBlock, AnthropicMessage, AnthropicTextBlock } from "../anthropic/anthropic-types.js";
import { converseCachePoint } from "../options/apply-cache-points.js";
import type { NormalizedPrompt } from "../anthropic/convert-to-anthropic-messages.js";
import { formatForMediaType } from "../media/detect-media-type.js";

export interface ConversePrompt {
  system: SystemContentBlock[];
  messages: Message[];
}

/** Text sent for a tool result with no content (Converse needs at least one non-empty block). */
export const EMPTY_TOOL_RESULT = "(empty result)";

const bytesOf = (base64: string): Uint8Array => new Uint8Array(Buffer.from(base64, "base64"));

function imageFormat(mediaType: string): ImageFormat {
  const format = formatForMediaType(mediaType);
  if (format?.kind !== "image") throw new InvalidRequestError(`Image type "${mediaType}" is not supported by Converse; use png, jpeg, gif or webp.`);
  return format.format as ImageFormat;
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
      return { image: { format: imageFormat(block.source.media_type), source: { bytes: bytesOf(block.source.data) } } };
    case "document": {
      const name = names.next(block.title);
      if (block.source.type === "text") return { document: { format: "txt", name, source: { bytes: new TextEncoder().encode(block.source.data) } } };
      const format = formatForMediaType(block.source.media_type);
      if (format?.kind !== "document") throw new InvalidRequestError(`Document type "${block.source.media_type}" is not supported by Converse.`);
      return { document: { format: format.format as DocumentFormat, name, source: { bytes: bytesOf(block.source.data) } } };
    }
    case "tool_use":
      return { toolUse: { toolUseId: block.id, name: block.name, input: block.input as never } };
    case "tool_result": {
      const content: ToolResultContentBlock[] =
        typeof block.content === "string"
          ? [{ text: block.content }]
          : (block.content ?? []).map((b) => (b.type === "text" ? { text: b.text } : { image: { format: imageFormat(b.source.media_type), source: { bytes: bytesOf(b.source.data) } } }));
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
    if ("cache_control" in block && block.cache_control) content.push(converseCachePoint());
  }
  return { role: turn.role, content };
}

function convertSystem(system: AnthropicTextBlock[]): SystemContentBlock[] {
  const out: SystemContentBlock[] = [];
  for (const block of system) {
    out.push({ text: block.text });
    if (block.cache_control) out.push(converseCachePoint());
  }
  return out;
}

export function convertToConverseMessages(prompt: NormalizedPrompt): ConversePrompt {
  const names = new DocumentNamer();
  return { system: convertSystem(prompt.system), messages: prompt.messages.map((turn) => convertTurn(turn, names)) };
}
