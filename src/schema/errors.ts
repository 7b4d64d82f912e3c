/**
 * The library's error family. Every error minion-ts raises is a MinionError; catch the subclass you care
 * about. Messages say what is wrong and how to fix it, and never contain credentials.
 */
export class MinionError extends Error {
  /** Stable machine-readable code, e.g. "config_invalid". */
  readonly code: string;

  constructor(message: string, code: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

/** A config file or LLMConfig value is missing, malformed or refers to an unset variable. */
export class ConfigError extends MinionError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, "config_invalid", options);
  }
}

/** The request (messages, options, tools, images) cannot be sent as given; raised before any network call. */
export class InvalidRequestError extends MinionError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, "invalid_request", options);
  }
}

/** An optional package (for example the AWS SDK) cannot be loaded. */
export class MissingDependencyError extends MinionError {
  readonly packageName: string;

  constructor(packageName: string, options?: { cause?: unknown }) {
    super(`The package "${packageName}" could not be loaded. Install it with: npm install ${packageName}`, "missing_dependency", options);
    this.packageName = packageName;
  }
}

/** Base class for failures while talking to a model provider. */
export class ProviderError extends MinionError {
  /** Whether trying the same call again may succeed. */
  readonly retryable: boolean;

  constructor(message: string, code: string, retryable: boolean, options?: { cause?: unknown }) {
    super(message, code, options);
    this.retryable = retryable;
  }
}

/** What a call of a closed provider ends with (and any call still running when it was closed). */
export function providerClosedError(): ProviderError {
  return new ProviderError("This provider was closed; create a new one.", "provider_closed", false);
}

/** The fields of a BedrockServiceError; what the retry layer reads is `retryable`, `throttling` and `retryAfterMs`. */
export interface BedrockServiceErrorFields {
  awsName: string;
  message: string;
  status?: number | undefined;
  requestId?: string | undefined;
  retryable: boolean;
  /** A throttling error (the retry layer waits longer before the next attempt). */
  throttling?: boolean | undefined;
  /** How long the service asked to wait before another attempt (Retry-After / x-amz-retry-after), ms. */
  retryAfterMs?: number | undefined;
  midStream?: boolean | undefined;
  /** Only allow-listed, scrubbed facts (name, fault, status, request id, x-amzn-* and retry-after headers). */
  cause?: unknown;
}

/** An error returned by the AWS service: keeps the AWS error name, HTTP status and request id. */
export class BedrockServiceError extends ProviderError {
  /** The AWS error name, e.g. "ThrottlingException". */
  readonly awsName: string;
  readonly status: number | undefined;
  readonly requestId: string | undefined;
  readonly throttling: boolean;
  readonly retryAfterMs: number | undefined;
  /** True when the error arrived after part of a stream was already delivered. */
  readonly midStream: boolean;

  constructor(fields: BedrockServiceErrorFields) {
    super(`${fields.awsName}: ${fields.message}`, "bedrock_service_error", fields.retryable, { cause: fields.cause });
    this.awsName = fields.awsName;
    this.status = fields.status;
    this.requestId = fields.requestId;
    this.throttling = fields.throttling ?? false;
    this.retryAfterMs = fields.retryAfterMs;
    this.midStream = fields.midStream ?? false;
  }

  /** The same error with a hint added to its message, or marked as arriving after part of the answer. */
  withDetails(details: { midStream?: boolean; hint?: string }): BedrockServiceError {
    const midStream = this.midStream || details.midStream === true;
    if (midStream === this.midStream && !details.hint) return this;
    const { awsName, status, requestId, retryable, throttling, retryAfterMs, cause } = this;
    const message = this.message.slice(awsName.length + 2) + (details.hint ?? "");
    return new BedrockServiceError({ awsName, message, status, requestId, retryable, throttling, retryAfterMs, midStream, cause });
  }
}

/**
 * The connection failed or was cut (refused, DNS, TLS, reset), or the response could not be decoded.
 * `networkCode` says which: the system or TLS code ("ECONNREFUSED", "ENOTFOUND", "DEPTH_ZERO_SELF_SIGNED_CERT")
 * or the library's own ("corrupt_response", "truncated_response", "connection_closed").
 */
export class NetworkError extends ProviderError {
  readonly networkCode: string | undefined;

  constructor(message: string, retryable: boolean, options?: { cause?: unknown; networkCode?: string | undefined }) {
    super(message, "network_error", retryable, options);
    this.networkCode = options?.networkCode;
  }
}

/** Which limit a TimeoutError hit: the whole call, silence while a response was awaited, or opening a connection. */
export type TimeoutKind = "total" | "idle" | "connect";

const TIMEOUT_TEXT: Record<TimeoutKind, { what: string; knob: string }> = {
  total: { what: "The call did not finish within", knob: "timeout" },
  idle: { what: "Bedrock sent nothing for", knob: "idleTimeout" },
  connect: { what: "No connection to Bedrock could be opened within", knob: "connectTimeout" },
};

/** The same, after a subject that names the request (which may go to another server than Bedrock's runtime). */
const SUBJECT_TEXT: Record<TimeoutKind, string> = {
  total: "the request did not finish within",
  idle: "the server sent nothing for",
  connect: "no connection could be opened within",
};

/**
 * A call took longer than its total timeout, a response went silent for longer than the idle timeout, or a
 * connection could not be opened in time. A connect timeout is retryable (another connection may open).
 */
export class TimeoutError extends ProviderError {
  readonly kind: TimeoutKind;
  readonly timeoutMs: number;
  /** What timed out when it is not the model call itself (e.g. a batch job's S3 request). */
  readonly subject: string | undefined;

  constructor(kind: TimeoutKind, timeoutMs: number, subject?: string) {
    const { what, knob } = TIMEOUT_TEXT[kind];
    const head = subject ? `${subject}: ${SUBJECT_TEXT[kind]}` : what;
    super(`${head} ${timeoutMs} ms. Raise the \`${knob}\` option (0 turns it off) if this is expected.`, `timeout_${kind}`, kind !== "idle");
    this.kind = kind;
    this.timeoutMs = timeoutMs;
    this.subject = subject;
  }
}

/** The caller's AbortSignal fired. */
export class AbortError extends MinionError {
  constructor(reason?: unknown) {
    super("The call was aborted by its AbortSignal.", "aborted", { cause: reason });
  }
}
