import { createHash, type Hash } from "node:crypto";
import type { PromptSegment } from "./count-tokens.js";

/**
 * The emulator's prompt cache. A cache point (Anthropic `cache_control`, Converse `cachePoint`) marks the end
 * of a cacheable prefix. The first time a prefix is seen its tokens are reported as cache writes; later
 * requests with the same prefix (same model) report them as cache reads. Only the uncached rest counts as
 * input tokens. There is no minimum prefix length and no expiry by time (answers must not depend on the
 * clock); the cache holds at most `capacity` prefixes and forgets the least recently used.
 */
export interface CacheUsage {
  cacheReadInputTokens: number;
  cacheWriteInputTokens: number;
  /** The writes made at cache points with a 1-hour TTL (the tokens from the previous point up to such a point). */
  cacheWrite1hInputTokens: number;
}

export class PromptCache {
  private readonly entries = new Map<string, true>();

  constructor(private readonly capacity = 1024) {}

  get size(): number {
    return this.entries.size;
  }

  /** Looks the request's prefixes up, records them, and returns the cached/written token counts. */
  use(scope: string, segments: PromptSegment[]): CacheUsage {
    const points = cachePrefixes(scope, segments);
    if (points.length === 0) return { cacheReadInputTokens: 0, cacheWriteInputTokens: 0, cacheWrite1hInputTokens: 0 };
    let read = 0;
    for (const point of points) if (this.entries.has(point.hash)) read = point.tokens;
    const last = points[points.length - 1] as { tokens: number };
    let oneHour = 0;
    let previous = read;
    for (const point of points) {
      if (point.tokens <= read) continue;
      if (point.ttl === "1h") oneHour += point.tokens - previous;
      previous = point.tokens;
    }
    for (const point of points) this.touch(point.hash);
    return { cacheReadInputTokens: read, cacheWriteInputTokens: last.tokens - read, cacheWrite1hInputTokens: oneHour };
  }

  private touch(hash: string): void {
    this.entries.delete(hash);
    this.entries.set(hash, true);
    while (this.entries.size > this.capacity) {
      const oldest = this.entries.keys().next().value;
      if (oldest === undefined) break;
      this.entries.delete(oldest);
    }
  }
}

/** The hash and token count of the prefix ending at each cache point. */
function cachePrefixes(scope: string, segments: PromptSegment[]): Array<{ hash: string; tokens: number; ttl?: "5m" | "1h" }> {
  const points: Array<{ hash: string; tokens: number; ttl?: "5m" | "1h" }> = [];
  const end = lastCachePoint(segments);
  if (end < 0) return points;
  const hash: Hash = createHash("sha256").update(scope);
  let tokens = 0;
  for (const segment of segments.slice(0, end + 1)) {
    hash.update(segment.key).update("\u0000");
    tokens += segment.tokens;
    if (segment.cachePoint) points.push({ hash: hash.copy().digest("hex"), tokens, ...(segment.ttl ? { ttl: segment.ttl } : {}) });
  }
  return points;
}

function lastCachePoint(segments: PromptSegment[]): number {
  for (let i = segments.length - 1; i >= 0; i--) if (segments[i]?.cachePoint) return i;
  return -1;
}
