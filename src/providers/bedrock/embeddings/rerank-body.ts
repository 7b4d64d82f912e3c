/**
 * Rerank over InvokeModel. Cohere Rerank 3.5 takes {"query", "documents", "top_n", "api_version": 2}
 * (api_version is required on Bedrock), Amazon Rerank 1.0 {"query", "documents", "top_n"}; both answer
 * {"results": [{"index", "relevance_score"}]}, best first. Bedrock bills rerank per query, a query being up to
 * 100 documents (https://aws.amazon.com/bedrock/pricing/).
 */
import { InvalidRequestError, NetworkError } from "../../../schema/errors.js";
import type { RerankResult } from "../../embedding-provider.js";
import type { EmbeddingFamily } from "./embedding-model-spec.js";

export const MAX_RERANK_DOCUMENTS = 1000;
export const DOCUMENTS_PER_BILLED_QUERY = 100;

export function buildRerankBody(family: EmbeddingFamily, query: unknown, documents: unknown, topN: unknown): Record<string, unknown> {
  if (typeof query !== "string" || query.trim() === "") throw new InvalidRequestError("query must be a non-empty string.");
  if (!Array.isArray(documents) || documents.length === 0) throw new InvalidRequestError("documents must be a non-empty array of strings.");
  if (documents.length > MAX_RERANK_DOCUMENTS) throw new InvalidRequestError(`documents has ${documents.length} entries; rerank takes at most ${MAX_RERANK_DOCUMENTS} per call. Rerank a shortlist (the top hits of a vector search).`);
  documents.forEach((document, index) => {
    if (typeof document !== "string") throw new InvalidRequestError(`documents[${index}] must be a string, got ${document === null ? "null" : typeof document}.`);
  });
  const top = topN ?? documents.length;
  if (typeof top !== "number" || !Number.isInteger(top) || top < 1) throw new InvalidRequestError(`topN must be a whole number of at least 1, got ${JSON.stringify(topN)}.`);
  const body: Record<string, unknown> = { query, documents, top_n: Math.min(top, documents.length) };
  if (family === "cohere-rerank") body["api_version"] = 2;
  return body;
}

export function decodeRerankBody(body: Record<string, unknown>, documentCount: number): RerankResult[] {
  const results = body["results"];
  const ok =
    Array.isArray(results) &&
    results.every((r) => r && Number.isInteger(r.index) && r.index >= 0 && r.index < documentCount && typeof r.relevance_score === "number");
  if (!ok) throw new NetworkError("The response from Bedrock could not be decoded: it holds no valid rerank results.", true, { networkCode: "corrupt_response" });
  return (results as Array<{ index: number; relevance_score: number }>)
    .map((r) => ({ index: r.index, relevanceScore: r.relevance_score }))
    .sort((a, b) => b.relevanceScore - a.relevanceScore || a.index - b.index);
}
