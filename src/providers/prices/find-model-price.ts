/**
 * Price lookup for a Bedrock model id as callers write it: a base id, a cross-region inference profile id
 * (`us.`, `eu.`, `apac.`, `au.`, `jp.`, `us-gov.`, `global.`), or an ARN (foundation-model/ or
 * inference-profile/). The exact id wins; otherwise the ARN's model part, then the base id behind a profile
 * prefix (plus the 10% geographic premium for the models that have one).
 */
import { BEDROCK_CLAUDE_PRICES, REGIONAL_PREMIUM_MODELS, type ModelPrice } from "./bedrock-claude-prices.js";
import { BEDROCK_EMBEDDING_PRICES } from "./bedrock-embedding-prices.js";
import { BEDROCK_OPEN_MODEL_PRICES, OPEN_MODEL_REGIONAL_PREMIUM } from "./bedrock-open-model-prices.js";

const PROFILE_PREFIX = /^(us-gov|us|eu|apac|au|jp|ca|global)\.(.+)$/;
const REGIONAL_PREMIUM = 1.1;

const TABLES = [BEDROCK_CLAUDE_PRICES, BEDROCK_OPEN_MODEL_PRICES, BEDROCK_EMBEDDING_PRICES];
const customPrices = new Map<string, ModelPrice>();

export interface PriceMatch {
  price: ModelPrice;
  /** The table row the price came from (or `<base> +10%` for a derived regional price). */
  matchedId: string;
}

/** Adds or replaces a price (USD per million tokens) for a model id, e.g. a model this table does not know yet. */
export function registerModelPrice(modelId: string, price: Partial<ModelPrice> & Pick<ModelPrice, "input" | "output">): void {
  customPrices.set(modelId, Object.freeze({ cacheRead: null, cacheWrite: null, maxInputTokens: 0, maxOutputTokens: 0, ...price }));
}

export function findModelPrice(modelId: string): PriceMatch | undefined {
  const id = modelId.trim();
  return exact(id) ?? fromProfile(modelIdFromArn(id));
}

/** `arn:aws:bedrock:us-east-1:123:inference-profile/us.anthropic.x` -> `us.anthropic.x` (other ids unchanged). */
export function modelIdFromArn(id: string): string {
  if (!id.startsWith("arn:")) return id;
  const slash = id.lastIndexOf("/");
  return slash === -1 ? id : id.slice(slash + 1);
}

function exact(id: string): PriceMatch | undefined {
  const price = customPrices.get(id) ?? TABLES.map((table) => (Object.hasOwn(table, id) ? table[id] : undefined)).find(Boolean);
  if (price) return { price, matchedId: id };
  // "…-v1" written without the ":0" version suffix
  if (/-v\d+$/.test(id)) return exact(`${id}:0`);
  return undefined;
}

function fromProfile(id: string): PriceMatch | undefined {
  const direct = exact(id);
  if (direct) return direct;
  const match = PROFILE_PREFIX.exec(id);
  if (!match) return undefined;
  const [, prefix, baseId] = match as unknown as [string, string, string];
  const base = exact(baseId);
  if (!base) return undefined;
  if (prefix === "global" || !hasRegionalPremium(base.matchedId)) return base;
  return { price: scale(base.price, REGIONAL_PREMIUM), matchedId: `${base.matchedId} +10%` };
}

function hasRegionalPremium(baseId: string): boolean {
  return REGIONAL_PREMIUM_MODELS.has(baseId) || OPEN_MODEL_REGIONAL_PREMIUM.has(baseId);
}

function scale(price: ModelPrice, factor: number): ModelPrice {
  const round = (value: number | null) => (value === null ? null : Math.round(value * factor * 1e6) / 1e6);
  return { ...price, input: round(price.input)!, output: round(price.output)!, cacheRead: round(price.cacheRead), cacheWrite: round(price.cacheWrite), ...(price.cacheWrite1h !== undefined ? { cacheWrite1h: round(price.cacheWrite1h)! } : {}) };
}
