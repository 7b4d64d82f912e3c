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
  const ok = Array.isArray(vectors) && vectors.length === expected && vectors.every((vector) => Array.isArray(vector) && vector.length > 0 && vector.every((value) => typeof value === "number"));
  if (!ok) {
    throw new NetworkError(`The response from Bedrock could not be decoded: it does not hold ${expected} "${type}" embedding(s).`, true, { networkCode: "corrupt_response" });
  }
  return vectors as number[][];
}
