/**
 * Bedrock's error payloads -> BedrockServiceError, with the retry facts (retryable, throttling, retry-after)
 * decided here from the AWS name and status:
 *  - an HTTP error response: the name from `x-amzn-errortype` ("ValidationException:http://...") or the
 *    body's `__type` / `code`, the message from the JSON body;
 *  - an exception frame inside an event stream (`:exception-type` + JSON body) or an error frame
 *    (`:error-code` + `:error-message`).
 * Everything taken from the response is scrubbed of the request's credentials (a proxy or a hostile server may
 * echo them), and the `cause` holds only allow-listed facts, never the response itself.
 */
import type { IncomingHttpHeaders } from "node:http";
import { BedrockServiceError } from "../../../schema/errors.js";
import { scrub } from "../errors/scrub-secrets.js";

const THROTTLING_NAMES = new Set(["ThrottlingException", "TooManyRequestsException", "ModelNotReadyException", "RequestLimitExceeded", "ThrottledException"]);
const TRANSIENT_NAMES = new Set(["InternalServerException", "ServiceUnavailableException", "InternalFailure", "ServiceUnavailable", "ModelStreamErrorException"]);
const TRANSIENT_STATUS = new Set([500, 502, 503, 504]);
/** An AWS error name is an identifier; anything else (a hostile `__type`) is not shown. */
const ERROR_NAME = /^[A-Za-z][A-Za-z0-9_.]{0,127}$/;
const MAX_FIELD = 1000;

/** What an error's `cause` may hold. */
export interface ServiceErrorFacts {
  name: string;
  fault: "client" | "server";
  status?: number;
  requestId?: string;
  /** `x-amzn-*` and `retry-after` headers, scrubbed. */
  headers?: Record<string, string>;
}

/**
 * A non-200 response and its (already read, possibly cut) body. A body that is not JSON goes into the message
 * as an excerpt.
 */
export function serviceErrorFromResponse(status: number, headers: IncomingHttpHeaders, body: string, secrets: readonly string[]): BedrockServiceError {
  const json = parseObject(body);
  const awsName = errorName(headerOf(headers, "x-amzn-errortype") ?? stringField(json, "__type") ?? stringField(json, "code"), secrets);
  const text = stringField(json, "message") ?? stringField(json, "Message") ?? `HTTP ${status} from Bedrock${body && !json ? `: ${body}` : ""}`;
  const requestId = headerOf(headers, "x-amzn-requestid");
  const retryAfterMs = retryAfterOf(headers);
  const safeRequestId = requestId === undefined ? undefined : clean(requestId, secrets);
  return new BedrockServiceError({
    awsName,
    message: clean(text, secrets, 300),
    status,
    requestId: safeRequestId,
    ...retryFactsOf(awsName, status),
    retryAfterMs,
    cause: facts({ name: awsName, fault: status >= 500 ? "server" : "client", status, ...(safeRequestId ? { requestId: safeRequestId } : {}), headers: allowedHeaders(headers, secrets) }),
  });
}

/** Whether an HTTP error answer is worth another attempt: throttling, and transient server faults. */
export function retryFactsOf(awsName: string, status: number): { retryable: boolean; throttling: boolean } {
  const throttling = THROTTLING_NAMES.has(awsName) || status === 429;
  return { retryable: throttling || TRANSIENT_NAMES.has(awsName) || TRANSIENT_STATUS.has(status), throttling };
}

/** An `:message-type: exception` frame ("throttlingException" is the union member; the error is named like its class). */
export function serviceErrorFromException(exceptionType: string, body: string, secrets: readonly string[]): BedrockServiceError {
  const json = parseObject(body);
  const awsName = errorName(exceptionType.charAt(0).toUpperCase() + exceptionType.slice(1), secrets);
  const original = json?.["originalStatusCode"];
  const serverFault = typeof original === "number" && original >= 500;
  return streamError(awsName, stringField(json, "message") ?? stringField(json, "Message") ?? "no message", serverFault, secrets);
}

/** An `:message-type: error` frame. */
export function serviceErrorFromErrorFrame(code: string | undefined, message: string | undefined, secrets: readonly string[]): BedrockServiceError {
  return streamError(errorName(code, secrets), message ?? "no message", false, secrets);
}

function streamError(awsName: string, message: string, serverFault: boolean, secrets: readonly string[]): BedrockServiceError {
  const throttling = THROTTLING_NAMES.has(awsName);
  return new BedrockServiceError({
    awsName,
    message: clean(message, secrets),
    retryable: throttling || TRANSIENT_NAMES.has(awsName),
    throttling,
    cause: facts({ name: awsName, fault: serverFault ? "server" : "client" }),
  });
}

/**
 * "ValidationException:http://internal.amazon.com/..." or "com.amazon#ValidationException" -> "ValidationException";
 * anything that is not an identifier, or holds a secret, is "UnknownError".
 */
export function errorName(raw: string | undefined, secrets: readonly string[]): string {
  if (!raw) return "UnknownError";
  const name = raw.split(":")[0]!.split("#").pop()!.trim();
  return ERROR_NAME.test(name) && scrub(name, secrets) === name ? name : "UnknownError";
}

function facts(value: ServiceErrorFacts): Readonly<ServiceErrorFacts> {
  return Object.freeze(value);
}

function allowedHeaders(headers: IncomingHttpHeaders, secrets: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined || !(name.startsWith("x-amzn-") || name === "retry-after" || name === "x-amz-retry-after")) continue;
    out[name] = clean(Array.isArray(value) ? value.join(", ") : value, secrets, 200);
  }
  return out;
}

/**
 * A secret (in any encoding scrub knows) that starts within the first `max` characters ends within this many
 * more; what lies beyond is cut anyway, so it is not scrubbed (a 16 MB exception message took seconds).
 */
const SCRUB_MARGIN = 64 * 1024;

/** Scrubbed, then cut (scrubbing first, so that a cut cannot leave half a secret unrecognised). */
export function clean(text: string, secrets: readonly string[], max = MAX_FIELD): string {
  const scrubbed = scrub(text.length > max + SCRUB_MARGIN ? text.slice(0, max + SCRUB_MARGIN) : text, secrets);
  return scrubbed.length > max ? `${scrubbed.slice(0, max)}...` : scrubbed;
}

/** Milliseconds from `x-amz-retry-after` (ms) or `Retry-After` (seconds or an HTTP date). */
export function retryAfterOf(headers: IncomingHttpHeaders): number | undefined {
  const amz = Number(headerOf(headers, "x-amz-retry-after") ?? Number.NaN);
  if (Number.isFinite(amz) && amz >= 0) return amz;
  const value = headerOf(headers, "retry-after");
  if (value === undefined) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(value);
  return Number.isFinite(date) ? Math.max(0, date - Date.now()) : undefined;
}

function headerOf(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function parseObject(body: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(body);
    return value && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function stringField(json: Record<string, unknown> | undefined, key: string): string | undefined {
  const value = json?.[key];
  return typeof value === "string" && value !== "" ? value : undefined;
}
