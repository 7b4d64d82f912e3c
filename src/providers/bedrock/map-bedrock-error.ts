/**
 * Anything thrown while talking to Bedrock -> the library's typed errors:
 *  - AWS service errors (HTTP errors and mid-stream exception frames) -> BedrockServiceError with the AWS
 *    name, HTTP status, request id and whether a new attempt may succeed;
 *  - socket/HTTP2 failures and corrupt responses -> NetworkError;
 *  - our own abort/timeout reasons -> AbortError / TimeoutError (via the CallContext).
 * Known credentials and anything shaped like an AWS access key id are scrubbed from messages.
 */
import { BedrockServiceError, MinionError, NetworkError, ProviderError } from "../../schema/errors.js";
import type { RetryableFailure } from "../retry-policy.js";
import { bedrockErrorHint } from "./bedrock-error-hints.js";
import { scrub } from "./scrub-secrets.js";

const THROTTLING_NAMES = new Set(["ThrottlingException", "TooManyRequestsException", "ModelNotReadyException", "RequestLimitExceeded", "ThrottledException"]);
const TRANSIENT_NAMES = new Set(["InternalServerException", "ServiceUnavailableException", "InternalFailure", "ServiceUnavailable", "ModelStreamErrorException"]);
const TRANSIENT_STATUS = new Set([500, 502, 503, 504]);
const NETWORK_CODES = new Set([
  "ECONNRESET",
  "ECONNREFUSED",
  "ECONNABORTED",
  "EPIPE",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ENOTFOUND",
  "EAI_AGAIN",
  "ERR_HTTP2_STREAM_ERROR",
  "ERR_HTTP2_SESSION_ERROR",
  "ERR_HTTP2_GOAWAY_SESSION",
  "ERR_HTTP2_INVALID_SESSION",
  "ERR_STREAM_PREMATURE_CLOSE",
  "UND_ERR_SOCKET",
]);

const facts = new WeakMap<Error, RetryableFailure>();

/** Retry facts of an error this module produced (throttling flag, retry-after hint). */
export function retryFactsOf(error: Error): RetryableFailure {
  const known = facts.get(error);
  if (known) return known;
  return { retryable: error instanceof ProviderError ? error.retryable : false };
}

export interface MapErrorContext {
  /** Part of the answer was already handed to the caller. */
  midStream: boolean;
  /** Credentials to scrub from messages. */
  secrets: readonly string[];
  /** The call's model id and region, for hints. */
  modelId?: string;
  region?: string;
}

interface SdkErrorLike extends Error {
  code?: string;
  $fault?: string;
  $metadata?: { httpStatusCode?: number; requestId?: string };
  $response?: { statusCode?: number; headers?: Record<string, string | undefined> };
  $retryable?: { throttling?: boolean };
}

export function mapBedrockError(thrown: unknown, context: MapErrorContext): MinionError {
  if (thrown instanceof MinionError) return thrown;
  if (!(thrown instanceof Error)) return new ProviderError(`Bedrock call failed: ${scrub(String(thrown), context.secrets)}`, "provider_error", false);
  const error = safeCause(thrown as SdkErrorLike, context.secrets);
  if (isServiceError(error)) return serviceError(error, context);
  const code = error.code ?? (error.cause as { code?: string } | undefined)?.code;
  if ((code !== undefined && NETWORK_CODES.has(code)) || isConnectionFailure(error)) {
    const mapped = new NetworkError(`Connection to Bedrock failed${context.midStream ? " mid-stream" : ""}: ${scrub(error.message, context.secrets)}`, true, { cause: error });
    facts.set(mapped, { retryable: true });
    return mapped;
  }
  if (isCorruptResponse(error)) {
    const mapped = new NetworkError(`The response from Bedrock could not be decoded (corrupt or cut): ${scrub(error.message, context.secrets)}`, true, { cause: error });
    facts.set(mapped, { retryable: true });
    return mapped;
  }
  return new ProviderError(`Bedrock call failed: ${scrub(error.message, context.secrets)}`, "provider_error", false, { cause: error });
}

function isServiceError(error: SdkErrorLike): boolean {
  return error.$fault !== undefined || (error.$metadata !== undefined && error.$metadata.httpStatusCode !== undefined && error.$metadata.httpStatusCode >= 300);
}

function serviceError(error: SdkErrorLike, context: MapErrorContext): BedrockServiceError {
  const awsName = error.name && error.name !== "Error" ? error.name : "UnknownError";
  const rawStatus = error.$metadata?.httpStatusCode ?? error.$response?.statusCode;
  const status = rawStatus !== undefined && rawStatus >= 300 ? rawStatus : undefined;
  const throttling = THROTTLING_NAMES.has(awsName) || status === 429 || error.$retryable?.throttling === true;
  const retryable = throttling || TRANSIENT_NAMES.has(awsName) || (status !== undefined && TRANSIENT_STATUS.has(status));
  const mapped = new BedrockServiceError({
    awsName,
    message: scrub(error.message || "no message", context.secrets) + hint(awsName) + bedrockErrorHint({ name: awsName, message: scrub(error.message ?? "", context.secrets), modelId: context.modelId, region: context.region }),
    ...(status !== undefined ? { status } : {}),
    ...(error.$metadata?.requestId ? { requestId: error.$metadata.requestId } : {}),
    retryable,
    midStream: context.midStream,
    cause: error,
  });
  const retryAfterMs = retryAfterOf(error.$response?.headers);
  facts.set(mapped, { retryable, throttling, ...(retryAfterMs !== undefined ? { retryAfterMs } : {}) });
  return mapped;
}

function hint(awsName: string): string {
  switch (awsName) {
    case "UnrecognizedClientException":
    case "InvalidSignatureException":
    case "IncompleteSignature":
    case "ExpiredTokenException":
      return " (check the AWS credentials: access_key_id / secret_access_key / session_token, api_key, profile or the environment)";
    case "AccessDeniedException":
      return " (check the IAM permissions for Bedrock and that model access is granted in this region)";
    case "ResourceNotFoundException":
      return " (check the model id and that the model is available in this region)";
    default:
      return "";
  }
}

function retryAfterOf(headers: Record<string, string | undefined> | undefined): number | undefined {
  if (!headers) return undefined;
  const amz = headers["x-amz-retry-after"];
  if (amz !== undefined && Number.isFinite(Number(amz))) return Number(amz);
  const value = headers["retry-after"] ?? headers["Retry-After"];
  if (value === undefined) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return seconds * 1000;
  const date = Date.parse(value);
  return Number.isFinite(date) ? Math.max(0, date - Date.now()) : undefined;
}

function isConnectionFailure(error: Error): boolean {
  return /socket hang up|HTTP\/2 stream is abnormally aborted|http2 request did not get a response|Premature close|ECONNRESET|aborted/i.test(error.message) && error.name !== "AbortError";
}

function isCorruptResponse(error: Error): boolean {
  return /checksum|crc|mismatch|Reached the end of the stream|not enough data|Truncated event|message length/i.test(error.message) || error.name === "SyntaxError";
}

/**
 * The original error, to keep as `cause`, with no secret in it: its message scrubbed. An SDK error holds the
 * raw response in a read-only `$response`, and the request inside it the signed headers (session token,
 * bearer key): such an error is replaced by a copy whose `$response` has only the status and headers.
 */
function safeCause(error: SdkErrorLike, secrets: readonly string[]): SdkErrorLike {
  const message = scrub(error.message, secrets);
  const response = error.$response;
  if (!response || typeof response !== "object" || !("body" in response)) {
    try {
      if (message !== error.message) error.message = message;
    } catch {
      // A frozen error keeps its message; ours never repeats it unscrubbed.
    }
    return error;
  }
  // Own enumerable fields ($fault, $metadata, $retryable, an exception's originalStatusCode, ...); not $response.
  return Object.assign(new Error(message), error, {
    name: error.name,
    message,
    stack: scrub(String(error.stack), secrets),
    $response: { statusCode: response.statusCode, headers: response.headers },
  });
}
