/**
 * Models served only through cross-region inference profiles: when Bedrock answers a base model id with the
 * on-demand-throughput ValidationException, the call is sent once more with the profile id of the region's
 * geography (`us.`, `eu.`, `apac.`, ... from profilePrefixesFor), and a one-time notice says which id to put
 * in the config. Ids that already are a profile or an ARN are never rewritten.
 */
import { warnOnce } from "../../../config/warn-once.js";
import { BedrockServiceError } from "../../../schema/errors.js";
import { isInferenceProfileId, needsInferenceProfile, profilePrefixesFor } from "./bedrock-error-hints.js";

/** The profile id to retry with, or undefined when the error is not the on-demand-throughput one or the id cannot take a prefix. */
export function inferenceProfileRetryId(error: unknown, modelId: string, region: string | undefined): string | undefined {
  if (!(error instanceof BedrockServiceError) || error.midStream || error.awsName !== "ValidationException") return undefined;
  if (!needsInferenceProfile(error.message) || region === undefined) return undefined;
  if (modelId.startsWith("arn:") || isInferenceProfileId(modelId)) return undefined;
  return `${profilePrefixesFor(region)[0]}.${modelId}`;
}

/** Says once per process, model and region which id the config should name. */
export function noticeInferenceProfile(modelId: string, profileId: string, region: string, configName: string | undefined): void {
  const where = configName ? `the config of model '${configName}'` : "the config";
  warnOnce(
    `inference-profile:${region}:${modelId}`,
    `Model "${modelId}" is served in ${region} only through a cross-region inference profile; the call was sent again as "${profileId}" and answered. ` +
      `Set model: "${profileId}" in ${where} to skip the failing first request.`,
    "MINION_INFERENCE_PROFILE",
  );
}
