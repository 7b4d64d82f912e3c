/**
 * Errors across a thread boundary (generateSync): the library's error classes come back as the same class
 * with the same fields; any other error as an Error with its name and message.
 */
import {
  AbortError,
  BedrockServiceError,
  ConfigError,
  InvalidRequestError,
  MinionError,
  MissingDependencyError,
  NetworkError,
  ProviderError,
  TimeoutError,
  type TimeoutKind,
} from "../schema/errors.js";

export interface SerializedError {
  name: string;
  message: string;
  code?: string;
  retryable?: boolean;
  awsName?: string;
  status?: number;
  requestId?: string;
  midStream?: boolean;
  throttling?: boolean;
  retryAfterMs?: number;
  networkCode?: string;
  kind?: TimeoutKind;
  timeoutMs?: number;
  subject?: string;
  packageName?: string;
}

export function serializeError(error: unknown): SerializedError {
  if (!(error instanceof Error)) return { name: "Error", message: String(error) };
  const out: SerializedError = { name: error.name, message: error.message };
  if (error instanceof MinionError) out.code = error.code;
  if (error instanceof ProviderError) out.retryable = error.retryable;
  if (error instanceof BedrockServiceError) {
    out.awsName = error.awsName;
    out.message = error.message.startsWith(`${error.awsName}: `) ? error.message.slice(error.awsName.length + 2) : error.message;
    if (error.status !== undefined) out.status = error.status;
    if (error.requestId !== undefined) out.requestId = error.requestId;
    out.midStream = error.midStream;
    out.throttling = error.throttling;
    if (error.retryAfterMs !== undefined) out.retryAfterMs = error.retryAfterMs;
  }
  if (error instanceof NetworkError && error.networkCode !== undefined) out.networkCode = error.networkCode;
  if (error instanceof TimeoutError) {
    out.kind = error.kind;
    out.timeoutMs = error.timeoutMs;
    if (error.subject !== undefined) out.subject = error.subject;
  }
  if (error instanceof MissingDependencyError) out.packageName = error.packageName;
  return out;
}

export function deserializeError(e: SerializedError): Error {
  switch (e.name) {
    case "BedrockServiceError":
      return new BedrockServiceError({
        awsName: e.awsName ?? "UnknownError",
        message: e.message,
        ...(e.status !== undefined ? { status: e.status } : {}),
        ...(e.requestId !== undefined ? { requestId: e.requestId } : {}),
        retryable: e.retryable ?? false,
        throttling: e.throttling ?? false,
        retryAfterMs: e.retryAfterMs,
        midStream: e.midStream ?? false,
      });
    case "NetworkError":
      return new NetworkError(e.message, e.retryable ?? false, { networkCode: e.networkCode });
    case "TimeoutError":
      return new TimeoutError(e.kind ?? "total", e.timeoutMs ?? 0, e.subject);
    case "AbortError":
      return new AbortError();
    case "ConfigError":
      return new ConfigError(e.message);
    case "InvalidRequestError":
      return new InvalidRequestError(e.message);
    case "MissingDependencyError":
      return new MissingDependencyError(e.packageName ?? "unknown");
    case "ProviderError":
      return new ProviderError(e.message, e.code ?? "provider_error", e.retryable ?? false);
    default: {
      const error = new Error(e.message);
      error.name = e.name;
      return error;
    }
  }
}
