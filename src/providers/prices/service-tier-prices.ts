/**
 * How a call's service tier and 1-hour cache writes change its price (sources in docs/cost.md):
 * - Service tiers: Flex at 50% of the Standard ("default") on-demand rate and Priority at 175% of it. AWS
 *   publishes only "discounted" / "standard rate + premium"; 0.5 was said by AWS at re:Invent 2025 and 1.75
 *   is not confirmed by AWS (docs/cost.md says which is which). Reserved capacity is
 *   billed as a fixed monthly price per tokens-per-minute reserved, not per token, so a call the service
 *   reports as served by the reserved tier adds no per-token cost (overflow is served, and reported, as
 *   "default"). The factor applies to every token price of the call (input, output, cache reads and writes).
 * - 1-hour cache writes cost 2x the base input price (5-minute writes: 1.25x), per Anthropic's prompt-caching
 *   pricing, which Bedrock bills for Claude.
 * A model's own `tierFactors` / `cacheWrite1h` (registerModelPrice) win over these defaults.
 */
import { warnOnce } from "../../config/warn-once.js";
import type { ModelPrice } from "./bedrock-claude-prices.js";

export const SERVICE_TIER_PRICE_FACTORS: Readonly<Record<string, number>> = Object.freeze({ default: 1, priority: 1.75, flex: 0.5, reserved: 0 });

export const ONE_HOUR_CACHE_WRITE_FACTOR = 2;

/** The factor a tier applies to the model's standard prices; an unknown tier is priced as standard, with a warning. */
export function serviceTierFactor(price: ModelPrice, tier: string | undefined, warn?: (message: string) => void): number {
  if (tier === undefined) return 1;
  const factor = price.tierFactors?.[tier] ?? SERVICE_TIER_PRICE_FACTORS[tier];
  if (factor !== undefined) return factor;
  warnOnce(
    `tier-price:${tier}`,
    `Bedrock reported service tier "${tier}", which has no known price factor: the call is priced at the standard rate. ` +
      "Give the model tierFactors with registerModelPrice() (see docs/cost.md).",
    "MINION_UNKNOWN_TIER_PRICE",
    warn,
  );
  return 1;
}

/** The price of a 1-hour cache write, USD per million tokens. */
export function oneHourCacheWritePrice(price: ModelPrice): number {
  return price.cacheWrite1h ?? price.input * ONE_HOUR_CACHE_WRITE_FACTOR;
}
