/**
 * Whether a failed call is worth trying on the next model of a fallback chain: the service is out of capacity
 * (throttling that outlasted the provider's own retries), broken (5xx, a network failure) or cannot serve this
 * model here (not ready, not available in the region, not granted, on-demand throughput not supported). Not:
 * the caller's abort or total timeout, an invalid request, a config error, or anything after output began.
 */
import { BedrockServiceError, NetworkError, TimeoutError } from "../../schema/errors.js";

const MOVE_ON = new Set([
  "ThrottlingException",
  "ServiceUnavailableException",
  "InternalServerException",
  "ModelNotReadyException",
  "ModelTimeoutException",
  "ServiceQuotaExceededException",
  "ResourceNotFoundException",
  "AccessDeniedException",
]);
const MODEL_NOT_HERE = /on-demand throughput isn.t supported|provided model identifier is invalid|model is not supported in this region|not available in this region|end of its life|Legacy/i;

export function shouldFallBack(error: unknown): boolean {
  if (error instanceof BedrockServiceError) {
    if (error.midStream) return false;
    if (error.throttling || MOVE_ON.has(error.awsName) || (error.status !== undefined && error.status >= 500)) return true;
    return error.awsName === "ValidationException" && MODEL_NOT_HERE.test(error.message);
  }
  if (error instanceof TimeoutError) return error.kind === "connect";
  if (error instanceof NetworkError) return error.retryable && error.networkCode !== "truncated_response";
  return false;
}
