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
const ACCESS_KEY_SHAPE = /\b(AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{12,}\b/g;

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
  if (!(thrown instanceof Error)) return new ProviderError(`Bedrock call failed: ${scrub(String(thrown), context.secrets)}`, "provider_error", false, { cause: thrown });
  const error = thrown as SdkErrorLike;
  scrubInPlace(error, context.secrets);
  if (isServiceError(error)) return serviceError(error, context);
  const code = error.code ?? (error.cause as { code?: string } | undefined)?.code;
  if ((code !== undefined && NETWORK_CODES.has(code)) || isConnectionFailure(error)) {
    const mapped = new NetworkError(`Connection to Bedrock failed${context.midStream ? " mid-stream" : ""}: ${scrub(error.message, context.secrets)}`, true, { cause: thrown });
    facts.set(mapped, { retryable: true });
    return mapped;
  }
  if (isCorruptResponse(error)) {
    const mapped = new NetworkError(`The response from Bedrock could not be decoded (corrupt or cut): ${scrub(error.message, context.secrets)}`, true, { cause: thrown });
    facts.set(mapped, { retryable: true });
    return mapped;
  }
  return new ProviderError(`Bedrock call failed: ${scrub(error.message, context.secrets)}`, "provider_error", false, { cause: thrown });
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
    message: scrub(error.message || "no message", context.secrets) + hint(awsName),
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

/** The original error is kept as `cause`; make sure its own message carries no secret either. */
function scrubInPlace(error: Error, secrets: readonly string[]): void {
  const clean = scrub(error.message, secrets);
  if (clean !== error.message) {
    try {
      error.message = clean;
    } catch {
      // A frozen error keeps its message; ours never repeats it unscrubbed.
    }
  }
}

/** Removes the given secrets and anything shaped like an AWS access key id from a message. */
export function scrub(message: string, secrets: readonly string[]): string {
  let out = message;
  for (const secret of secrets) if (secret.length >= 4) out = out.split(secret).join("[redacted]");
  return out.replace(ACCESS_KEY_SHAPE, "[redacted]");
}
