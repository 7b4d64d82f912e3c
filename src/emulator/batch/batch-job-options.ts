/** How the emulator's batch jobs reach S3 and how fast they move (see docs/emulator.md, "Batch jobs"). */
import { ConfigError } from "../../schema/errors.js";

export interface BatchJobOptions {
  /** The S3-compatible server (path-style) jobs read their input from and write results to. */
  s3Endpoint?: string;
  /** Credentials for that server (default: the AWS documentation's example pair). */
  s3Credentials?: { accessKeyId: string; secretAccessKey: string };
  s3Region?: string;
  /** ms a job stays Submitted, then Validating, and InProgress after its last record (default 1000). */
  statusDelayMs?: number;
  /** ms a validated job waits Scheduled before it starts (default statusDelayMs); past its timeout it is Expired. */
  scheduledDelayMs?: number;
  /**
   * ms the emulator counts as one hour of the job's timeoutDurationInHours (default 3,600,000: real time).
   * A job not started by then is Expired; one still running is PartiallyCompleted. Lower it to see both fast.
   */
  hourMs?: number;
  /** ms spent on each record (default 0), so progress can be watched. */
  recordDelayMs?: number;
  /** Bedrock's default quotas (per model and adjustable on AWS): see docs/batch.md. */
  minRecords?: number;
  maxRecordsPerFile?: number;
  maxRecordsPerJob?: number;
  maxFileBytes?: number;
  maxJobBytes?: number;
  /** Region and account in the job ARNs (default us-east-1, 123456789012). */
  region?: string;
  accountId?: string;
}

export type ResolvedBatchJobOptions = Required<Omit<BatchJobOptions, "s3Endpoint">> & { s3Endpoint: string | undefined };

export const HOUR_MS = 3_600_000;

export const BATCH_DEFAULT_LIMITS = {
  minRecords: 100,
  maxRecordsPerFile: 50_000,
  maxRecordsPerJob: 50_000,
  maxFileBytes: 1024 ** 3,
  maxJobBytes: 5 * 1024 ** 3,
} as const;

export function resolveBatchJobOptions(options: BatchJobOptions = {}): ResolvedBatchJobOptions {
  const resolved: ResolvedBatchJobOptions = {
    s3Endpoint: options.s3Endpoint,
    s3Credentials: options.s3Credentials ?? { accessKeyId: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY" },
    s3Region: options.s3Region ?? "us-east-1",
    statusDelayMs: options.statusDelayMs ?? 1000,
    scheduledDelayMs: options.scheduledDelayMs ?? options.statusDelayMs ?? 1000,
    hourMs: options.hourMs ?? HOUR_MS,
    recordDelayMs: options.recordDelayMs ?? 0,
    ...BATCH_DEFAULT_LIMITS,
    ...definedLimits(options),
    region: options.region ?? "us-east-1",
    accountId: options.accountId ?? "123456789012",
  };
  for (const key of ["statusDelayMs", "scheduledDelayMs", "hourMs", "recordDelayMs", "minRecords", "maxRecordsPerFile", "maxRecordsPerJob", "maxFileBytes", "maxJobBytes"] as const) {
    const value = resolved[key];
    if (!Number.isInteger(value) || value < 0) throw new ConfigError(`Emulator batch option ${key} must be a whole number, 0 or more, got ${String(value)}.`);
  }
  if (resolved.hourMs < 1) throw new ConfigError(`Emulator batch option hourMs must be 1 or more (ms per hour of a job's timeout), got ${resolved.hourMs}.`);
  return resolved;
}

function definedLimits(options: BatchJobOptions): Partial<typeof BATCH_DEFAULT_LIMITS> {
  const limits: Record<string, number> = {};
  for (const key of Object.keys(BATCH_DEFAULT_LIMITS) as (keyof typeof BATCH_DEFAULT_LIMITS)[]) {
    if (options[key] !== undefined) limits[key] = options[key]!;
  }
  return limits;
}
