/**
 * The process-wide rate limiters: one per endpoint, region and model id, shared by every provider that calls
 * that model there (a Bedrock quota is per account, region and model, not per client object).
 */
import { RateLimiter, type RateLimits } from "./rate-limiter.js";

const limiters = new Map<string, RateLimiter>();

export interface RateLimitKey {
  model: string;
  region: string;
  /** An endpoint override (the emulator), so that two emulators never share a limit. */
  endpoint?: string | undefined;
}

/** The limiter of a model in a region; created with `limits` or tightened to them when it exists. */
export function sharedRateLimiter(key: RateLimitKey, limits: RateLimits): RateLimiter {
  const id = `${key.endpoint ?? "aws"}|${key.region}|${key.model}`;
  const existing = limiters.get(id);
  if (existing) {
    existing.tighten(limits);
    return existing;
  }
  const limiter = new RateLimiter(limits);
  limiters.set(id, limiter);
  return limiter;
}

/** Forgets every shared limiter (tests and benchmarks that need a fresh start). */
export function resetSharedRateLimiters(): void {
  limiters.clear();
}
