/** The contract of embedding and rerank providers (Bedrock today; the embedding registry lets others join). */
import type { CostSnapshot } from "./llm-provider.js";

/** What the texts are for; retrieval embeds documents and queries with different types. */
export type EmbeddingInputType = "search_document" | "search_query" | "classification" | "clustering";

/** Number format of the returned vectors. Quantized forms are integers; binary forms pack 8 dimensions per value. */
export type EmbeddingType = "float" | "int8" | "uint8" | "binary" | "ubinary";

export interface EmbeddingCallOptions {
  signal?: AbortSignal;
  /** Total time for the whole call (every batch), ms; 0 turns it off. */
  timeout?: number;
  /** Longest silence while one batch's answer is awaited or read, ms; 0 turns it off. */
  idleTimeout?: number;
}

export interface EmbedOptions extends EmbeddingCallOptions {
  /** Default "search_document" (Cohere needs one; Titan has none and ignores it). */
  inputType?: EmbeddingInputType;
  /** Output size: Titan v2 256 | 512 | 1024, Cohere Embed v4 256 | 512 | 1024 | 1536. */
  dimensions?: number;
  /** Unit-length vectors (Titan's `normalize`, default true; Cohere's are always unit length). */
  normalize?: boolean;
  /** Default "float". Titan v2 offers float and binary; Cohere all five. */
  embeddingType?: EmbeddingType;
  /** What the model does with an input longer than it takes (Cohere): "NONE" (an error), "START"/"END" (v3) or "LEFT"/"RIGHT" (v4). */
  truncate?: "NONE" | "START" | "END" | "LEFT" | "RIGHT";
  /** Most model calls in flight at once for this call (default: the config's max_concurrency, capped at 16). */
  concurrency?: number;
}

export interface RerankOptions extends EmbeddingCallOptions {
  /** How many results to return (default: all). */
  topN?: number;
}

export interface RerankResult {
  /** Position of the document in the input array. */
  index: number;
  relevanceScore: number;
}

export interface EmbeddingProvider {
  /** The model id this provider sends to the service. */
  readonly model: string;
  /** One vector per text, in input order. */
  embed(texts: readonly string[], options?: EmbedOptions): Promise<number[][]>;
  embedOne(text: string, options?: EmbedOptions): Promise<number[]>;
  /** One vector per image (data: URIs of PNG / JPEG / WebP / GIF), for models that take images (Cohere Embed). */
  embedImages(images: readonly string[], options?: EmbedOptions): Promise<number[][]>;
  /** The documents most relevant to the query, best first (rerank models). */
  rerank(query: string, documents: readonly string[], options?: RerankOptions): Promise<RerankResult[]>;
  getCost(): CostSnapshot;
  reset(): void;
  close(): Promise<void>;
}
