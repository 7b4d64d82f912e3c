/**
 * List prices of the embedding and rerank models on Amazon Bedrock (on-demand, us-east-1), from the Amazon
 * Bedrock pricing page, https://aws.amazon.com/bedrock/pricing/ (Amazon and Cohere sections):
 *  - Amazon Titan Text Embeddings V2: $0.00002 per 1,000 input tokens -> $0.02 per million
 *  - Cohere Embed 3 English / Multilingual: $0.0001 per 1,000 input tokens -> $0.10 per million
 *  - Cohere Embed 4: $0.00012 per 1,000 input (text) tokens -> $0.12 per million
 *  - Cohere Rerank 3.5: $2.00 per 1,000 queries; Amazon Rerank 1.0: $1.00 per 1,000 queries
 *    (a query is up to 100 documents; more documents count as more queries)
 * Embeddings have no output tokens. docs/cost.md and docs/embeddings.md list these rows.
 */
import type { ModelPrice } from "./bedrock-claude-prices.js";

function embedding(inputPerMillion: number, maxInputTokens: number): ModelPrice {
  return Object.freeze({ input: inputPerMillion, output: 0, cacheRead: null, cacheWrite: null, maxInputTokens, maxOutputTokens: 0 });
}

function rerank(perThousandRequests: number): ModelPrice {
  return Object.freeze({ input: 0, output: 0, cacheRead: null, cacheWrite: null, maxInputTokens: 4_096, maxOutputTokens: 0, perThousandRequests });
}

export const BEDROCK_EMBEDDING_PRICES: Readonly<Record<string, ModelPrice>> = Object.freeze({
  "amazon.titan-embed-text-v2:0": embedding(0.02, 8_192),
  "cohere.embed-english-v3": embedding(0.1, 512),
  "cohere.embed-multilingual-v3": embedding(0.1, 512),
  "cohere.embed-v4:0": embedding(0.12, 128_000),
  "cohere.rerank-v3-5:0": rerank(2),
  "amazon.rerank-v1:0": rerank(1),
});
