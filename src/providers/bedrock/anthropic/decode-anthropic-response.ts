/**
 * Claude's InvokeModel JSON body -> the same ModelStreamParts a stream would give, every field read checked
 * (a missing or mistyped one is a NetworkError "corrupt_response" naming it).
 */
import { invokeGuardrailParts } from "../options/map-guardrail.js";
import type { ModelStreamPart } from "../output/model-stream-part.js";
import {
  arrayField,
  nullableStringField,
  objectField,
  optionalArrayField,
  optionalObjectField,
  optionalStringField,
  stringField,
  type JsonObject,
} from "../errors/read-response-fields.js";
import { anthropicCitationParts, fromAnthropicUsage } from "./decode-anthropic-stream.js";

const ITEM = "the InvokeModel response";

export function anthropicResponseToParts(body: JsonObject): ModelStreamPart[] {
  const parts: ModelStreamPart[] = [
    { type: "start", id: optionalStringField(body["id"], ITEM, "id") },
    { type: "usage", usage: fromAnthropicUsage(optionalObjectField(body["usage"], ITEM, "usage"), ITEM, "usage") },
  ];
  const content = body["content"] === undefined ? [] : arrayField(body["content"], ITEM, "content");
  content.forEach((value, blockIndex) => {
    const path = `content[${blockIndex}]`;
    const block = objectField(value, ITEM, path);
    if (blockParts(block, blockIndex, path, parts)) parts.push({ type: "block_stop", blockIndex });
  });
  parts.push({ type: "finish", stopReason: nullableStringField(body["stop_reason"], ITEM, "stop_reason"), stopSequence: nullableStringField(body["stop_sequence"], ITEM, "stop_sequence") });
  parts.push(...invokeGuardrailParts(body));
  return parts;
}

/** Pushes one content block's parts; false for block types this library does not read. */
function blockParts(block: JsonObject, blockIndex: number, path: string, parts: ModelStreamPart[]): boolean {
  switch (stringField(block["type"], ITEM, `${path}.type`)) {
    case "text":
      parts.push({ type: "text", blockIndex, text: stringField(block["text"], ITEM, `${path}.text`) });
      parts.push(...anthropicCitationParts(blockIndex, optionalArrayField(block["citations"], ITEM, `${path}.citations`), ITEM, `${path}.citations`));
      return true;
    case "thinking": {
      parts.push({ type: "thinking", blockIndex, text: stringField(block["thinking"], ITEM, `${path}.thinking`) });
      const signature = optionalStringField(block["signature"], ITEM, `${path}.signature`);
      if (signature !== undefined) parts.push({ type: "thinking_signature", blockIndex, signature });
      return true;
    }
    case "redacted_thinking":
      parts.push({ type: "redacted_thinking", blockIndex, data: stringField(block["data"], ITEM, `${path}.data`) });
      return true;
    case "tool_use": {
      const id = stringField(block["id"], ITEM, `${path}.id`);
      const name = stringField(block["name"], ITEM, `${path}.name`);
      parts.push({ type: "tool_call_start", blockIndex, id, name });
      parts.push({ type: "tool_call_delta", blockIndex, argumentsDelta: JSON.stringify(block["input"] ?? {}) });
      return true;
    }
    default:
      return false;
  }
}
