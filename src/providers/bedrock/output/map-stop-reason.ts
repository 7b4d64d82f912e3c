/** Bedrock/Anthropic stop reasons -> OpenAI finish_reason (never an invalid value). */
import type { FinishReason } from "../../../schema/chat-completion.js";

export function mapStopReason(stopReason: string | null | undefined, hasToolCalls: boolean): FinishReason {
  switch (stopReason) {
    case "tool_use":
      return "tool_calls";
    case "max_tokens":
    case "model_context_window_exceeded":
      return "length";
    case "refusal":
    case "guardrail_intervened":
    case "content_filtered":
      return "content_filter";
    case "end_turn":
    case "stop_sequence":
    case "pause_turn":
      return "stop";
    default:
      return hasToolCalls ? "tool_calls" : "stop";
  }
}
