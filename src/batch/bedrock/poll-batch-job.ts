/**
 * Watches a job with GetModelInvocationJob until it ends (or the caller stops watching; the job runs on).
 * A failed poll that the runtime would retry (throttling, 5xx, network errors, a total timeout) is tried
 * again at the next interval, up to `maxFailedPolls` in a row; a successful poll resets the count.
 */
import type { GetModelInvocationJobCommandOutput } from "@aws-sdk/client-bedrock";
import { ProviderError } from "../../schema/errors.js";
import { sleep } from "../retry-delay.js";
import type { BatchClients } from "./batch-clients.js";
import { BedrockBatchWatchError } from "./bedrock-batch-errors.js";
import { sendBounded } from "./bounded-request.js";

export type BatchJobDescription = GetModelInvocationJobCommandOutput;

/** Failed polls in a row before the watch gives up: 10 minutes of errors at the default 60 s interval. */
export const DEFAULT_MAX_FAILED_POLLS = 10;

const FINISHED = new Set(["Completed", "PartiallyCompleted", "Failed", "Stopped", "Expired"]);

export function isJobFinished(status: string | undefined): boolean {
  return status !== undefined && FINISHED.has(status);
}

/** The job as the control plane describes it, within the control plane's request timeout; `signal` cuts the request. */
export async function describeBatchJob(clients: BatchClients, jobArn: string, signal?: AbortSignal): Promise<BatchJobDescription> {
  return sendBounded(clients, "controlPlane", `GetModelInvocationJob ${jobArn}`, signal, (abortSignal) =>
    clients.bedrock.send(new clients.bedrockSdk.GetModelInvocationJobCommand({ jobIdentifier: jobArn }), { abortSignal }),
  );
}

export interface PollOptions {
  /** ms between two polls. */
  intervalMs: number;
  /** Retryable failures in a row before a BedrockBatchWatchError (default DEFAULT_MAX_FAILED_POLLS; 0: no limit). */
  maxFailedPolls?: number | undefined;
  signal?: AbortSignal | undefined;
}

/** The finished job, or undefined when `signal` fired first. */
export async function pollBatchJob(clients: BatchClients, jobArn: string, options: PollOptions, onUpdate: (job: BatchJobDescription) => void): Promise<BatchJobDescription | undefined> {
  const { intervalMs, signal } = options;
  const maxFailed = options.maxFailedPolls ?? DEFAULT_MAX_FAILED_POLLS;
  let failed = 0;
  while (!signal?.aborted) {
    let job: BatchJobDescription | undefined;
    try {
      job = await describeBatchJob(clients, jobArn, signal);
    } catch (error) {
      if (signal?.aborted) return undefined;
      // The runtime's RetryPolicy retries what the error says is retryable.
      if (!(error instanceof ProviderError && error.retryable)) throw error;
      failed += 1;
      if (maxFailed !== 0 && failed >= maxFailed) throw new BedrockBatchWatchError(jobArn, failed, error);
    }
    if (job) {
      failed = 0;
      onUpdate(job);
      if (isJobFinished(job.status)) return job;
    }
    await sleep(intervalMs, signal);
  }
  return undefined;
}
