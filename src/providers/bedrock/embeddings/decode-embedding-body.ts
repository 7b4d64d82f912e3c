/**
 * Vectors out of an embedding model's answer. Titan: {embedding, inputTextTokenCount, embeddingsByType};
 * Cohere: {embeddings: number[][]} ("embeddings_floats") or {embeddings: {float|int8|...: number[][]}}
 * ("embeddings_by_type"). An answer of another shape, or with the wrong number of vectors, is a corrupt
 * response: retryable, like a cut one.
 */
import { NetworkError } from "../../../schema/errors.js";
import type { EmbeddingType } from "../../embedding-provider.js";
import type { EmbeddingFamily } from "./embedding-model-spec.js";

export interface DecodedEmbeddings {
  vectors: number[][];
  /** Input tokens the body reports (Titan), else undefined (Cohere reports them in a header). */
  inputTokens: number | undefined;
}

export function decodeEmbeddingBody(family: EmbeddingFamily, body: Record<string, unknown>, type: EmbeddingType, expected: number): DecodedEmbeddings {
  if (family === "titan-v2") {
    const byType = body["embeddingsByType"] as Record<string, unknown> | undefined;
    const vector = type === "float" ? (byType?.["float"] ?? body["embedding"]) : byType?.[type];
    const tokens = body["inputTextTokenCount"];
    return { vectors: checked([vector], type, expected), inputTokens: typeof tokens === "number" ? tokens : undefined };
  }
  const embeddings = body["embeddings"];
  const vectors = Array.isArray(embeddings) ? embeddings : (embeddings as Record<string, unknown> | undefined)?.[type];
  return { vectors: checked(vectors, type, expected), inputTokens: undefined };
}

function checked(vectors: unknown, type: EmbeddingType, expected: number): number[][] {
  if (!isVectors(vectors, expected)) {
    throw new NetworkError(`The response from Bedrock could not be decoded: it does not hold ${expected} "${type}" embedding(s).`, true, { networkCode: "corrupt_response" });
  }
  return vectors;
}

// Plain loops: ~98,000 values per Cohere answer, where a callback per value shows in the profile.
function isVectors(vectors: unknown, expected: number): vectors is number[][] {
  if (!Array.isArray(vectors) || vectors.length !== expected) return false;
  for (const vector of vectors) {
    if (!Array.isArray(vector) || vector.length === 0) return false;
    for (let i = 0; i < vector.length; i++) if (typeof vector[i] !== "number") return false;
  }
  return true;
}
