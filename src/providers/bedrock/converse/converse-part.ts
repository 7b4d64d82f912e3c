/** What the Converse decoders produce: the shared model parts plus redacted thinking (kept for the next turn). */
import { objectField, optionalArrayField, optionalStringField, optionalTokenCountField, stringField, type JsonObject } from "../errors/read-response-fields.js";
import type { ModelStreamPart, UsageCounts } from "../output/model-stream-part.js";
import { fromConverseCitation } from "../output/decode-citation.js";

export type ConversePart = ModelStreamPart;

/** Converse usage -> counts; inputTokens is the uncached input (cache reads/writes are counted apart). */
export function converseUsage(usage: JsonObject | undefined, item: string, path: string): Partial<UsageCounts> {
  if (usage === undefined) return {};
  const counts: Partial<UsageCounts> = {
    inputTokens: optionalTokenCountField(usage["inputTokens"], item, `${path}.inputTokens`) ?? 0,
    outputTokens: optionalTokenCountField(usage["outputTokens"], item, `${path}.outputTokens`) ?? 0,
    cacheReadTokens: optionalTokenCountField(usage["cacheReadInputTokens"], item, `${path}.cacheReadInputTokens`) ?? 0,
    cacheWriteTokens: optionalTokenCountField(usage["cacheWriteInputTokens"], item, `${path}.cacheWriteInputTokens`) ?? 0,
  };
  const details = optionalArrayField(usage["cacheDetails"], item, `${path}.cacheDetails`);
  if (details !== undefined) counts.cacheWrite1hTokens = oneHourCacheWrites(details, item, `${path}.cacheDetails`);
  return counts;
}

function oneHourCacheWrites(details: unknown[], item: string, path: string): number {
  return details.reduce<number>((sum, value, index) => {
    const detail = objectField(value, item, `${path}[${index}]`);
    if (detail["ttl"] !== "1h") return sum;
    return sum + (optionalTokenCountField(detail["inputTokens"], item, `${path}[${index}].inputTokens`) ?? 0);
  }, 0);
}

/** The service tier a Converse answer reports (`serviceTier: {type}`), as a part. */
export function serviceTierParts(serviceTier: JsonObject | undefined, item: string, path: string): ModelStreamPart[] {
  const tier = serviceTier === undefined ? undefined : optionalStringField(serviceTier["type"], item, `${path}.type`);
  return tier === undefined ? [] : [{ type: "service_tier", tier }];
}

/** The citations of a Converse `citationsContent` block or `citation` delta, as parts. */
export function citationParts(blockIndex: number, citations: readonly unknown[]): ModelStreamPart[] {
  return citations.flatMap((value) => {
    const citation = fromConverseCitation(value);
    return citation ? [{ type: "citation", blockIndex, citation } as const] : [];
  });
}

/** A blob field (redacted reasoning): base64 text on the wire, or bytes. */
export function bytesField(value: unknown, item: string, path: string): string {
  if (value instanceof Uint8Array) return Buffer.from(value).toString("base64");
  return stringField(value, item, path);
}
