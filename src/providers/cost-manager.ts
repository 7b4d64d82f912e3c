/**
 * Token and cost accounting for one provider.
 *
 * Token definitions (the same as the ChatCompletion `usage` this library returns):
 * - `promptTokens` is ALL input tokens of a call, including prompt-cache reads and writes. (Anthropic's
 *   `input_tokens` counts only the uncached part: the caller adds cacheRead + cacheWrite to it.)
 * - `cacheReadTokens` / `cacheWriteTokens` are the parts of `promptTokens` read from / written to the cache.
 * - Prompt cost = uncached x input price + cache reads x cache-read price + cache writes x cache-write price;
 *   completion cost = completion tokens x output price.
 * Models missing from the price table still count tokens; their cost is 0, with one warning per model per
 * process (`process.emitWarning`, type "MinionWarning", code MINION_UNKNOWN_MODEL_PRICE).
 */
import { warnOnce } from "../config/warn-once.js";
import type { CostSnapshot } from "./llm-provider.js";
import { findModelPrice, type PriceMatch } from "./prices/find-model-price.js";
import { oneHourCacheWritePrice, serviceTierFactor } from "./prices/service-tier-prices.js";
import { tokenCount } from "./token-count.js";

export interface UsageUpdate {
  /** The model id that was called (base id, inference profile id or ARN). */
  model: string;
  /** The model id to price the call by when `model` names none (an application inference profile ARN). */
  priceAs?: string | undefined;
  /** All input tokens, cache reads and writes included. */
  promptTokens: number;
  completionTokens: number;
  cacheReadTokens?: number;
  cacheWriteTokens?: number;
  /** Billed requests of models priced per request (rerank: one per 100 documents), costed as prompt cost. */
  requests?: number;
  /** The part of cacheWriteTokens written with the 1-hour TTL (priced at 2x input; docs/cost.md). */
  cacheWrite1hTokens?: number;
  /** The service tier the service reported for the call ("default", "priority", "flex", "reserved"). */
  serviceTier?: string;
}

export interface CostManagerOptions {
  /** Receives the unknown-model warning instead of `process.emitWarning` (still once per model per process). */
  warn?: (message: string) => void;
}

const PER_MILLION = 1_000_000;

function emptySnapshot(): CostSnapshot {
  return {
    totalCost: 0,
    totalPromptCost: 0,
    totalCompletionCost: 0,
    totalPromptTokens: 0,
    totalCompletionTokens: 0,
    totalTokens: 0,
    totalCacheReadTokens: 0,
    totalCacheWriteTokens: 0,
  };
}

export class CostManager {
  readonly #warn: ((message: string) => void) | undefined;
  #byModel = new Map<string, CostSnapshot>();

  constructor(options: CostManagerOptions = {}) {
    this.#warn = options.warn;
  }

  /**
   * Adds one call's usage. Missing counts are 0; invalid ones (negative, fractional, non-finite, beyond
   * Number.MAX_SAFE_INTEGER) are taken as 0 with a one-time warning, so totals stay finite.
   */
  update(usage: UsageUpdate): void {
    const prompt = tokenCount(usage.promptTokens, "promptTokens", this.#warn);
    const completion = tokenCount(usage.completionTokens, "completionTokens", this.#warn);
    const cacheRead = Math.min(tokenCount(usage.cacheReadTokens, "cacheReadTokens", this.#warn), prompt);
    const cacheWrite = Math.min(tokenCount(usage.cacheWriteTokens, "cacheWriteTokens", this.#warn), prompt - cacheRead);
    const match = this.#price(usage.model, usage.priceAs);
    const entry = this.#entry(usage.model);
    entry.totalPromptTokens += prompt;
    entry.totalCompletionTokens += completion;
    entry.totalTokens += prompt + completion;
    entry.totalCacheReadTokens += cacheRead;
    entry.totalCacheWriteTokens += cacheWrite;
    if (!match) return;
    const { input, output, cacheRead: readPrice, cacheWrite: writePrice } = match.price;
    const write1h = Math.min(tokenCount(usage.cacheWrite1hTokens, "cacheWrite1hTokens", this.#warn), cacheWrite);
    const factor = serviceTierFactor(match.price, usage.serviceTier, this.#warn);
    const requestCost = (tokenCount(usage.requests, "requests", this.#warn) * (match.price.perThousandRequests ?? 0)) / 1000;
    const tokenCost =
      (prompt - cacheRead - cacheWrite) * input +
      cacheRead * (readPrice ?? input) +
      (cacheWrite - write1h) * (writePrice ?? input) +
      write1h * (writePrice === null ? input : oneHourCacheWritePrice(match.price));
    const promptCost = (tokenCost * factor) / PER_MILLION + requestCost;
    const completionCost = (completion * output * factor) / PER_MILLION;
    entry.totalPromptCost += promptCost;
    entry.totalCompletionCost += completionCost;
    entry.totalCost += promptCost + completionCost;
  }

  /** Totals over every model since creation or the last reset. */
  snapshot(): CostSnapshot {
    const total = emptySnapshot();
    for (const entry of this.#byModel.values()) {
      for (const key of Object.keys(total) as (keyof CostSnapshot)[]) total[key] += entry[key];
    }
    return total;
  }

  /** Totals per model id. */
  byModel(): Record<string, CostSnapshot> {
    return Object.fromEntries([...this.#byModel].map(([model, entry]) => [model, { ...entry }]));
  }

  reset(): void {
    this.#byModel = new Map();
  }

  #entry(model: string): CostSnapshot {
    let entry = this.#byModel.get(model);
    if (!entry) this.#byModel.set(model, (entry = emptySnapshot()));
    return entry;
  }

  #price(model: string, priceAs: string | undefined): PriceMatch | undefined {
    const priced = priceAs ?? model;
    const match = findModelPrice(priced);
    if (!match) warnOnce(`price:${priced}`, unknownPriceMessage(model, priceAs), "MINION_UNKNOWN_MODEL_PRICE", this.#warn);
    return match;
  }
}

const APPLICATION_PROFILE_ARN = /^arn:aws[a-z-]*:bedrock:[^:]*:[^:]*:application-inference-profile\//;

function unknownPriceMessage(model: string, priceAs: string | undefined): string {
  const outcome = "its tokens are counted, its cost is reported as 0.";
  if (priceAs !== undefined) {
    return `No price is known for model "${priceAs}" (price_as of "${model}"): ${outcome} Set price_as to a model id in the price table, or add a price with registerModelPrice() (see docs/cost.md).`;
  }
  if (APPLICATION_PROFILE_ARN.test(model)) {
    return (
      `The application inference profile "${model}" does not say which model it routes to: ${outcome} ` +
      'Set price_as (priceAs) in its config to that model\'s id, e.g. price_as: "anthropic.claude-sonnet-4-5-20250929-v1:0", or add a price with registerModelPrice() (see docs/cost.md).'
    );
  }
  return `No price is known for model "${model}": ${outcome} Add a price with registerModelPrice() (see docs/cost.md).`;
}
