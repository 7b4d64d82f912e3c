/** A Converse response -> model parts, in the order a stream would deliver them. */
import type { ConverseCommandOutput } from "@aws-sdk/client-bedrock-runtime";
import { base64Of, citationParts, converseUsage, serviceTierParts, stopSequenceOf, type ConversePart } from "./converse-part.js";

export function decodeConverseResponse(output: ConverseCommandOutput): ConversePart[] {
  const parts: ConversePart[] = [{ type: "start" }];
  (output.output?.message?.content ?? []).forEach((block, blockIndex) => {
    if (block.text !== undefined) parts.push({ type: "text", blockIndex, text: block.text });
    else if (block.citationsContent !== undefined) {
      const text = (block.citationsContent.content ?? []).map((item) => item.text ?? "").join("");
      parts.push({ type: "text", blockIndex, text }, ...citationParts(blockIndex, block.citationsContent.citations ?? []));
    } else if (block.toolUse !== undefined) {
      const { toolUseId = "", name = "", input } = block.toolUse;
      parts.push({ type: "tool_call_start", blockIndex, id: toolUseId, name });
      parts.push({ type: "tool_call_delta", blockIndex, argumentsDelta: input === undefined ? "" : JSON.stringify(input) });
    } else if (block.reasoningContent?.reasoningText !== undefined) {
      const { text = "", signature } = block.reasoningContent.reasoningText;
      parts.push({ type: "thinking", blockIndex, text });
      if (signature !== undefined) parts.push({ type: "thinking_signature", blockIndex, signature });
    } else if (block.reasoningContent?.redactedContent !== undefined) {
      parts.push({ type: "redacted_thinking", blockIndex, data: base64Of(block.reasoningContent.redactedContent) });
    }
    parts.push({ type: "block_stop", blockIndex });
  });
  parts.push({ type: "usage", usage: converseUsage(output.usage) }, ...serviceTierParts((output as { serviceTier?: { type?: string } }).serviceTier));
  if (output.trace !== undefined) parts.push({ type: "trace", trace: output.trace as Record<string, unknown> });
  parts.push({ type: "finish", stopReason: output.stopReason ?? null, stopSequence: stopSequenceOf(output.additionalModelResponseFields) });
  return parts;
}
