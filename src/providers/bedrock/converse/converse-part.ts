/** What the Converse decoders produce: the shared model parts plus redacted thinking (kept for the next turn). */
import type { ModelStreamPart, UsageCounts } from "../output/model-stream-part.js";
import { fromConverseCitation } from "../output/decode-citation.js";

export type ConversePart = ModelStreamPart;

interface TokenUsageLike {
  inputTokens?: number | undefined;
  outputTokens?: number | undefined;
  cacheReadInputTokens?: number | undefined;
  cacheWriteInputTokens?: number | undefined;
  cacheDetails?: { ttl?: string | undefined; inputTokens?: number | undefined }[] | undefined;
}

/** Converse usage -> counts; inputTokens is the uncached input (cache reads/writes are counted apart). */
export function converseUsage(usage: TokenUsageLike | undefined): Partial<UsageCounts> {
  if (usage === undefined) return {};
  const counts: Partial<UsageCounts> = {
    inputTokens: usage.inputTokens ?? 0,
    outputTokens: usage.outputTokens ?? 0,
    cacheReadTokens: usage.cacheReadInputTokens ?? 0,
    cacheWriteTokens: usage.cacheWriteInputTokens ?? 0,
  };
  if (Array.isArray(usage.cacheDetails)) {
    counts.cacheWrite1hTokens = usage.cacheDetails.reduce((sum, detail) => sum + (detail?.ttl === "1h" && typeof detail.inputTokens === "number" ? detail.inputTokens : 0), 0);
  }
  return counts;
}

/** The service tier a Converse answer reports (`serviceTier: {type}`), as a part. */
export function serviceTierParts(serviceTier: { type?: string | undefined } | undefined): ModelStreamPart[] {
  return typeof serviceTier?.type === "string" ? [{ type: "service_tier", tier: serviceTier.type }] : [];
}

/** The citations of a Converse `citationsContent` block or `citation` delta, as parts. */
export function citationParts(blockIndex: number, citations: readonly unknown[]): ModelStreamPart[] {
  return citations.flatMap((value) => {
    const citation = fromConverseCitation(value);
    return citation ? [{ type: "citation", blockIndex, citation } as const] : [];
  });
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
