/** Watches a job with GetModelInvocationJob until it ends (or the caller stops watching; the job runs on). */
import type { GetModelInvocationJobCommandOutput } from "@aws-sdk/client-bedrock";
import { isThrottle, sleep } from "../retry-delay.js";
import type { BatchClients } from "./batch-clients.js";
import { fromSdkError } from "./bedrock-batch-errors.js";

export type BatchJobDescription = GetModelInvocationJobCommandOutput;

const FINISHED = new Set(["Completed", "PartiallyCompleted", "Failed", "Stopped", "Expired"]);

export function isJobFinished(status: string | undefined): boolean {
  return status !== undefined && FINISHED.has(status);
}

/** The job as the control plane describes it; `signal` cuts the request (and the SDK's retries of it). */
export async function describeBatchJob(clients: BatchClients, jobArn: string, signal?: AbortSignal): Promise<BatchJobDescription> {
  try {
    return await clients.bedrock.send(new clients.bedrockSdk.GetModelInvocationJobCommand({ jobIdentifier: jobArn }), signal ? { abortSignal: signal } : {});
  } catch (error) {
    throw fromSdkError(error, `GetModelInvocationJob ${jobArn}`, clients.secrets);
  }
}

/** The finished job, or undefined when `signal` fired first. Throttling and 5xx answers are waited out. */
export async function pollBatchJob(
  clients: BatchClients,
  jobArn: string,
  intervalMs: number,
  signal: AbortSignal | undefined,
  onUpdate: (job: BatchJobDescription) => void,
): Promise<BatchJobDescription | undefined> {
  while (!signal?.aborted) {
    let job: BatchJobDescription | undefined;
    try {
      job = await describeBatchJob(clients, jobArn, signal);
    } catch (error) {
      if (signal?.aborted) return undefined;
      if (!isThrottle(error) && (error as { retryable?: unknown }).retryable !== true) throw error;
    }
    if (job) {
      onUpdate(job);
      if (isJobFinished(job.status)) return job;
    }
    await sleep(intervalMs, signal);
  }
  return undefined;
}
