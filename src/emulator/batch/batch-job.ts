/** One batch job as GetModelInvocationJob / ListModelInvocationJobs describe it. */
import type { CreateJobRequest } from "./validate-create-job.js";

/** Bedrock's timeoutDurationInHours when the request names none. */
export const DEFAULT_TIMEOUT_HOURS = 24;

/** ModelInvocationJobStatus, in the service model's order. */
export const JOB_STATUSES = ["Submitted", "InProgress", "Completed", "Failed", "Stopping", "Stopped", "PartiallyCompleted", "Expired", "Validating", "Scheduled"] as const;

export type JobStatus = (typeof JOB_STATUSES)[number];

export interface BatchJob {
  jobArn: string;
  jobId: string;
  request: CreateJobRequest;
  status: JobStatus;
  /** Every status the job has had, in order (for tests: a poll can miss a short one). */
  statusHistory: JobStatus[];
  message?: string;
  submitTime: Date;
  /** submitTime plus timeoutDurationInHours (in the emulator's hours): the job expires or ends partially then. */
  expirationTime: Date;
  lastModifiedTime: Date;
  endTime?: Date;
  totalRecordCount: number;
  processedRecordCount: number;
  successRecordCount: number;
  errorRecordCount: number;
  inputTokenCount: number;
  outputTokenCount: number;
}

export function isFinished(status: JobStatus): boolean {
  return status === "Completed" || status === "PartiallyCompleted" || status === "Failed" || status === "Stopped" || status === "Expired";
}

export function setStatus(job: BatchJob, status: JobStatus, message?: string): void {
  job.status = status;
  job.statusHistory.push(status);
  job.lastModifiedTime = new Date();
  if (message !== undefined) job.message = message;
  if (isFinished(status)) job.endTime = job.lastModifiedTime;
}

/** The restJson1 shape (timestamps as ISO 8601, per the service model). */
export function describeJob(job: BatchJob): Record<string, unknown> {
  const { request } = job;
  return {
    jobArn: job.jobArn,
    jobName: request.jobName,
    modelId: request.modelId,
    ...(request.clientRequestToken ? { clientRequestToken: request.clientRequestToken } : {}),
    roleArn: request.roleArn,
    status: job.status,
    ...(job.message !== undefined ? { message: job.message } : {}),
    submitTime: job.submitTime.toISOString(),
    lastModifiedTime: job.lastModifiedTime.toISOString(),
    ...(job.endTime ? { endTime: job.endTime.toISOString() } : {}),
    inputDataConfig: { s3InputDataConfig: { s3InputFormat: "JSONL", s3Uri: request.inputUri } },
    outputDataConfig: { s3OutputDataConfig: { s3Uri: request.outputUri } },
    timeoutDurationInHours: request.timeoutDurationInHours ?? DEFAULT_TIMEOUT_HOURS,
    jobExpirationTime: job.expirationTime.toISOString(),
    modelInvocationType: request.modelInvocationType,
    totalRecordCount: job.totalRecordCount,
    processedRecordCount: job.processedRecordCount,
    successRecordCount: job.successRecordCount,
    errorRecordCount: job.errorRecordCount,
  };
}
