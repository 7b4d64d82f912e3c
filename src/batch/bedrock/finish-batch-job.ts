/**
 * A job that ended: its results appended to the output (collected whatever the ending, so nothing finished is
 * lost) and counted into the summary, the state file removed, and the ending judged. Completed and
 * PartiallyCompleted are results (the records without one are `missing`, sent by the next run); Failed,
 * Stopped and Expired end in a BedrockBatchJobError after the collection.
 */
import type { LLMConfig } from "../../config/llm-config.js";
import type { OutputWriter } from "../output-writer.js";
import type { BatchClients } from "./batch-clients.js";
import { removeJobState, type BatchJobState } from "./batch-job-state.js";
import { BedrockBatchJobError } from "./bedrock-batch-errors.js";
import { collectBatchResults } from "./collect-batch-results.js";
import type { BatchJobDescription } from "./poll-batch-job.js";
import type { BedrockBatchSummary } from "./run-bedrock-batch.js";
import { parseS3Location, type S3Location } from "./s3-location.js";

export interface FinishedJob {
  options: { input: string; output: string; maxOutputLineBytes?: number | undefined; signal?: AbortSignal | undefined };
  config: LLMConfig;
  state: BatchJobState;
  job: BatchJobDescription;
  jobArn: string;
  clients: BatchClients;
  writer: OutputWriter;
  done: Set<string>;
  statePath: string;
  summary: BedrockBatchSummary;
  log: (line: string) => void;
}

const FAILED_ENDINGS = new Set(["Failed", "Stopped", "Expired"]);

const ENDING_HINTS: Record<string, string> = {
  Expired: "It was scheduled but did not start before its timeout (timeoutDurationInHours). ",
  Stopped: "It was stopped (StopModelInvocationJob). ",
  Failed: "Bedrock failed it; its message says why. ",
};

export async function finishBatchJob(finished: FinishedJob): Promise<void> {
  const { options, state, job, jobArn, summary, log } = finished;
  const ending = job.status ?? "unknown";
  const message = job.message ? `: ${job.message.slice(0, 1000)}` : "";
  summary.status = job.status;
  if ((job.processedRecordCount ?? 0) === 0 && FAILED_ENDINGS.has(ending)) {
    await removeJobState(finished.statePath);
    const text = `Bedrock batch job ${jobArn} ended ${ending} with no results${message}. ${ENDING_HINTS[ending] ?? ""}Run the same command again to submit a new job.`;
    throw new BedrockBatchJobError(jobArn, ending, text, { collected: 0, missing: state.records });
  }
  const collected = await collect(finished);
  if (FAILED_ENDINGS.has(ending)) {
    const counts = { collected, missing: summary.missing };
    const text = `Bedrock batch job ${jobArn} ended ${ending}${message}. ${ENDING_HINTS[ending] ?? ""}${collected} record(s) it finished are in ${options.output}; ${summary.missing} have no result: run the same command again to send them in a new job.`;
    throw new BedrockBatchJobError(jobArn, ending, text, counts);
  }
  if (summary.missing > 0) log(`minion: ${summary.missing} record(s) of the job have no result (${ending}); run the same command again to send them in a new job`);
}

/** Appends the job's results and counts them into the summary; returns how many records were written. */
async function collect(finished: FinishedJob): Promise<number> {
  const { options, config, state, jobArn, summary, log } = finished;
  const folder = resultsFolder(state, jobArn);
  const collected = await collectBatchResults({
    config,
    invocationType: state.modelInvocationType ?? "InvokeModel",
    input: options.input,
    done: finished.done,
    folder,
    clients: finished.clients,
    writer: finished.writer,
    signal: options.signal,
    ...(options.maxOutputLineBytes !== undefined ? { maxLineBytes: options.maxOutputLineBytes } : {}),
  });
  await finished.writer.flush();
  await removeJobState(finished.statePath);
  summary.succeeded += collected.succeeded;
  summary.failed += collected.failed;
  summary.inputTokens += collected.inputTokens;
  summary.outputTokens += collected.outputTokens;
  summary.cost += collected.cost;
  summary.manifest = collected.manifest;
  summary.unknownLines = collected.unknownLines;
  summary.duplicateLines = collected.duplicateLines;
  summary.missing = Math.max(0, state.records - collected.succeeded - collected.failed);
  const where = `s3://${folder.bucket}/${folder.prefix}/`;
  if (collected.unknownLines > 0) log(`minion: warning: ${collected.unknownLines} line(s) in ${where} name no record of ${options.input}; ignored`);
  if (collected.duplicateLines > 0) log(`minion: warning: ${collected.duplicateLines} line(s) in ${where} repeat a record already collected; the first line of each counted`);
  return collected.succeeded + collected.failed;
}

/** Results are written under the output URI, in a folder named for the job id. */
function resultsFolder(state: BatchJobState, jobArn: string): S3Location {
  const output = parseS3Location(state.outputUri);
  const jobId = jobArn.slice(jobArn.lastIndexOf("/") + 1);
  return { bucket: output.bucket, prefix: [output.prefix, jobId].filter(Boolean).join("/") };
}
