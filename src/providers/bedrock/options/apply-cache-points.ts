/**
 * Prompt caching. The call option `cache` puts cache points after the system prompt, the tools and/or the
 * last message (`true` = all three); a part's `cacheControl` puts one right after that part. On InvokeModel a
 * cache point is `cache_control: {type: "ephemeral"}` on the block that ends the prefix; on Converse it is a
 * separate `{cachePoint: {type: "default"}}` block. Bedrock allows at most 4 per request.
 */
import type { GenerateOptions } from "../../llm-provider.js";
import { InvalidRequestError } from "../../../schema/errors.js";
import type { AnthropicRequestBody } from "../anthropic/anthropic-types.js";

export interface CacheTargets {
  system: boolean;
  tools: boolean;
  messages: boolean;
}

export const MAX_CACHE_POINTS = 4;

export function cacheTargets(cache: GenerateOptions["cache"]): CacheTargets {
  if (cache === undefined || cache === false) return { system: false, tools: false, messages: false };
  if (cache === true) return { system: true, tools: true, messages: true };
  return { system: cache.system ?? false, tools: cache.tools ?? false, messages: cache.messages ?? false };
}

export function checkCachePointCount(count: number): void {
  if (count > MAX_CACHE_POINTS) {
    throw new InvalidRequestError(`The request has ${count} cache points; Bedrock allows at most ${MAX_CACHE_POINTS}. Remove some cacheControl marks or cache options.`);
  }
}

/** The Converse cache point block (`ttl` only when one is asked for: the field is optional on the wire). */
export const converseCachePoint = (ttl?: "5m" | "1h"): { cachePoint: { type: "default"; ttl?: "5m" | "1h" } } =>
  ({ cachePoint: ttl === undefined ? { type: "default" } : { type: "default", ttl } });

type AnthropicBodyLike = Pick<AnthropicRequestBody, "system" | "tools" | "messages">;
type Markable = { cache_control?: { type: "ephemeral"; ttl?: "5m" | "1h" } };

const EPHEMERAL = (): { type: "ephemeral" } => ({ type: "ephemeral" });

function markLast(blocks: readonly object[] | undefined): void {
  const last = blocks?.[blocks.length - 1] as Markable | undefined;
  // Thinking blocks cannot carry cache_control: a turn ending in one is left unmarked.
  if (last !== undefined && !["thinking", "redacted_thinking"].includes((last as { type?: string }).type ?? "")) last.cache_control = EPHEMERAL();
}

/**
 * Adds `cache_control` to an Anthropic Messages body for the call's `cache` option (part-level marks are
 * set by the message converter) and checks the total. Mutates and returns the body.
 */
export function applyAnthropicCachePoints<T extends AnthropicBodyLike>(body: T, cache: GenerateOptions["cache"]): T {
  const targets = cacheTargets(cache);
  if (targets.system && body.system !== undefined && body.system !== "") {
    if (typeof body.system === "string") body.system = [{ type: "text", text: body.system }];
    markLast(body.system);
  }
  if (targets.tools) markLast(body.tools);
  if (targets.messages) {
    const last = body.messages[body.messages.length - 1];
    if (last !== undefined) {
      if (typeof last.content === "string") last.content = [{ type: "text", text: last.content }];
      markLast(last.content);
    }
  }
  checkCachePointCount(countAnthropicCachePoints(body));
  return body;
}

export function countAnthropicCachePoints(body: AnthropicBodyLike): number {
  let count = countMarks(Array.isArray(body.system) ? body.system : []) + countMarks(body.tools ?? []);
  for (const message of body.messages) if (Array.isArray(message.content)) count += countMarks(message.content);
  return count;
}

function countMarks(blocks: readonly object[]): number {
  let count = 0;
  for (const block of blocks) if ((block as Markable).cache_control !== undefined) count++;
  return count;
}
