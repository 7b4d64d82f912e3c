import type { AnswerBlock, AnswerPlan } from "./answer-plan.js";
import { additionalResponseFields, converseCitation, converseTrace, converseUsage } from "./answer-content.js";
import { converseKnobEcho } from "./echo-request-knobs.js";
import { encodeConverseFrame } from "./encode-event-frame.js";
import { splitText } from "./split-text.js";
import type { StreamClock, StreamFrame } from "./stream-frame.js";

/** The ConverseStream events: messageStart, contentBlock*, messageStop, metadata. */
export function converseStreamFrames(plan: AnswerPlan, requestBody: unknown, clock: StreamClock): StreamFrame[] {
  const frames: StreamFrame[] = [];
  const push = (type: string, event: Record<string, unknown>, delta = false) => {
    frames.push({ bytes: encodeConverseFrame(type, event, frames.length), delta });
  };
  push("messageStart", { role: "assistant" });
  plan.blocks.forEach((block, index) => pushBlock(block, index, plan.timing.chunksPerAnswer, push));
  const stop: Record<string, unknown> = { stopReason: plan.stopReason };
  const additional = additionalResponseFields(requestBody, plan);
  if (additional) stop["additionalModelResponseFields"] = additional;
  push("messageStop", stop);
  const seed = frames.length;
  frames.push({
    delta: false,
    usage: { ...plan.usage },
    bytes: () => {
      const metadata: Record<string, unknown> = { usage: converseUsage(plan.usage), metrics: { latencyMs: clock.invocationLatencyMs() }, ...converseKnobEcho(requestBody) };
      const trace = converseTrace(plan);
      if (trace) metadata["trace"] = trace;
      return encodeConverseFrame("metadata", metadata, seed);
    },
  });
  return frames;
}

type Push = (type: string, event: Record<string, unknown>, delta?: boolean) => void;

function pushBlock(block: AnswerBlock, contentBlockIndex: number, chunks: number, push: Push): void {
  const delta = (payload: unknown, counted = true) => push("contentBlockDelta", { contentBlockIndex, delta: payload }, counted);
  switch (block.type) {
    case "text":
      for (const citation of block.citations ?? []) delta({ citation: converseCitation(citation) }, false);
      for (const text of splitText(block.text, chunks)) delta({ text });
      break;
    case "tool_use":
      push("contentBlockStart", { contentBlockIndex, start: { toolUse: { toolUseId: block.id, name: block.name } } });
      for (const input of splitText(JSON.stringify(block.input), chunks)) delta({ toolUse: { input } });
      break;
    case "thinking":
      for (const text of splitText(block.thinking, chunks)) delta({ reasoningContent: { text } });
      delta({ reasoningContent: { signature: block.signature } }, false);
      break;
    case "redacted_thinking":
      delta({ reasoningContent: { redactedContent: Buffer.from(block.data, "utf8").toString("base64") } }, false);
      break;
  }
  push("contentBlockStop", { contentBlockIndex });
}
