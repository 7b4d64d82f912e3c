/** A Converse response -> model parts, in the order a stream would deliver them, every field read checked. */
import { arrayField, objectField, optionalArrayField, optionalObjectField, optionalStringField, stringField, type JsonObject } from "../errors/read-response-fields.js";
import { bytesField, citationParts, converseUsage, serviceTierParts, type ConversePart } from "./converse-part.js";
import { stopSequenceOf } from "../stop-sequences/reported-stop-sequence.js";

const ITEM = "the Converse response";

export function decodeConverseResponse(output: JsonObject): ConversePart[] {
  const parts: ConversePart[] = [{ type: "start" }];
  const message = objectField(objectField(output["output"], ITEM, "output")["message"], ITEM, "output.message");
  arrayField(message["content"], ITEM, "output.message.content").forEach((value, blockIndex) => {
    const path = `output.message.content[${blockIndex}]`;
    blockParts(objectField(value, ITEM, path), blockIndex, path, parts);
    parts.push({ type: "block_stop", blockIndex });
  });
  parts.push({ type: "usage", usage: converseUsage(optionalObjectField(output["usage"], ITEM, "usage"), ITEM, "usage") });
  parts.push(...serviceTierParts(optionalObjectField(output["serviceTier"], ITEM, "serviceTier"), ITEM, "serviceTier"));
  const trace = optionalObjectField(output["trace"], ITEM, "trace");
  if (trace !== undefined) parts.push({ type: "trace", trace });
  parts.push({ type: "finish", stopReason: stringField(output["stopReason"], ITEM, "stopReason"), stopSequence: stopSequenceOf(output["additionalModelResponseFields"]) });
  return parts;
}

function blockParts(block: JsonObject, blockIndex: number, path: string, parts: ConversePart[]): void {
  if (block["text"] !== undefined) {
    parts.push({ type: "text", blockIndex, text: stringField(block["text"], ITEM, `${path}.text`) });
  } else if (block["citationsContent"] !== undefined) {
    const cited = objectField(block["citationsContent"], ITEM, `${path}.citationsContent`);
    const content = optionalArrayField(cited["content"], ITEM, `${path}.citationsContent.content`) ?? [];
    const text = content.map((entry, index) => optionalStringField(objectField(entry, ITEM, `${path}.citationsContent.content[${index}]`)["text"], ITEM, `${path}.citationsContent.content[${index}].text`) ?? "").join("");
    parts.push({ type: "text", blockIndex, text }, ...citationParts(blockIndex, optionalArrayField(cited["citations"], ITEM, `${path}.citationsContent.citations`) ?? []));
  } else if (block["toolUse"] !== undefined) {
    const toolUse = objectField(block["toolUse"], ITEM, `${path}.toolUse`);
    const id = stringField(toolUse["toolUseId"], ITEM, `${path}.toolUse.toolUseId`);
    const name = stringField(toolUse["name"], ITEM, `${path}.toolUse.name`);
    parts.push({ type: "tool_call_start", blockIndex, id, name });
    parts.push({ type: "tool_call_delta", blockIndex, argumentsDelta: toolUse["input"] === undefined ? "" : JSON.stringify(toolUse["input"]) });
  } else if (block["reasoningContent"] !== undefined) {
    const reasoning = objectField(block["reasoningContent"], ITEM, `${path}.reasoningContent`);
    const text = optionalObjectField(reasoning["reasoningText"], ITEM, `${path}.reasoningContent.reasoningText`);
    if (text !== undefined) {
      parts.push({ type: "thinking", blockIndex, text: stringField(text["text"], ITEM, `${path}.reasoningContent.reasoningText.text`) });
      const signature = optionalStringField(text["signature"], ITEM, `${path}.reasoningContent.reasoningText.signature`);
      if (signature !== undefined) parts.push({ type: "thinking_signature", blockIndex, signature });
    } else if (reasoning["redactedContent"] !== undefined) {
      parts.push({ type: "redacted_thinking", blockIndex, data: bytesField(reasoning["redactedContent"], ITEM, `${path}.reasoningContent.redactedContent`) });
    }
  }
}
