/**
 * What a Bedrock response decoder (Anthropic InvokeModel body, Anthropic event stream, and later Converse)
 * produces: one small normalized part per event, fed to the StreamAccumulator.
 */
import type { Citation } from "../../../schema/chat-completion.js";

export interface UsageCounts {
  /** Uncached input tokens. */
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  cacheWriteTokens: number;
  /** The part of cacheWriteTokens written with the 1-hour TTL (when the service reports the split). */
  cacheWrite1hTokens?: number;
}

/** A citation as decoded, before the accumulator knows which span of the answer it supports. */
export type CitationSource = Omit<Citation, "answerStart" | "answerEnd">;

export type ModelStreamPart =
  | { type: "start"; id?: string | undefined }
  | { type: "text"; blockIndex: number; text: string }
  | { type: "thinking"; blockIndex: number; text: string }
  | { type: "thinking_signature"; blockIndex: number; signature: string }
  | { type: "tool_call_start"; blockIndex: number; id: string; name: string }
  | { type: "tool_call_delta"; blockIndex: number; argumentsDelta: string }
  | { type: "block_stop"; blockIndex: number }
  /** Usage as reported so far; present fields replace earlier values. */
  | { type: "usage"; usage: Partial<UsageCounts> }
  | { type: "finish"; stopReason: string | null; stopSequence: string | null }
  /** A redacted thinking block (base64 data), kept for the next turn. */
  | { type: "redacted_thinking"; blockIndex: number; data: string }
  /** Bedrock's trace (guardrail assessment), reported on the completion. */
  | { type: "trace"; trace: Record<string, unknown> }
  /** A citation supporting the text of block `blockIndex`. */
  | { type: "citation"; blockIndex: number; citation: CitationSource }
  /** The service tier that served the call, as the service reported it. */
  | { type: "service_tier"; tier: string };
