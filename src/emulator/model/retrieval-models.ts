/**
 * Which InvokeModel requests go to the embedding and rerank models, and their answers as JSON plans. Model
 * ids are recognised by pattern (base id, cross-region profile prefix, or foundation-model / inference-profile
 * ARN), so new versions of a family work.
 */
import type { AnswerTiming, JsonPlan } from "../answer-plan.js";
import { cohereEmbedding, titanEmbedding, type ModelJson } from "./embedding-model.js";
import { rerank } from "./rerank-model.js";

type RetrievalModel = (body: unknown) => ModelJson;

const MODELS: Array<[RegExp, RetrievalModel]> = [
  [/^amazon\.titan-embed-text-v2/, titanEmbedding],
  [/^cohere\.embed-(english|multilingual)(-light)?-v3/, (body) => cohereEmbedding(body, 3)],
  [/^cohere\.embed-v4/, (body) => cohereEmbedding(body, 4)],
  [/^cohere\.rerank-v3-5/, (body) => rerank(body, "cohere")],
  [/^amazon\.rerank-v1/, (body) => rerank(body, "amazon")],
];

const PROFILE_PREFIX = /^(us|eu|apac|au|jp|ca|us-gov|global)\./;
const ARN_RESOURCE = /^arn:aws(?:-[a-z]+)*:bedrock:[a-z0-9-]*:\d{0,12}:(?:foundation-model|inference-profile)\/(.+)$/;

/** The model serving `modelId` when it is one of these; undefined otherwise. */
export function retrievalModelFor(modelId: string): RetrievalModel | undefined {
  const id = (ARN_RESOURCE.exec(modelId)?.[1] ?? modelId).replace(PROFILE_PREFIX, "");
  return MODELS.find(([pattern]) => pattern.test(id))?.[1];
}

/** Answers the request (or throws RequestRejected with Bedrock's ValidationException). */
export function retrievalPlan(model: RetrievalModel, body: unknown, timing: Pick<AnswerTiming, "firstByteLatencyMs">): JsonPlan {
  const { body: answer, inputTokens } = model(body);
  return { kind: "json", body: answer, inputTokens, timing };
}
