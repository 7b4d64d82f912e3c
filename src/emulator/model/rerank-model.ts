/**
 * Rerank models over InvokeModel: Cohere Rerank 3.5 ({query, documents, top_n, api_version: 2,
 * max_tokens_per_doc} -> {id, results: [{index, relevance_score}]}) and Amazon Rerank 1.0 ({query, documents,
 * top_n} -> {results: [...]}). Relevance is the share of the query's distinct words found in the document,
 * plus a small term for the cosine of their hashed bags of words to order documents with the same share.
 */
import { createHash } from "node:crypto";
import { textTokens } from "./count-tokens.js";
import { arrayAt, enumAt, integerAt, objectBody, required, stringAt } from "./check-json-body.js";
import type { ModelJson } from "./embedding-model.js";
import { hashedVector, normalized, wordsOf } from "./hashed-embedding.js";

const MAX_DOCUMENTS = 1000;

export function rerank(rawBody: unknown, family: "cohere" | "amazon"): ModelJson {
  const keys = family === "cohere" ? ["query", "documents", "top_n", "api_version", "max_tokens_per_doc"] : ["query", "documents", "top_n"];
  const body = objectBody(rawBody, keys);
  const query = stringAt(required(body, "query"), "query", { min: 1 });
  // A document is a string, or (Cohere's semi-structured form) a JSON object ranked by its text.
  const documents = arrayAt(required(body, "documents"), "documents", 1, MAX_DOCUMENTS).map((document, index) =>
    document !== null && typeof document === "object" && !Array.isArray(document) ? JSON.stringify(document) : stringAt(document, `documents/${index}`),
  );
  const topN = body["top_n"] === undefined ? documents.length : integerAt(body["top_n"], "top_n", 1);
  if (family === "cohere") {
    enumAt(required(body, "api_version"), "api_version", [2]);
    if (body["max_tokens_per_doc"] !== undefined) integerAt(body["max_tokens_per_doc"], "max_tokens_per_doc", 1);
  }
  const results = documents
    .map((document, index) => ({ index, relevance_score: relevance(query, document) }))
    .sort((a, b) => b.relevance_score - a.relevance_score || a.index - b.index)
    .slice(0, topN);
  const inputTokens = textTokens(query) * documents.length + documents.reduce((sum, document) => sum + textTokens(document), 0);
  if (family === "amazon") return { body: { results }, inputTokens };
  const id = createHash("sha256").update(JSON.stringify(rawBody)).digest("hex").slice(0, 32);
  return { body: { id, results }, inputTokens };
}

function relevance(query: string, document: string): number {
  const queryWords = new Set(wordsOf(query));
  if (queryWords.size === 0) return 0;
  const documentWords = new Set(wordsOf(document));
  let shared = 0;
  for (const word of queryWords) if (documentWords.has(word)) shared++;
  const a = normalized(hashedVector([...queryWords], 256));
  const b = normalized(hashedVector([...documentWords], 256));
  const cosine = a.reduce((sum, value, i) => sum + value * b[i]!, 0);
  return Math.round((0.9 * (shared / queryWords.size) + 0.1 * Math.max(0, cosine)) * 1e6) / 1e6;
}
