/**
 * List prices of Anthropic Claude models on Amazon Bedrock, USD per million tokens (on-demand, standard tier).
 *
 * Built from shared/data/bedrock-claude-prices.json (a public model price list, late 2026) after review; the
 * rows that were corrected or removed, and why, are listed in docs/cost.md. Base ids (`anthropic.*`) carry the
 * in-region / global list price; geographic cross-region profiles (`us.`, `eu.`, `apac.`, `au.`, `jp.`) of
 * models released from Claude Sonnet 4.5 on cost 10% more than `global.` profiles.
 */
export interface ModelPrice {
  /** Uncached input tokens, USD per million. */
  input: number;
  output: number;
  /** Prompt-cache reads; null where the model has no prompt caching (then input price applies). */
  cacheRead: number | null;
  /** Prompt-cache writes (5-minute cache); null where the model has no prompt caching. */
  cacheWrite: number | null;
  maxInputTokens: number;
  maxOutputTokens: number;
  /** Price per 1,000 billed requests (rerank models bill per query), USD. */
  perThousandRequests?: number;
  /** 1-hour prompt-cache writes; when absent, 2x the input price (see service-tier-prices.ts). */
  cacheWrite1h?: number;
  /** This model's price factors by service tier, where they differ from the defaults (service-tier-prices.ts). */
  tierFactors?: Partial<Record<string, number>>;
}

function row(input: number, output: number, cacheRead: number | null, cacheWrite: number | null, maxInputTokens: number, maxOutputTokens: number): ModelPrice {
  return Object.freeze({ input, output, cacheRead, cacheWrite, maxInputTokens, maxOutputTokens });
}

export const BEDROCK_CLAUDE_PRICES: Readonly<Record<string, ModelPrice>> = Object.freeze({
  "anthropic.claude-3-5-haiku-20241022-v1:0": row(0.8, 4, 0.08, 1, 200_000, 8_192),
  "us.anthropic.claude-3-5-haiku-20241022-v1:0": row(0.8, 4, 0.08, 1, 200_000, 8_192),
  "eu.anthropic.claude-3-5-haiku-20241022-v1:0": row(0.8, 4, 0.08, 1, 200_000, 8_192),
  "anthropic.claude-3-5-sonnet-20240620-v1:0": row(3, 15, 0.3, 3.75, 200_000, 4_096),
  "us.anthropic.claude-3-5-sonnet-20240620-v1:0": row(3, 15, 0.3, 3.75, 200_000, 4_096),
  "eu.anthropic.claude-3-5-sonnet-20240620-v1:0": row(3, 15, 0.3, 3.75, 200_000, 4_096),
  "apac.anthropic.claude-3-5-sonnet-20240620-v1:0": row(3, 15, 0.3, 3.75, 200_000, 4_096),
  "anthropic.claude-3-5-sonnet-20241022-v2:0": row(3, 15, 0.3, 3.75, 200_000, 8_192),
  "us.anthropic.claude-3-5-sonnet-20241022-v2:0": row(3, 15, 0.3, 3.75, 200_000, 8_192),
  "eu.anthropic.claude-3-5-sonnet-20241022-v2:0": row(3, 15, 0.3, 3.75, 200_000, 8_192),
  "apac.anthropic.claude-3-5-sonnet-20241022-v2:0": row(3, 15, 0.3, 3.75, 200_000, 8_192),
  "anthropic.claude-3-7-sonnet-20250219-v1:0": row(3, 15, 0.3, 3.75, 200_000, 8_192),
  "us.anthropic.claude-3-7-sonnet-20250219-v1:0": row(3, 15, 0.3, 3.75, 200_000, 8_192),
  "eu.anthropic.claude-3-7-sonnet-20250219-v1:0": row(3, 15, 0.3, 3.75, 200_000, 8_192),
  "anthropic.claude-3-haiku-20240307-v1:0": row(0.25, 1.25, 0.025, 0.3125, 200_000, 4_096),
  "us.anthropic.claude-3-haiku-20240307-v1:0": row(0.25, 1.25, 0.025, 0.3125, 200_000, 4_096),
  "eu.anthropic.claude-3-haiku-20240307-v1:0": row(0.25, 1.25, 0.025, 0.3125, 200_000, 4_096),
  "apac.anthropic.claude-3-haiku-20240307-v1:0": row(0.25, 1.25, 0.025, 0.3125, 200_000, 4_096),
  "anthropic.claude-3-opus-20240229-v1:0": row(15, 75, 1.5, 18.75, 200_000, 4_096),
  "us.anthropic.claude-3-opus-20240229-v1:0": row(15, 75, 1.5, 18.75, 200_000, 4_096),
  "eu.anthropic.claude-3-opus-20240229-v1:0": row(15, 75, 1.5, 18.75, 200_000, 4_096),
  "anthropic.claude-3-sonnet-20240229-v1:0": row(3, 15, 0.3, 3.75, 200_000, 4_096),
  "us.anthropic.claude-3-sonnet-20240229-v1:0": row(3, 15, 0.3, 3.75, 200_000, 4_096),
  "eu.anthropic.claude-3-sonnet-20240229-v1:0": row(3, 15, 0.3, 3.75, 200_000, 4_096),
  "apac.anthropic.claude-3-sonnet-20240229-v1:0": row(3, 15, 0.3, 3.75, 200_000, 4_096),
  "anthropic.claude-fable-5": row(10, 50, 1, 12.5, 1_000_000, 128_000),
  "us.anthropic.claude-fable-5": row(11, 55, 1.1, 13.75, 1_000_000, 128_000),
  "eu.anthropic.claude-fable-5": row(11, 55, 1.1, 13.75, 1_000_000, 128_000),
  "global.anthropic.claude-fable-5": row(10, 50, 1, 12.5, 1_000_000, 128_000),
  "anthropic.claude-haiku-4-5-20251001-v1:0": row(1, 5, 0.1, 1.25, 200_000, 64_000),
  "us.anthropic.claude-haiku-4-5-20251001-v1:0": row(1.1, 5.5, 0.11, 1.375, 200_000, 64_000),
  "eu.anthropic.claude-haiku-4-5-20251001-v1:0": row(1.1, 5.5, 0.11, 1.375, 200_000, 64_000),
  "apac.anthropic.claude-haiku-4-5-20251001-v1:0": row(1.1, 5.5, 0.11, 1.375, 200_000, 64_000),
  "au.anthropic.claude-haiku-4-5-20251001-v1:0": row(1.1, 5.5, 0.11, 1.375, 200_000, 64_000),
  "jp.anthropic.claude-haiku-4-5-20251001-v1:0": row(1.1, 5.5, 0.11, 1.375, 200_000, 64_000),
  "global.anthropic.claude-haiku-4-5-20251001-v1:0": row(1, 5, 0.1, 1.25, 200_000, 64_000),
  "anthropic.claude-instant-v1": row(0.8, 2.4, null, null, 100_000, 8_191),
  "anthropic.claude-opus-4-1-20250805-v1:0": row(15, 75, 1.5, 18.75, 200_000, 32_000),
  "us.anthropic.claude-opus-4-1-20250805-v1:0": row(15, 75, 1.5, 18.75, 200_000, 32_000),
  "eu.anthropic.claude-opus-4-1-20250805-v1:0": row(15, 75, 1.5, 18.75, 200_000, 32_000),
  "anthropic.claude-opus-4-20250514-v1:0": row(15, 75, 1.5, 18.75, 200_000, 32_000),
  "us.anthropic.claude-opus-4-20250514-v1:0": row(15, 75, 1.5, 18.75, 200_000, 32_000),
  "eu.anthropic.claude-opus-4-20250514-v1:0": row(15, 75, 1.5, 18.75, 200_000, 32_000),
  "anthropic.claude-opus-4-5-20251101-v1:0": row(5, 25, 0.5, 6.25, 200_000, 64_000),
  "us.anthropic.claude-opus-4-5-20251101-v1:0": row(5.5, 27.5, 0.55, 6.875, 200_000, 64_000),
  "eu.anthropic.claude-opus-4-5-20251101-v1:0": row(5.5, 27.5, 0.55, 6.875, 200_000, 64_000),
  "global.anthropic.claude-opus-4-5-20251101-v1:0": row(5, 25, 0.5, 6.25, 200_000, 64_000),
  "anthropic.claude-opus-4-6-v1": row(5, 25, 0.5, 6.25, 1_000_000, 128_000),
  "us.anthropic.claude-opus-4-6-v1": row(5.5, 27.5, 0.55, 6.875, 1_000_000, 128_000),
  "eu.anthropic.claude-opus-4-6-v1": row(5.5, 27.5, 0.55, 6.875, 1_000_000, 128_000),
  "au.anthropic.claude-opus-4-6-v1": row(5.5, 27.5, 0.55, 6.875, 1_000_000, 128_000),
  "global.anthropic.claude-opus-4-6-v1": row(5, 25, 0.5, 6.25, 1_000_000, 128_000),
  "anthropic.claude-opus-4-7": row(5, 25, 0.5, 6.25, 1_000_000, 128_000),
  "us.anthropic.claude-opus-4-7": row(5.5, 27.5, 0.55, 6.875, 1_000_000, 128_000),
  "eu.anthropic.claude-opus-4-7": row(5.5, 27.5, 0.55, 6.875, 1_000_000, 128_000),
  "au.anthropic.claude-opus-4-7": row(5.5, 27.5, 0.55, 6.875, 1_000_000, 128_000),
  "jp.anthropic.claude-opus-4-7": row(5.5, 27.5, 0.55, 6.875, 1_000_000, 128_000),
  "global.anthropic.claude-opus-4-7": row(5, 25, 0.5, 6.25, 1_000_000, 128_000),
  "anthropic.claude-opus-4-8": row(5, 25, 0.5, 6.25, 1_000_000, 128_000),
  "us.anthropic.claude-opus-4-8": row(5.5, 27.5, 0.55, 6.875, 1_000_000, 128_000),
  "eu.anthropic.claude-opus-4-8": row(5.5, 27.5, 0.55, 6.875, 1_000_000, 128_000),
  "au.anthropic.claude-opus-4-8": row(5.5, 27.5, 0.55, 6.875, 1_000_000, 128_000),
  "jp.anthropic.claude-opus-4-8": row(5.5, 27.5, 0.55, 6.875, 1_000_000, 128_000),
  "global.anthropic.claude-opus-4-8": row(5, 25, 0.5, 6.25, 1_000_000, 128_000),
  "anthropic.claude-opus-5": row(5, 25, 0.5, 6.25, 1_000_000, 128_000),
  "us.anthropic.claude-opus-5": row(5.5, 27.5, 0.55, 6.875, 1_000_000, 128_000),
  "eu.anthropic.claude-opus-5": row(5.5, 27.5, 0.55, 6.875, 1_000_000, 128_000),
  "au.anthropic.claude-opus-5": row(5.5, 27.5, 0.55, 6.875, 1_000_000, 128_000),
  "jp.anthropic.claude-opus-5": row(5.5, 27.5, 0.55, 6.875, 1_000_000, 128_000),
  "global.anthropic.claude-opus-5": row(5, 25, 0.5, 6.25, 1_000_000, 128_000),
  "anthropic.claude-sonnet-4-20250514-v1:0": row(3, 15, 0.3, 3.75, 1_000_000, 64_000),
  "us.anthropic.claude-sonnet-4-20250514-v1:0": row(3, 15, 0.3, 3.75, 1_000_000, 64_000),
  "eu.anthropic.claude-sonnet-4-20250514-v1:0": row(3, 15, 0.3, 3.75, 1_000_000, 64_000),
  "apac.anthropic.claude-sonnet-4-20250514-v1:0": row(3, 15, 0.3, 3.75, 1_000_000, 64_000),
  "global.anthropic.claude-sonnet-4-20250514-v1:0": row(3, 15, 0.3, 3.75, 1_000_000, 64_000),
  "anthropic.claude-sonnet-4-5-20250929-v1:0": row(3, 15, 0.3, 3.75, 200_000, 64_000),
  "us-gov.anthropic.claude-sonnet-4-5-20250929-v1:0": row(3.6, 18, 0.36, 4.5, 200_000, 64_000),
  "us.anthropic.claude-sonnet-4-5-20250929-v1:0": row(3.3, 16.5, 0.33, 4.125, 200_000, 64_000),
  "eu.anthropic.claude-sonnet-4-5-20250929-v1:0": row(3.3, 16.5, 0.33, 4.125, 200_000, 64_000),
  "au.anthropic.claude-sonnet-4-5-20250929-v1:0": row(3.3, 16.5, 0.33, 4.125, 200_000, 64_000),
  "jp.anthropic.claude-sonnet-4-5-20250929-v1:0": row(3.3, 16.5, 0.33, 4.125, 200_000, 64_000),
  "global.anthropic.claude-sonnet-4-5-20250929-v1:0": row(3, 15, 0.3, 3.75, 200_000, 64_000),
  "anthropic.claude-sonnet-4-6": row(3, 15, 0.3, 3.75, 1_000_000, 64_000),
  "us.anthropic.claude-sonnet-4-6": row(3.3, 16.5, 0.33, 4.125, 1_000_000, 64_000),
  "eu.anthropic.claude-sonnet-4-6": row(3.3, 16.5, 0.33, 4.125, 1_000_000, 64_000),
  "au.anthropic.claude-sonnet-4-6": row(3.3, 16.5, 0.33, 4.125, 1_000_000, 64_000),
  "jp.anthropic.claude-sonnet-4-6": row(3.3, 16.5, 0.33, 4.125, 1_000_000, 64_000),
  "global.anthropic.claude-sonnet-4-6": row(3, 15, 0.3, 3.75, 1_000_000, 64_000),
  "anthropic.claude-sonnet-5": row(3, 15, 0.3, 3.75, 1_000_000, 128_000),
  "us.anthropic.claude-sonnet-5": row(3.3, 16.5, 0.33, 4.125, 1_000_000, 128_000),
  "eu.anthropic.claude-sonnet-5": row(3.3, 16.5, 0.33, 4.125, 1_000_000, 128_000),
  "au.anthropic.claude-sonnet-5": row(3.3, 16.5, 0.33, 4.125, 1_000_000, 128_000),
  "jp.anthropic.claude-sonnet-5": row(3.3, 16.5, 0.33, 4.125, 1_000_000, 128_000),
  "global.anthropic.claude-sonnet-5": row(3, 15, 0.3, 3.75, 1_000_000, 128_000),
  "anthropic.claude-v1": row(8, 24, null, null, 100_000, 8_191),
  "anthropic.claude-v2": row(8, 24, null, null, 100_000, 8_191),
  "anthropic.claude-v2:1": row(8, 24, null, null, 100_000, 8_191),
});

/**
 * Base model ids whose geographic cross-region profiles cost 10% more than the base/global price. Used when a
 * profile id is not listed above (e.g. `apac.` for a model whose `apac.` row is not published here).
 */
export const REGIONAL_PREMIUM_MODELS: ReadonlySet<string> = new Set([
  "anthropic.claude-sonnet-4-5-20250929-v1:0",
  "anthropic.claude-haiku-4-5-20251001-v1:0",
  "anthropic.claude-opus-4-5-20251101-v1:0",
  "anthropic.claude-opus-4-6-v1",
  "anthropic.claude-sonnet-4-6",
  "anthropic.claude-opus-4-7",
  "anthropic.claude-opus-4-8",
  "anthropic.claude-opus-5",
  "anthropic.claude-sonnet-5",
  "anthropic.claude-fable-5",
]);
