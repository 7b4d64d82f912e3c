/**
 * Decoders for Claude's answers on Bedrock: the InvokeModelWithResponseStream event stream and the
 * InvokeModel JSON body. Both produce ModelStreamParts.
 */
import type { AnthropicContentBlock, AnthropicResponseBody, AnthropicUsage } from "./anthropic-types.js";
import { invokeGuardrailParts } from "../options/map-guardrail.js";
import type { ModelStreamPart, UsageCounts } from "../output/model-stream-part.js";
import { headerString, type Message } from "../transport/read-event-stream.js";
import { fromAnthropicCitation } from "../output/decode-citation.js";

const decoder = new TextDecoder();

/**
 * InvokeModelWithResponseStream events -> parts. Each `chunk` event's body is
 * `{"bytes": "<base64 of one Anthropic stream event as JSON>"}`.
 */
export function anthropicStreamParts(events: Message[]): ModelStreamPart[] {
  const parts: ModelStreamPart[] = [];
  for (const message of events) {
    if (headerString(message, ":event-type") !== "chunk") continue;
    const event = parseChunk(message.body);
    parts.push(...anthropicEventToParts(event), ...invokeGuardrailParts(event));
  }
  return parts;
}

function parseChunk(body: Uint8Array): AnthropicStreamEvent {
  const payload = JSON.parse(decoder.decode(body)) as { bytes?: unknown };
  if (typeof payload.bytes !== "string") throw new SyntaxError("An event-stream chunk has no base64 `bytes` field.");
  return JSON.parse(Buffer.from(payload.bytes, "base64").toString("utf8")) as AnthropicStreamEvent;
}

interface AnthropicStreamEvent {
  type: string;
  index?: number;
  message?: { id?: string; usage?: AnthropicUsage };
  content_block?: { type: string; id?: string; name?: string; text?: string; thinking?: string; citations?: unknown[] };
  delta?: { type?: string; citation?: unknown; text?: string; partial_json?: string; thinking?: string; signature?: string; stop_reason?: string | null; stop_sequence?: string | null };
  usage?: AnthropicUsage;
  "amazon-bedrock-invocationMetrics"?: { inputTokenCount?: number; outputTokenCount?: number; cacheReadInputTokenCount?: number; cacheWriteInputTokenCount?: number };
}

export function anthropicEventToParts(event: AnthropicStreamEvent): ModelStreamPart[] {
  const index = event.index ?? 0;
  switch (event.type) {
    case "content_block_delta": {
      const delta = event.delta;
      if (delta?.type === "text_delta") return [{ type: "text", blockIndex: index, text: delta.text ?? "" }];
      if (delta?.type === "input_json_delta") return [{ type: "tool_call_delta", blockIndex: index, argumentsDelta: delta.partial_json ?? "" }];
      if (delta?.type === "thinking_delta") return [{ type: "thinking", blockIndex: index, text: delta.thinking ?? "" }];
      if (delta?.type === "signature_delta") return [{ type: "thinking_signature", blockIndex: index, signature: delta.signature ?? "" }];
      if (delta?.type === "citations_delta") return citationParts(index, [delta.citation]);
      return [];
    }
    case "content_block_start": {
      const block = event.content_block;
      if (block?.type === "tool_use") return [{ type: "tool_call_start", blockIndex: index, id: block.id ?? "", name: block.name ?? "" }];
      if (block?.type === "text") return [...citationParts(index, block.citations), ...(block.text ? [{ type: "text", blockIndex: index, text: block.text } as const] : [])];
      return [];
    }
    case "content_block_stop":
      return [{ type: "block_stop", blockIndex: index }];
    case "message_start":
      return [{ type: "start", id: event.message?.id }, { type: "usage", usage: fromAnthropicUsage(event.message?.usage) }];
    case "message_delta":
      return [
        { type: "usage", usage: fromAnthropicUsage(event.usage) },
        { type: "finish", stopReason: event.delta?.stop_reason ?? null, stopSequence: event.delta?.stop_sequence ?? null },
      ];
    case "message_stop": {
      const metrics = event["amazon-bedrock-invocationMetrics"];
      if (!metrics) return [];
      return [
        {
          type: "usage",
          usage: {
            inputTokens: metrics.inputTokenCount,
            outputTokens: metrics.outputTokenCount,
            cacheReadTokens: metrics.cacheReadInputTokenCount,
            cacheWriteTokens: metrics.cacheWriteInputTokenCount,
          } as Partial<UsageCounts>,
        },
      ];
    }
    default:
      return [];
  }
}

export function fromAnthropicUsage(usage: AnthropicUsage | undefined): Partial<UsageCounts> {
  if (!usage) return {};
  const out: Partial<UsageCounts> = {};
  if (typeof usage.input_tokens === "number") out.inputTokens = usage.input_tokens;
  if (typeof usage.output_tokens === "number") out.outputTokens = usage.output_tokens;
  if (typeof usage.cache_read_input_tokens === "number") out.cacheReadTokens = usage.cache_read_input_tokens;
  if (typeof usage.cache_creation_input_tokens === "number") out.cacheWriteTokens = usage.cache_creation_input_tokens;
  const oneHour = usage.cache_creation?.ephemeral_1h_input_tokens;
  if (typeof oneHour === "number") out.cacheWrite1hTokens = oneHour;
  return out;
}

function citationParts(blockIndex: number, citations: unknown[] | undefined): ModelStreamPart[] {
  const parts: ModelStreamPart[] = [];
  for (const value of citations ?? []) {
    const citation = fromAnthropicCitation(value);
    if (citation) parts.push({ type: "citation", blockIndex, citation });
  }
  return parts;
}

/** The InvokeModel JSON body as the same parts a stream would give. */
export function anthropicResponseToParts(body: AnthropicResponseBody): ModelStreamPart[] {
  const parts: ModelStreamPart[] = [{ type: "start", id: body.id }, { type: "usage", usage: fromAnthropicUsage(body.usage) }];
  (body.content ?? []).forEach((block: AnthropicContentBlock, blockIndex) => {
    if (block.type === "text") parts.push({ type: "text", blockIndex, text: block.text }, ...citationParts(blockIndex, (block as { citations?: unknown[] }).citations));
    else if (block.type === "thinking") {
      parts.push({ type: "thinking", blockIndex, text: block.thinking });
      if (block.signature !== undefined) parts.push({ type: "thinking_signature", blockIndex, signature: block.signature });
    } else if (block.type === "redacted_thinking") parts.push({ type: "redacted_thinking", blockIndex, data: block.data });
    else if (block.type === "tool_use") {
      parts.push({ type: "tool_call_start", blockIndex, id: block.id, name: block.name });
      parts.push({ type: "tool_call_delta", blockIndex, argumentsDelta: JSON.stringify(block.input ?? {}) });
    } else return;
    parts.push({ type: "block_stop", blockIndex });
  });
  parts.push({ type: "finish", stopReason: body.stop_reason ?? null, stopSequence: body.stop_sequence ?? null });
  parts.push(...invokeGuardrailParts(body));
  return parts;
}
