/**
 * Claude's InvokeModelWithResponseStream event stream -> ModelStreamParts. Each `chunk` event's body is
 * `{"bytes": "<base64 of one Anthropic stream event as JSON>"}`. Every field read is checked: a missing or
 * mistyped one is a NetworkError "corrupt_response" naming it (errors/read-response-fields.ts). Event and
 * delta types this library does not know (ping, future ones) are skipped.
 */
import { invokeGuardrailParts } from "../options/map-guardrail.js";
import type { ModelStreamPart, UsageCounts } from "../output/model-stream-part.js";
import { headerString, type Message } from "../transport/read-event-stream.js";
import {
  base64Field,
  countField,
  jsonField,
  nullableStringField,
  objectField,
  optionalArrayField,
  optionalTokenCountField,
  optionalObjectField,
  optionalStringField,
  stringField,
  type JsonObject,
} from "../errors/read-response-fields.js";
import { fromAnthropicCitation } from "../output/decode-citation.js";

const decoder = new TextDecoder();

/**
 * The parts of `events`, pushed onto `into` (and returned). A malformed event throws with the parts of the
 * events before it already in `into` (a bad event adds nothing).
 */
export function anthropicStreamParts(events: Message[], into: ModelStreamPart[] = []): ModelStreamPart[] {
  for (const message of events) {
    if (headerString(message, ":event-type") !== "chunk") continue;
    const event = parseChunk(message.body);
    into.push(...anthropicEventToParts(event), ...invokeGuardrailParts(event));
  }
  return into;
}

const CHUNK = "an event-stream chunk";

/** A chunk's payload `{"bytes": base64}` -> the Anthropic event its bytes hold as JSON. */
function parseChunk(body: Uint8Array): JsonObject {
  const payload = objectField(jsonField(decoder.decode(body), CHUNK, "(body)"), CHUNK, "(body)");
  const bytes = base64Field(payload["bytes"], CHUNK, "bytes");
  return objectField(jsonField(bytes.toString("utf8"), CHUNK, "bytes (decoded)"), CHUNK, "bytes (decoded)");
}

/** One Anthropic stream event (already JSON-parsed) -> parts. */
export function anthropicEventToParts(event: JsonObject): ModelStreamPart[] {
  const type = stringField(event["type"], "an Anthropic stream event", "type");
  const item = `a ${type} event`;
  switch (type) {
    case "content_block_delta":
      return deltaParts(countField(event["index"], item, "index"), objectField(event["delta"], item, "delta"), item);
    case "content_block_start":
      return blockStartParts(countField(event["index"], item, "index"), objectField(event["content_block"], item, "content_block"), item);
    case "content_block_stop":
      return [{ type: "block_stop", blockIndex: countField(event["index"], item, "index") }];
    case "message_start": {
      const message = objectField(event["message"], item, "message");
      return [
        { type: "start", id: optionalStringField(message["id"], item, "message.id") },
        { type: "usage", usage: fromAnthropicUsage(optionalObjectField(message["usage"], item, "message.usage"), item, "message.usage") },
      ];
    }
    case "message_delta": {
      const delta = objectField(event["delta"], item, "delta");
      return [
        { type: "usage", usage: fromAnthropicUsage(optionalObjectField(event["usage"], item, "usage"), item, "usage") },
        { type: "finish", stopReason: nullableStringField(delta["stop_reason"], item, "delta.stop_reason"), stopSequence: nullableStringField(delta["stop_sequence"], item, "delta.stop_sequence") },
      ];
    }
    case "message_stop": {
      const metrics = optionalObjectField(event["amazon-bedrock-invocationMetrics"], item, "amazon-bedrock-invocationMetrics");
      return metrics ? [{ type: "usage", usage: fromInvocationMetrics(metrics, item) }] : [];
    }
    default:
      return [];
  }
}

function deltaParts(blockIndex: number, delta: JsonObject, item: string): ModelStreamPart[] {
  switch (stringField(delta["type"], item, "delta.type")) {
    case "text_delta":
      return [{ type: "text", blockIndex, text: stringField(delta["text"], item, "delta.text") }];
    case "input_json_delta":
      return [{ type: "tool_call_delta", blockIndex, argumentsDelta: stringField(delta["partial_json"], item, "delta.partial_json") }];
    case "thinking_delta":
      return [{ type: "thinking", blockIndex, text: stringField(delta["thinking"], item, "delta.thinking") }];
    case "signature_delta":
      return [{ type: "thinking_signature", blockIndex, signature: stringField(delta["signature"], item, "delta.signature") }];
    case "citations_delta":
      return anthropicCitationPart(blockIndex, delta["citation"], item, "delta.citation");
    default:
      return [];
  }
}

function blockStartParts(blockIndex: number, block: JsonObject, item: string): ModelStreamPart[] {
  switch (stringField(block["type"], item, "content_block.type")) {
    case "tool_use":
      return [{ type: "tool_call_start", blockIndex, id: stringField(block["id"], item, "content_block.id"), name: stringField(block["name"], item, "content_block.name") }];
    case "text": {
      const text = optionalStringField(block["text"], item, "content_block.text");
      const citations = anthropicCitationParts(blockIndex, optionalArrayField(block["citations"], item, "content_block.citations"), item, "content_block.citations");
      return text ? [...citations, { type: "text", blockIndex, text }] : citations;
    }
    default:
      return [];
  }
}

/** Anthropic usage -> counts (absent fields stay absent; null cache counts, as Bedrock sends them, too). */
export function fromAnthropicUsage(usage: JsonObject | undefined, item: string, path: string): Partial<UsageCounts> {
  if (!usage) return {};
  const out: Partial<UsageCounts> = {};
  const inputTokens = optionalTokenCountField(usage["input_tokens"], item, `${path}.input_tokens`);
  const outputTokens = optionalTokenCountField(usage["output_tokens"], item, `${path}.output_tokens`);
  const cacheReadTokens = optionalTokenCountField(usage["cache_read_input_tokens"], item, `${path}.cache_read_input_tokens`);
  const cacheWriteTokens = optionalTokenCountField(usage["cache_creation_input_tokens"], item, `${path}.cache_creation_input_tokens`);
  if (inputTokens !== undefined) out.inputTokens = inputTokens;
  if (outputTokens !== undefined) out.outputTokens = outputTokens;
  if (cacheReadTokens !== undefined) out.cacheReadTokens = cacheReadTokens;
  if (cacheWriteTokens !== undefined) out.cacheWriteTokens = cacheWriteTokens;
  const cacheCreation = optionalObjectField(usage["cache_creation"], item, `${path}.cache_creation`);
  const oneHour = optionalTokenCountField(cacheCreation?.["ephemeral_1h_input_tokens"], item, `${path}.cache_creation.ephemeral_1h_input_tokens`);
  if (oneHour !== undefined) out.cacheWrite1hTokens = oneHour;
  return out;
}

/** Bedrock's own counts on the last event; they include what a stream cut before message_delta never reported. */
function fromInvocationMetrics(metrics: JsonObject, item: string): Partial<UsageCounts> {
  const path = "amazon-bedrock-invocationMetrics";
  return {
    inputTokens: optionalTokenCountField(metrics["inputTokenCount"], item, `${path}.inputTokenCount`),
    outputTokens: optionalTokenCountField(metrics["outputTokenCount"], item, `${path}.outputTokenCount`),
    cacheReadTokens: optionalTokenCountField(metrics["cacheReadInputTokenCount"], item, `${path}.cacheReadInputTokenCount`),
    cacheWriteTokens: optionalTokenCountField(metrics["cacheWriteInputTokenCount"], item, `${path}.cacheWriteInputTokenCount`),
  } as Partial<UsageCounts>;
}

/** The citations of a text block (`citations` at `path` of `item`), as parts. */
export function anthropicCitationParts(blockIndex: number, citations: readonly unknown[] | undefined, item: string, path: string): ModelStreamPart[] {
  const parts: ModelStreamPart[] = [];
  citations?.forEach((value, index) => parts.push(...anthropicCitationPart(blockIndex, value, item, `${path}[${index}]`)));
  return parts;
}

/** One citation as a part (none for a kind this library does not read). */
function anthropicCitationPart(blockIndex: number, value: unknown, item: string, path: string): ModelStreamPart[] {
  const citation = fromAnthropicCitation(value, item, path);
  return citation ? [{ type: "citation", blockIndex, citation }] : [];
}
