/** What the Converse decoders produce: the shared model parts plus redacted thinking (kept for the next turn). */
import type { ModelStreamPart, UsageCounts } from "../output/model-stream-part.js";

export type ConversePart = ModelStreamPart;

interface TokenUsageLike {
  inputTokens?: number | undefined;
  outputTokens?: number | undefined;
  cacheReadInputTokens?: number | undefined;
  cacheWriteInputTokens?: number | undefined;
}

/** Converse usage -> counts; inputTokens is the uncached input (cache reads/writes are counted apart). */
export function converseUsage(usage: TokenUsageLike | undefined): Partial<UsageCounts> {
  if (usage === undefined) return {};
  return {
    inputTokens: usage.inputTokens ?? 0,
    outputTokens: usage.outputTokens ?? 0,
    cacheReadTokens: usage.cacheReadInputTokens ?? 0,
    cacheWriteTokens: usage.cacheWriteInputTokens ?? 0,
  };
}

/** The stop sequence from `additionalModelResponseFields` (Anthropic models report `stop_sequence`). */
export function stopSequenceOf(fields: unknown): string | null {
  if (fields === null || typeof fields !== "object") return null;
  const value = (fields as Record<string, unknown>)["stop_sequence"];
  return typeof value === "string" ? value : null;
}

export const base64Of = (bytes: Uint8Array | string | undefined): string =>
  bytes === undefined ? "" : typeof bytes === "string" ? bytes : Buffer.from(bytes).toString("base64");

/**
 * Models that do not report which stop sequence matched (only Anthropic models answer
 * `additionalModelResponseFieldPaths`): when exactly one was sent, it is the one.
 */
export function fillStopSequence(part: ConversePart, stops: readonly string[]): ConversePart {
  if (part.type !== "finish" || part.stopReason !== "stop_sequence" || part.stopSequence !== null || stops.length !== 1) return part;
  return { ...part, stopSequence: stops[0]! };
}
