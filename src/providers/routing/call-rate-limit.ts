/**
 * What a provider needs from the rate limiter: the shared limiter its config asks for (if any), and a rough
 * token estimate to reserve before a call (its real use is settled afterwards).
 */
import type { LLMConfig } from "../../config/llm-config.js";
import type { MessageInput } from "../../schema/message.js";
import type { RateLimiter } from "./rate-limiter.js";
import { sharedRateLimiter } from "./shared-rate-limiters.js";

/** The limiter of this config's model in `region`, or undefined when rate limiting is off (the default without rpm/tpm). */
export function rateLimiterFor(config: LLMConfig, region: string): RateLimiter | undefined {
  const mode = config.rateLimit ?? (config.rpm !== undefined || config.tpm !== undefined ? "adaptive" : "off");
  if (mode === "off") return undefined;
  return sharedRateLimiter({ model: config.model, region, endpoint: config.endpoint }, { rpm: config.rpm, tpm: config.tpm, adaptive: mode === "adaptive" });
}

/** About four characters per token of the messages, plus the output tokens the call may produce. */
export function estimateCallTokens(messages: readonly MessageInput[], maxOutputTokens: number | undefined): number {
  let chars = 0;
  try {
    chars = JSON.stringify(messages)?.length ?? 0;
  } catch {
    chars = 0;
  }
  return Math.ceil(chars / 4) + (maxOutputTokens ?? 0);
}
