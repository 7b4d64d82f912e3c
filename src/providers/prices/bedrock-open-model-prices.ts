/**
 * List prices of the non-Claude chat models Bedrock serves on demand: Amazon Nova, Meta Llama, Mistral,
 * DeepSeek and OpenAI gpt-oss. USD per million tokens, standard tier, in-region (us-east-1 / us-west-2) price.
 *
 * Source: the Bedrock rows of LiteLLM's public price list (model_prices_and_context_window.json, snapshot of
 * 2026-07-24), which is kept from the AWS pricing page; figures cross-checked against other public pages where
 * one was found. docs/cost.md says, row by row, what was confirmed and what was not.
 *
 * Profile rows are listed where their price differs from the base row (Nova's `eu.` / `apac.` rows are the
 * source region's price). A geographic profile that is not listed costs what the base id costs, except for the
 * models in OPEN_MODEL_REGIONAL_PREMIUM (10% more than the base / `global.` price, like newer Claude models).
 */
import type { ModelPrice } from "./bedrock-claude-prices.js";

function row(input: number, output: number, maxInputTokens: number, maxOutputTokens: number): ModelPrice {
  return Object.freeze({ input, output, cacheRead: null, cacheWrite: null, maxInputTokens, maxOutputTokens });
}

/** Amazon Nova bills prompt-cache reads at 25% of the input price; cache writes at the input price. */
function nova(input: number, output: number, maxInputTokens: number, maxOutputTokens: number, cacheRead = input * 0.25): ModelPrice {
  return Object.freeze({ input, output, cacheRead: Math.round(cacheRead * 1e6) / 1e6, cacheWrite: input, maxInputTokens, maxOutputTokens });
}

export const BEDROCK_OPEN_MODEL_PRICES: Readonly<Record<string, ModelPrice>> = Object.freeze({
  // Amazon Nova (first generation): us. = base; eu. and apac. rows are the source region's price.
  "amazon.nova-micro-v1:0": nova(0.035, 0.14, 128_000, 10_000),
  "eu.amazon.nova-micro-v1:0": nova(0.046, 0.184, 128_000, 10_000),
  "apac.amazon.nova-micro-v1:0": nova(0.037, 0.148, 128_000, 10_000),
  "amazon.nova-lite-v1:0": nova(0.06, 0.24, 300_000, 10_000),
  "eu.amazon.nova-lite-v1:0": nova(0.078, 0.312, 300_000, 10_000),
  "apac.amazon.nova-lite-v1:0": nova(0.063, 0.252, 300_000, 10_000),
  "amazon.nova-pro-v1:0": nova(0.8, 3.2, 300_000, 10_000),
  "eu.amazon.nova-pro-v1:0": nova(1.05, 4.2, 300_000, 10_000),
  "apac.amazon.nova-pro-v1:0": nova(0.84, 3.36, 300_000, 10_000),
  "amazon.nova-premier-v1:0": nova(2.5, 12.5, 1_000_000, 10_000),
  // Amazon Nova 2: base and global. at the list price, geographic profiles +10% (OPEN_MODEL_REGIONAL_PREMIUM).
  "amazon.nova-2-lite-v1:0": nova(0.3, 2.5, 1_000_000, 64_000, 0.075),
  "amazon.nova-2-pro-preview-20251202-v1:0": nova(2.1875, 17.5, 1_000_000, 64_000, 0.546875),
  // Meta Llama
  "meta.llama3-8b-instruct-v1:0": row(0.3, 0.6, 8_192, 8_192),
  "meta.llama3-70b-instruct-v1:0": row(2.65, 3.5, 8_192, 8_192),
  "meta.llama3-1-8b-instruct-v1:0": row(0.22, 0.22, 128_000, 2_048),
  "meta.llama3-1-70b-instruct-v1:0": row(0.99, 0.99, 128_000, 2_048),
  "meta.llama3-1-405b-instruct-v1:0": row(5.32, 16, 128_000, 4_096),
  "meta.llama3-2-1b-instruct-v1:0": row(0.1, 0.1, 128_000, 4_096),
  "eu.meta.llama3-2-1b-instruct-v1:0": row(0.13, 0.13, 128_000, 4_096),
  "meta.llama3-2-3b-instruct-v1:0": row(0.15, 0.15, 128_000, 4_096),
  "eu.meta.llama3-2-3b-instruct-v1:0": row(0.19, 0.19, 128_000, 4_096),
  "meta.llama3-2-11b-instruct-v1:0": row(0.35, 0.35, 128_000, 4_096),
  "meta.llama3-2-90b-instruct-v1:0": row(2, 2, 128_000, 4_096),
  "meta.llama3-3-70b-instruct-v1:0": row(0.72, 0.72, 128_000, 4_096),
  "meta.llama4-scout-17b-instruct-v1:0": row(0.17, 0.66, 128_000, 4_096),
  "meta.llama4-maverick-17b-instruct-v1:0": row(0.24, 0.97, 1_000_000, 8_192),
  // Mistral AI
  "mistral.mistral-7b-instruct-v0:2": row(0.15, 0.2, 32_000, 8_191),
  "mistral.mixtral-8x7b-instruct-v0:1": row(0.45, 0.7, 32_000, 8_191),
  "mistral.mistral-small-2402-v1:0": row(1, 3, 32_000, 8_191),
  "mistral.mistral-large-2402-v1:0": row(8, 24, 32_000, 8_191),
  "mistral.mistral-large-2407-v1:0": row(3, 9, 128_000, 8_191),
  "mistral.mistral-large-3-675b-instruct": row(0.5, 1.5, 128_000, 8_192),
  "mistral.pixtral-large-2502-v1:0": row(2, 6, 128_000, 4_096),
  "mistral.magistral-small-2509": row(0.5, 1.5, 128_000, 8_192),
  "mistral.ministral-3-3b-instruct": row(0.1, 0.1, 128_000, 8_192),
  "mistral.ministral-3-8b-instruct": row(0.15, 0.15, 128_000, 8_192),
  "mistral.ministral-3-14b-instruct": row(0.2, 0.2, 128_000, 8_192),
  "mistral.devstral-2-123b": row(0.4, 2, 256_000, 8_192),
  "mistral.voxtral-mini-3b-2507": row(0.04, 0.04, 128_000, 8_192),
  "mistral.voxtral-small-24b-2507": row(0.1, 0.3, 128_000, 8_192),
  // DeepSeek
  "deepseek.r1-v1:0": row(1.35, 5.4, 128_000, 4_096),
  "deepseek.v3-v1:0": row(0.58, 1.68, 163_840, 81_920),
  "deepseek.v3.2": row(0.62, 1.85, 163_840, 163_840),
  "eu.deepseek.v3.2": row(0.74, 2.22, 163_840, 163_840),
  // OpenAI open-weight models
  "openai.gpt-oss-20b-1:0": row(0.07, 0.3, 128_000, 128_000),
  "openai.gpt-oss-120b-1:0": row(0.15, 0.6, 128_000, 128_000),
  "openai.gpt-oss-safeguard-20b": row(0.07, 0.2, 128_000, 8_192),
  "openai.gpt-oss-safeguard-120b": row(0.15, 0.6, 128_000, 8_192),
});

/** Base ids whose geographic profiles (`us.`, `eu.`, `apac.`, `jp.`, ...) cost 10% more than the base / `global.` price. */
export const OPEN_MODEL_REGIONAL_PREMIUM: ReadonlySet<string> = new Set(["amazon.nova-2-lite-v1:0"]);
