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

/** An error returned by the AWS service: keeps the AWS error name, HTTP status and request id. */
export class BedrockServiceError extends ProviderError {
  /** The AWS error name, e.g. "ThrottlingException". */
  readonly awsName: string;
  readonly status: number | undefined;
  readonly requestId: string | undefined;
  /** True when the error arrived after part of a stream was already delivered. */
  readonly midStream: boolean;

  constructor(fields: {
    awsName: string;
    message: string;
    status?: number;
    requestId?: string;
    retryable: boolean;
    midStream?: boolean;
    cause?: unknown;
  }) {
    super(`${fields.awsName}: ${fields.message}`, "bedrock_service_error", fields.retryable, { cause: fields.cause });
    this.awsName = fields.awsName;
    this.status = fields.status;
    this.requestId = fields.requestId;
    this.midStream = fields.midStream ?? false;
  }
}

/** The connection failed or was cut (reset, refused, DNS). */
export class NetworkError extends ProviderError {
  constructor(message: string, retryable: boolean, options?: { cause?: unknown }) {
    super(message, "network_error", retryable, options);
  }
}

/** A call took longer than its total timeout, or a stream went silent for longer than its idle timeout. */
export class TimeoutError extends ProviderError {
  readonly kind: "total" | "idle";
  readonly timeoutMs: number;

  constructor(kind: "total" | "idle", timeoutMs: number) {
    const what = kind === "total" ? "The call did not finish within" : "The stream sent nothing for";
    const knob = kind === "total" ? "timeout" : "idleTimeout";
    super(`${what} ${timeoutMs} ms. Raise the \`${knob}\` option if the model needs longer.`, `timeout_${kind}`, kind === "total");
    this.kind = kind;
    this.timeoutMs = timeoutMs;
  }
}

/** The caller's AbortSignal fired. */
export class AbortError extends MinionError {
  constructor(reason?: unknown) {
    super("The call was aborted by its AbortSignal.", "aborted", { cause: reason });
  }
}
