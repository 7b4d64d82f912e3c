import type { AnswerBlock, AnswerPlan } from "./answer-plan.js";
import { anthropicCacheCreation, anthropicCitation, anthropicModelName, invokeGuardrailFields, messageId } from "./answer-content.js";
import { encodeChunkFrame } from "./encode-event-frame.js";
import { splitText } from "./split-text.js";
import type { StreamClock, StreamFrame } from "./stream-frame.js";

/** The Anthropic Messages stream for InvokeModelWithResponseStream, one `chunk` frame per event. */
export function anthropicStreamFrames(plan: AnswerPlan, modelId: string, requestHeaders: Record<string, string>, clock: StreamClock): StreamFrame[] {
  const frames: StreamFrame[] = [];
  const push = (event: unknown, delta = false, usage?: StreamFrame["usage"]) => {
    frames.push({ bytes: encodeChunkFrame(JSON.stringify(event), frames.length), delta, usage });
  };
  const { usage } = plan;
  push({
    type: "message_start",
    message: {
      id: messageId(plan, modelId),
      type: "message",
      role: "assistant",
      model: anthropicModelName(modelId),
      content: [],
      stop_reason: null,
      stop_sequence: null,
      usage: {
        input_tokens: usage.inputTokens,
        cache_creation_input_tokens: usage.cacheWriteInputTokens,
        cache_read_input_tokens: usage.cacheReadInputTokens,
        ...(usage.cacheWriteInputTokens > 0 ? { cache_creation: anthropicCacheCreation(usage) } : {}),
        output_tokens: 1,
      },
    },
  }, false, { inputTokens: usage.inputTokens, cacheWriteInputTokens: usage.cacheWriteInputTokens, cacheReadInputTokens: usage.cacheReadInputTokens, outputTokens: 1 });
  plan.blocks.forEach((block, index) => pushBlock(block, index, plan.timing.chunksPerAnswer, push));
  push({ type: "message_delta", delta: { stop_reason: plan.stopReason, stop_sequence: plan.stopSequence }, usage: { output_tokens: usage.outputTokens } }, false, {
    outputTokens: usage.outputTokens,
  });
  const seed = frames.length;
  frames.push({
    delta: false,
    bytes: () => {
      const metrics: Record<string, number> = {
        inputTokenCount: usage.inputTokens,
        outputTokenCount: usage.outputTokens,
        invocationLatency: clock.invocationLatencyMs(),
        firstByteLatency: clock.firstByteLatencyMs(),
      };
      if (usage.cacheReadInputTokens > 0) metrics["cacheReadInputTokenCount"] = usage.cacheReadInputTokens;
      if (usage.cacheWriteInputTokens > 0) metrics["cacheWriteInputTokenCount"] = usage.cacheWriteInputTokens;
      const stop = { type: "message_stop", ...invokeGuardrailFields(plan, requestHeaders), "amazon-bedrock-invocationMetrics": metrics };
      return encodeChunkFrame(JSON.stringify(stop), seed);
    },
  });
  return frames;
}

function pushBlock(block: AnswerBlock, index: number, chunks: number, push: (event: unknown, delta?: boolean) => void): void {
  const delta = (payload: unknown) => push({ type: "content_block_delta", index, delta: payload }, true);
  switch (block.type) {
    case "text":
      push({ type: "content_block_start", index, content_block: block.citations ? { type: "text", text: "", citations: [] } : { type: "text", text: "" } });
      for (const citation of block.citations ?? []) push({ type: "content_block_delta", index, delta: { type: "citations_delta", citation: anthropicCitation(citation) } });
      for (const text of splitText(block.text, chunks)) delta({ type: "text_delta", text });
      break;
    case "tool_use":
      push({ type: "content_block_start", index, content_block: { type: "tool_use", id: block.id, name: block.name, input: {} } });
      for (const partial of splitText(JSON.stringify(block.input), chunks)) delta({ type: "input_json_delta", partial_json: partial });
      break;
    case "thinking":
      push({ type: "content_block_start", index, content_block: { type: "thinking", thinking: "" } });
      for (const thinking of splitText(block.thinking, chunks)) delta({ type: "thinking_delta", thinking });
      push({ type: "content_block_delta", index, delta: { type: "signature_delta", signature: block.signature } });
      break;
    case "redacted_thinking":
      push({ type: "content_block_start", index, content_block: { type: "redacted_thinking", data: block.data } });
      break;
  }
  push({ type: "content_block_stop", index });
}
