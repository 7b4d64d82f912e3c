/**
 * What minion-ts knows of each Bedrock embedding / rerank model: its request family, how many inputs one call
 * takes, and the sizes and types it offers. Ids are matched by pattern after any cross-region profile prefix
 * or ARN, so `us.cohere.embed-v4:0` and foundation-model ARNs work. Sources: the Bedrock model parameter pages
 * cited in build-embedding-body.ts.
 */
import { InvalidRequestError } from "../../../schema/errors.js";
import type { EmbeddingType } from "../../embedding-provider.js";

export type EmbeddingFamily = "titan-v2" | "cohere-v3" | "cohere-v4" | "cohere-rerank" | "amazon-rerank";

export interface EmbeddingModelSpec {
  family: EmbeddingFamily;
  /** Texts per InvokeModel call. */
  batchSize: number;
  /** Images per call (0: the model takes none). */
  imageBatchSize: number;
  /** The largest image the model takes, in bytes (0: it takes none). */
  imageMaxBytes: number;
  dimensions: readonly number[];
  types: readonly EmbeddingType[];
}

/**
 * Cohere's image limit: 5 MB on Bedrock's Embed v3 page (docs.aws.amazon.com/bedrock/latest/userguide/
 * model-parameters-embed-v3.html). Bedrock's Embed v4 page gives pixel limits, no byte limit; v4 is held to
 * the same 5 MB until one is documented.
 */
const COHERE_IMAGE_BYTES = 5 * 1024 * 1024;

const ALL_TYPES: readonly EmbeddingType[] = ["float", "int8", "uint8", "binary", "ubinary"];

const SPECS: Array<[RegExp, EmbeddingModelSpec]> = [
  [/^amazon\.titan-embed-text-v2/, { family: "titan-v2", batchSize: 1, imageBatchSize: 0, imageMaxBytes: 0, dimensions: [256, 512, 1024], types: ["float", "binary"] }],
  [/^cohere\.embed-(english|multilingual)(-light)?-v3/, { family: "cohere-v3", batchSize: 96, imageBatchSize: 1, imageMaxBytes: COHERE_IMAGE_BYTES, dimensions: [], types: ALL_TYPES }],
  [/^cohere\.embed-v4/, { family: "cohere-v4", batchSize: 96, imageBatchSize: 96, imageMaxBytes: COHERE_IMAGE_BYTES, dimensions: [256, 512, 1024, 1536], types: ALL_TYPES }],
  [/^cohere\.rerank-v3-5/, { family: "cohere-rerank", batchSize: 0, imageBatchSize: 0, imageMaxBytes: 0, dimensions: [], types: [] }],
  [/^amazon\.rerank-v1/, { family: "amazon-rerank", batchSize: 0, imageBatchSize: 0, imageMaxBytes: 0, dimensions: [], types: [] }],
];

const PROFILE_PREFIX = /^(us|eu|apac|au|jp|ca|us-gov|global)\./;

export const EMBEDDING_MODEL_EXAMPLES = "amazon.titan-embed-text-v2:0, cohere.embed-english-v3, cohere.embed-multilingual-v3, cohere.embed-v4:0, cohere.rerank-v3-5:0, amazon.rerank-v1:0";

export function embeddingModelSpec(modelId: string): EmbeddingModelSpec | undefined {
  const resource = modelId.startsWith("arn:") ? modelId.slice(modelId.lastIndexOf("/") + 1) : modelId;
  const id = resource.replace(PROFILE_PREFIX, "");
  return SPECS.find(([pattern]) => pattern.test(id))?.[1];
}

export function isRerankFamily(family: EmbeddingFamily): boolean {
  return family === "cohere-rerank" || family === "amazon-rerank";
}

export function requireEmbeddingModel(model: string, spec: EmbeddingModelSpec): void {
  if (isRerankFamily(spec.family)) {
    throw new InvalidRequestError(`${model} is a rerank model: call rerank(query, documents) on it, or configure an embedding model (${EMBEDDING_MODEL_EXAMPLES}) to embed.`);
  }
}
