/**
 * Models served only through cross-region inference profiles (the `profileOnlyModels` knob): calling one by
 * its base id gets the ValidationException Bedrock sends in that case, word for word; its profile ids
 * (`us.`, `eu.`, ... + the base id) and ARNs are answered.
 */
import type { ResolvedModel } from "./resolve-model-id.js";
import { validationError } from "./request-rejected.js";

export function checkOnDemandThroughput(model: ResolvedModel, profileOnly: ReadonlySet<string>): void {
  if (profileOnly.size === 0 || !profileOnly.has(model.requested)) return;
  throw validationError(
    `Invocation of model ID ${model.requested} with on-demand throughput isn\u2019t supported. Retry your request with the ID or ARN of an inference profile that contains this model.`,
  );
}
