/**
 * Output-token limits of the Claude models on Bedrock, matched on the model id (base ids, cross-region
 * inference profiles like `us.` / `global.`, and ARNs all contain the family name). Unknown models are sent
 * as given: no cap, a default of 4096.
 */

interface Limit {
  pattern: RegExp;
  maxOutputTokens: number;
}

const LIMITS: readonly Limit[] = [
  { pattern: /claude-opus-4-[5-9](?!\d)|claude-(sonnet|haiku)-4/, maxOutputTokens: 64_000 },
  { pattern: /claude-opus-4/, maxOutputTokens: 32_000 },
  { pattern: /claude-3-7-sonnet/, maxOutputTokens: 64_000 },
  { pattern: /claude-3-5-(sonnet|haiku)/, maxOutputTokens: 8_192 },
  { pattern: /claude-3-(haiku|sonnet|opus)|claude-v2|claude-instant/, maxOutputTokens: 4_096 },
];

/** Used when neither the call nor the config sets maxTokens (never more than the model's cap). */
export const DEFAULT_MAX_TOKENS = 4_096;

export interface ModelTokenLimits {
  /** The most output tokens the model accepts, when known. */
  maxOutputTokens: number | undefined;
  /** max_tokens sent when neither the call nor the config gives one. */
  defaultMaxTokens: number;
}

const cache = new Map<string, ModelTokenLimits>();

export function modelTokenLimits(modelId: string): ModelTokenLimits {
  let limits = cache.get(modelId);
  if (!limits) {
    const id = modelId.toLowerCase();
    const cap = LIMITS.find((limit) => limit.pattern.test(id))?.maxOutputTokens;
    limits = { maxOutputTokens: cap, defaultMaxTokens: Math.min(cap ?? DEFAULT_MAX_TOKENS, DEFAULT_MAX_TOKENS) };
    cache.set(modelId, limits);
  }
  return limits;
}
