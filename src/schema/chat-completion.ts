/** OpenAI-compatible ChatCompletion, as returned by `generateStreamResponse`. */
import type { RedactedThinkingPart, ThinkingPart, ToolCall } from "./message.js";

export type FinishReason = "stop" | "length" | "tool_calls" | "content_filter";

export interface ChatCompletionUsage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
  /** Tokens read from the prompt cache (included in prompt_tokens). */
  cache_read_input_tokens?: number;
  /** Tokens written to the prompt cache (included in prompt_tokens). */
  cache_write_input_tokens?: number;
  prompt_tokens_details?: { cached_tokens: number };
  /** The cache writes by TTL (present when the service reports the split; 1h writes are priced higher). */
  cache_creation?: { ephemeral_5m_input_tokens: number; ephemeral_1h_input_tokens: number };
}

/**
 * A citation of a document sent with `citations` on: which document (its index among the request's
 * documents, and its title), where in it (characters, pages or chunks, end exclusive), the text cited, and
 * the span of the answer's `content` it supports.
 */
export interface Citation {
  documentIndex: number;
  documentTitle?: string;
  location: { type: "char" | "page" | "chunk"; start: number; end: number };
  citedText?: string;
  /** The part of message.content this citation supports: content.slice(answerStart, answerEnd). */
  answerStart: number;
  answerEnd: number;
}

export interface ChatCompletionMessage {
  role: "assistant";
  content: string | null;
  tool_calls?: ToolCall[];
  /** Extended-thinking text, kept apart from the answer. */
  reasoning_content?: string;
  /**
   * The thinking blocks with their signatures, in order. Put them back into the history (as the assistant
   * message's leading content parts, or by passing this message back as is) so a multi-turn conversation
   * with extended thinking is accepted.
   */
  thinking_blocks?: (ThinkingPart | RedactedThinkingPart)[];
  /** Citations of the request's documents, in answer order (only when documents were sent with citations on). */
  citations?: Citation[];
}

export interface ChatCompletionChoice {
  index: number;
  message: ChatCompletionMessage;
  finish_reason: FinishReason;
  logprobs: null;
}

/** Which model of a fallback chain answered, and why the ones before it did not. */
export interface RouteInfo {
  /** The model's name in the config. */
  name: string;
  /** The model id it was called with. */
  model: string;
  /** 1 for the primary model, 2 for the first fallback, ... */
  position: number;
  /** The models tried before it, with the error that moved the call on (type and message; never a credential). */
  skipped: { name: string; model: string; error: string }[];
}

export interface ChatCompletion {
  id: string;
  object: "chat.completion";
  created: number;
  model: string;
  choices: ChatCompletionChoice[];
  usage: ChatCompletionUsage;
  /** The provider's own stop reason (e.g. Bedrock's "end_turn", "stop_sequence", "guardrail_intervened"). */
  stop_reason?: string;
  /** The stop sequence that ended the generation, if one did. */
  stop_sequence?: string | null;
  /** Bedrock's trace when a guardrail was applied with `trace: true` (e.g. `{guardrail: {...}}`). */
  trace?: Record<string, unknown>;
  /** The Bedrock service tier that served the call, as the service reported it ("priority", "default", "flex", "reserved"). */
  service_tier?: string;
  /** From a provider with fallbacks: which model of the chain answered (`model` is the id it was called with). */
  route?: RouteInfo;
}
