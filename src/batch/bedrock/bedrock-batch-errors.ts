import { BedrockServiceError, MinionError } from "../../schema/errors.js";
import { scrub } from "../../providers/bedrock/errors/scrub-secrets.js";
import { clean, errorName } from "../../providers/bedrock/transport/service-error.js";

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
  if (status === undefined) {
    return new BedrockBatchError(scrub(`${action} failed: ${error.name}: ${error.message}`, secrets), "bedrock_batch_network");
  }
  const awsName = errorName(typeof sdk.name === "string" ? sdk.name : undefined, secrets);
  const requestId = sdk.$metadata?.requestId;
  return new BedrockServiceError({
    awsName,
    message: clean(`${action} failed: ${String(sdk.message ?? "")}`, secrets),
    status,
    requestId: typeof requestId === "string" ? clean(requestId, secrets, 200) : undefined,
    retryable: status >= 500 || status === 429,
    throttling: status === 429 || awsName === "ThrottlingException",
  });
}
