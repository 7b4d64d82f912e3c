import { RequestRejected, errorPlan, validationError } from "./request-rejected.js";

/**
 * Model ids as Bedrock accepts them: base ids (`anthropic.claude-3-5-haiku-20241022-v1:0`), cross-region
 * inference profiles (`us.`, `eu.`, `apac.`, `au.`, `jp.`, `ca.`, `us-gov.`, `global.` + base id) and ARNs of
 * foundation models, inference profiles, application inference profiles, provisioned, custom and imported
 * models. The family is found by pattern, never from a fixed list of ids, so a new model of a known family works.
 */
export type ModelFamily =
  | "anthropic"
  | "amazon-nova"
  | "amazon-titan"
  | "meta"
  | "mistral"
  | "cohere"
  | "ai21"
  | "deepseek"
  | "openai"
  | "qwen"
  | "writer"
  | "google"
  | "moonshot"
  | "minimax"
  | "nvidia"
  | "twelvelabs";

export interface ResolvedModel {
  /** The id as the request gave it. */
  requested: string;
  /** The base model id when it can be read from the id (null for opaque ARNs). */
  baseId: string | null;
  family: ModelFamily;
  /** Embedding models answer no chat operation. */
  embedding: boolean;
}

const FAMILY_PATTERNS: Array<[RegExp, ModelFamily]> = [
  [/^anthropic\.claude/, "anthropic"],
  [/^amazon\.nova/, "amazon-nova"],
  [/^amazon\.titan/, "amazon-titan"],
  [/^meta\.llama/, "meta"],
  [/^mistral\./, "mistral"],
  [/^cohere\./, "cohere"],
  [/^ai21\./, "ai21"],
  [/^deepseek\./, "deepseek"],
  [/^openai\./, "openai"],
  [/^qwen\./, "qwen"],
  [/^writer\./, "writer"],
  [/^google\./, "google"],
  [/^moonshot(ai)?\./, "moonshot"],
  [/^minimax\./, "minimax"],
  [/^nvidia\./, "nvidia"],
  [/^twelvelabs\./, "twelvelabs"],
];

const PROFILE_PREFIX = /^(us|eu|apac|au|jp|ca|us-gov|global)\.(.+)$/;
const BASE_ID = /^[a-z0-9][a-z0-9-]*\.[a-zA-Z0-9][a-zA-Z0-9._:-]*$/;
const ARN = /^arn:aws(?:-[a-z]+)*:bedrock:([a-z0-9-]*):(\d{12})?:([a-z-]+)\/(.+)$/;
const ARN_KINDS = new Set([
  "foundation-model",
  "inference-profile",
  "application-inference-profile",
  "provisioned-model",
  "custom-model",
  "custom-model-deployment",
  "imported-model",
]);

export const INVALID_MODEL_ID_MESSAGE = "The provided model identifier is invalid.";
export const MODEL_NOT_FOUND_MESSAGE = "Could not resolve the foundation model from the provided model identifier.";

/** Resolves an id or throws RequestRejected: ValidationException 400 when malformed, ResourceNotFoundException 404 when of no known family. */
export function resolveModelId(modelId: string): ResolvedModel {
  if (modelId.length === 0 || modelId.length > 2048) throw validationError(INVALID_MODEL_ID_MESSAGE);
  const arn = ARN.exec(modelId);
  if (arn) return resolveArn(modelId, arn[3] as string, arn[4] as string);
  if (modelId.startsWith("arn:")) throw validationError(INVALID_MODEL_ID_MESSAGE);
  return resolveBaseOrProfile(modelId, modelId);
}

function resolveArn(requested: string, kind: string, resource: string): ResolvedModel {
  if (!ARN_KINDS.has(kind)) throw validationError(INVALID_MODEL_ID_MESSAGE);
  if (kind === "foundation-model" || kind === "inference-profile") return resolveBaseOrProfile(requested, resource);
  // Application inference profiles, provisioned, custom and imported models have opaque ids. When the
  // resource names a known family (custom-model/anthropic.claude-.../abc) that family is used; otherwise the
  // model is treated as an Anthropic Claude model, the common case behind such ARNs.
  const named = resource.split("/").map(familyOf).find((family) => family !== null);
  return { requested, baseId: null, family: named ?? "anthropic", embedding: false };
}

function resolveBaseOrProfile(requested: string, id: string): ResolvedModel {
  const profile = PROFILE_PREFIX.exec(id);
  const baseId = profile && BASE_ID.test(profile[2] as string) && familyOf(profile[2] as string) ? (profile[2] as string) : id;
  if (!BASE_ID.test(baseId)) throw validationError(INVALID_MODEL_ID_MESSAGE);
  const family = familyOf(baseId);
  if (!family) throw new RequestRejected(errorPlan("ResourceNotFoundException", MODEL_NOT_FOUND_MESSAGE));
  return { requested, baseId, family, embedding: /(^|\.)[a-z0-9-]*embed/.test(baseId) };
}

function familyOf(id: string): ModelFamily | null {
  for (const [pattern, family] of FAMILY_PATTERNS) if (pattern.test(id)) return family;
  return null;
}
