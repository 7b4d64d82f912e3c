import { BedrockServiceError, MinionError, NetworkError, TimeoutError } from "../../schema/errors.js";
import { clean, errorName, retryFactsOf } from "../../providers/bedrock/transport/service-error.js";

/** A Bedrock batch that cannot be submitted as asked (limits, options, a state file of another batch). */
export class BedrockBatchError extends MinionError {
  constructor(message: string, code = "bedrock_batch_invalid") {
    super(message, code);
  }
}

/**
 * The job ended Failed, Expired or Stopped. Whatever it finished is in the output already (`collected`
 * records); the `missing` ones have no result, and the next run sends them in a new job.
 */
export class BedrockBatchJobError extends MinionError {
  readonly jobArn: string;
  readonly status: string;
  readonly collected: number;
  readonly missing: number;

  constructor(jobArn: string, status: string, message: string, counts: { collected: number; missing: number }) {
    super(message, "bedrock_batch_job_failed");
    this.jobArn = jobArn;
    this.status = status;
    this.collected = counts.collected;
    this.missing = counts.missing;
  }
}

/**
 * The job watcher gave up: GetModelInvocationJob failed with retryable errors (5xx, throttling, network,
 * timeouts) `failedPolls` times in a row. The job itself was not touched and keeps running; `cause` is the
 * last error.
 */
export class BedrockBatchWatchError extends MinionError {
  readonly jobArn: string;
  readonly failedPolls: number;

  constructor(jobArn: string, failedPolls: number, last: MinionError) {
    super(
      `Gave up watching Bedrock batch job ${jobArn}: GetModelInvocationJob failed ${failedPolls} times in a row (last: ${last.message}). ` +
        `The job keeps running: run the same command again to resume watching, or raise maxFailedPolls (--max-failed-polls; 0 = no limit) to wait longer.`,
      "bedrock_batch_watch_failed",
      { cause: last },
    );
    this.jobArn = jobArn;
    this.failedPolls = failedPolls;
  }
}

interface SdkError {
  name?: unknown;
  message?: unknown;
  $fault?: unknown;
  $retryable?: unknown;
  $metadata?: { httpStatusCode?: number; requestId?: string };
}

/**
 * An AWS SDK error (S3 or the Bedrock control plane) as the library's typed error, with secrets scrubbed. The
 * SDK takes the error name and request id from the response (S3's XML `<Code>`, `x-amz-request-id`), so a
 * hostile endpoint controls them too.
 */
export function fromSdkError(error: unknown, action: string, secrets: readonly string[]): unknown {
  if (error instanceof MinionError || !(error instanceof Error)) return error;
  const sdk = error as SdkError;
  const status = sdk.$metadata?.httpStatusCode;
  if (status === undefined) return noAnswerError(error, action, secrets);
  const awsName = errorName(typeof sdk.name === "string" ? sdk.name : undefined, secrets);
  const requestId = sdk.$metadata?.requestId;
  return new BedrockServiceError({
    awsName,
    message: clean(`${action} failed: ${String(sdk.message ?? "")}`, secrets),
    status,
    requestId: typeof requestId === "string" ? clean(requestId, secrets, 200) : undefined,
    ...retryFactsOf(awsName, status),
  });
}

/** The SDK's handler names its socket timeout (the config's idleTimeout) only in this message. */
const SDK_IDLE_TIMEOUT = /timed out after (\d+) ms of inactivity/;
/** A system error code ("ECONNRESET", "ECONNREFUSED"). */
const SYSTEM_CODE = /^E[A-Z0-9_]{1,40}$/;

/**
 * A request that got no answer: the connection failed, was cut or went silent, as the runtime types it (a
 * retryable NetworkError, a non-retryable idle TimeoutError). Anything else (a credential provider's failure)
 * stays a BedrockBatchError.
 */
function noAnswerError(error: Error, action: string, secrets: readonly string[]): MinionError {
  const code = (error as { code?: unknown }).code;
  const systemCode = typeof code === "string" && SYSTEM_CODE.test(code) ? code : undefined;
  const idle = SDK_IDLE_TIMEOUT.exec(error.message);
  if (error.name === "TimeoutError" && idle && !systemCode) return new TimeoutError("idle", Number(idle[1]), clean(action, secrets));
  const text = clean(`${action} failed: ${error.name}: ${error.message}`, secrets);
  if (systemCode || error.name === "TimeoutError") return new NetworkError(text, true, { networkCode: systemCode ?? "timeout" });
  return new BedrockBatchError(text, "bedrock_batch_network");
}
