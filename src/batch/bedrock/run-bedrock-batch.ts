/**
 * `runBedrockBatch()`: the same JSONL input as `runBatch()`, sent through Bedrock Batch Inference. The pending
 * lines are written to S3 as batch records, one CreateModelInvocationJob is submitted (its name, token and ARN
 * kept in OUTPUT.bedrock-job.json), the job is polled until it ends, and its .jsonl.out results are appended
 * to the output in the local runner's shape, priced at batch rates. A rerun of the same command resumes the
 * recorded job instead of submitting another; stopping the watch (the signal) leaves the job running.
 */
import { LLMConfig, type LLMConfigInput } from "../../config/llm-config.js";
import { InvalidRequestError } from "../../schema/errors.js";
import { BatchInputError } from "../batch-errors.js";
import { OutputWriter } from "../output-writer.js";
import { readDoneIds } from "../read-done-ids.js";
import { scanInput } from "../scan-input.js";
import { createBatchClients, type BatchClients, type BatchEndpoints } from "./batch-clients.js";
import { BedrockBatchError } from "./bedrock-batch-errors.js";
import { DEFAULT_BEDROCK_BATCH_LIMITS, type BedrockBatchLimits } from "./bedrock-batch-limits.js";
import { newJobIdentity, readJobState, statePathOf, writeJobState, type BatchJobState } from "./batch-job-state.js";
import { invocationTypeOf } from "./build-model-input.js";
import type { BatchManifest } from "./batch-manifest.js";
import { finishBatchJob } from "./finish-batch-job.js";
import { pollBatchJob, type BatchJobDescription } from "./poll-batch-job.js";
import { sendBounded } from "./bounded-request.js";
import { checkRoleArn, parseS3Location, s3Uri, type S3Location } from "./s3-location.js";
import { uploadBatchInput } from "./upload-batch-input.js";
import { jobTags } from "./job-tags.js";

export interface RunBedrockBatchOptions extends BatchEndpoints {
  input: string;
  output: string;
  /** The model config: its id, defaults, credentials and region. Claude models go in InvokeModel-type jobs, others in Converse-type. */
  model: LLMConfig | LLMConfigInput;
  /** s3://bucket/prefix: the job's input and results go under PREFIX/JOB_NAME/. */
  s3: string;
  /** The IAM role Bedrock assumes to read and write that location. */
  roleArn: string;
  /** Bedrock's batch quotas to check against (defaults: DEFAULT_BEDROCK_BATCH_LIMITS). */
  limits?: Partial<BedrockBatchLimits>;
  /** The longest .jsonl.out line read (default 32 MiB); a longer one fails its record without being read. */
  maxOutputLineBytes?: number;
  /** ms between two GetModelInvocationJob calls (default 60,000). */
  pollIntervalMs?: number;
  /**
   * Polls in a row that may fail with a retryable error (throttling, 5xx, network, timeout) before the watch
   * gives up with a BedrockBatchWatchError (default 10; 0: no limit). A successful poll resets the count.
   */
  maxFailedPolls?: number;
  /** Hours before Bedrock stops the job (24 to 168; Bedrock's default 24). */
  timeoutDurationInHours?: number;
  /** Tags for the job (at most 200). Kept in the state file with the job, so a resumed run sends the same. */
  tags?: Readonly<Record<string, string>>;
  /**
   * Stops watching: the job keeps running, and the same call resumes it. It also cuts a pending upload,
   * submission or collection (an AbortError; the same call takes up where it stopped).
   */
  signal?: AbortSignal;
  /** Called on each poll with the job's description (status, record counts). */
  onJobUpdate?: (job: BatchJobDescription) => void;
  /** Where status lines go (default process.stderr); null for silence. */
  progressStream?: NodeJS.WritableStream | null;
}

export interface BedrockBatchSummary {
  /** Requests in the input, and those already in the output before this run. */
  total: number;
  skipped: number;
  /** Records in the job (undefined when nothing had to be sent). */
  submitted: number | undefined;
  succeeded: number;
  failed: number;
  /** Records of the job with no result (a stopped or failed job); a rerun sends them in a new job. */
  missing: number;
  /** Lines of the job's output that named no record of this input, and second lines for one record: ignored. */
  unknownLines: number;
  duplicateLines: number;
  inputTokens: number;
  outputTokens: number;
  /** USD at Bedrock batch prices. */
  cost: number;
  jobArn: string | undefined;
  status: string | undefined;
  /** True when this call resumed a job recorded by an earlier one. */
  resumed: boolean;
  /** True when the signal stopped the watch; the job keeps running. */
  interrupted: boolean;
  manifest: BatchManifest | undefined;
}

export const DEFAULT_POLL_INTERVAL_MS = 60_000;

/** What each status means, for the progress line. */
const STATUS_NOTES: Record<string, string> = {
  Submitted: "queued for validation",
  Validating: "checking the input files and the role",
  Scheduled: "validated, waiting for its turn",
  InProgress: "running",
  Stopping: "stopping",
  PartiallyCompleted: "ended before every record was processed",
};

export async function runBedrockBatch(options: RunBedrockBatchOptions): Promise<BedrockBatchSummary> {
  const config = options.model instanceof LLMConfig ? options.model : new LLMConfig(options.model);
  const limits = checkOptions(options);
  const location = parseS3Location(options.s3);
  const statePath = statePathOf(options.output);
  const done = await readDoneIds(options.output, { repair: true });
  let state = await readJobState(statePath);
  if (state && (state.input !== options.input || state.model !== config.model)) {
    throw new BedrockBatchError(
      `${statePath} records job ${state.jobArn ?? state.jobName} for input ${state.input} and model ${state.model}, not this batch. Use another --output, or finish that job (run its command again, or add --stop) first.`,
      "bedrock_batch_state_mismatch",
    );
  }
  // A state file beside the output may come with a cloned repository: its job must read and write only under --s3.
  const under = s3Uri(location) + (location.prefix === "" ? "" : "/");
  if (state && !(state.inputUri.startsWith(under) && state.outputUri.startsWith(under))) {
    throw new BedrockBatchError(
      `${statePath} records S3 locations (${state.inputUri.slice(0, 200)}, ${state.outputUri.slice(0, 200)}) not under --s3 ${under}. Run with the --s3 of the batch that wrote it, or use another --output.`,
      "bedrock_batch_state_mismatch",
    );
  }
  const scan = await scanInput(options.input, done.ids);
  if (scan.problemCount > 0) throw new BatchInputError(options.input, scan.problems, scan.problemCount);
  const summary = emptySummary(scan.total, scan.total - scan.pending, state !== undefined);
  if (!state && scan.pending === 0) return summary;
  if (!state) checkMinimum(scan.pending, limits);
  const log = logger(options.progressStream);
  const clients = await createBatchClients(config, options);
  const writer = await OutputWriter.open(options.output);
  try {
    if (!state) state = await uploadInput(options, config, location, limits, clients, writer, done.ids, statePath, summary);
    summary.submitted = state.records;
    if (state.jobArn) log(`minion: resuming Bedrock batch job ${state.jobArn} (recorded in ${statePath})`);
    const jobArn = state.jobArn ?? (await createJob(options, config, state, clients, statePath, log));
    summary.jobArn = jobArn;
    const polling = { intervalMs: options.pollIntervalMs ?? DEFAULT_POLL_INTERVAL_MS, maxFailedPolls: options.maxFailedPolls, signal: options.signal };
    const job = await pollBatchJob(clients, jobArn, polling, watcher(options, log));
    if (!job) {
      summary.interrupted = true;
      log(`minion: stopped watching; Bedrock batch job ${jobArn} keeps running. Run the same command again to resume, or add --stop to stop the job.`);
      return summary;
    }
    await finishBatchJob({ options, config, state, job, jobArn, clients, writer, done: done.ids, statePath, summary, log });
    return summary;
  } finally {
    await writer.close();
    clients.destroy();
  }
}

export interface StopBedrockBatchOptions extends BatchEndpoints {
  output: string;
  model: LLMConfig | LLMConfigInput;
}

/**
 * `--stop`: StopModelInvocationJob for the job recorded beside the output. The state file stays: running the
 * batch command again collects what the job finished before it stopped, and a later run sends the rest.
 */
export async function stopBedrockBatch(options: StopBedrockBatchOptions): Promise<{ jobArn: string; status: string | undefined }> {
  const config = options.model instanceof LLMConfig ? options.model : new LLMConfig(options.model);
  const statePath = statePathOf(options.output);
  const state = await readJobState(statePath);
  if (!state?.jobArn) throw new BedrockBatchError(`No Bedrock batch job is recorded for ${options.output} (no ${statePath} with a job ARN), so there is nothing to stop.`, "bedrock_batch_no_job");
  const clients = await createBatchClients(config, options);
  try {
    const jobIdentifier = state.jobArn;
    await sendBounded(clients, "controlPlane", `StopModelInvocationJob ${jobIdentifier}`, undefined, (abortSignal) =>
      clients.bedrock.send(new clients.bedrockSdk.StopModelInvocationJobCommand({ jobIdentifier }), { abortSignal }),
    );
  } finally {
    clients.destroy();
  }
  return { jobArn: state.jobArn, status: "Stopping" };
}

function checkOptions(options: RunBedrockBatchOptions): BedrockBatchLimits {
  if (options.input === options.output) throw new InvalidRequestError("The output must be another file than the input.");
  if (options.tags !== undefined) jobTags(options.tags);
  checkRoleArn(options.roleArn);
  const limits = { ...DEFAULT_BEDROCK_BATCH_LIMITS, ...definedOnly(options.limits ?? {}) };
  for (const [name, value] of Object.entries(limits)) {
    if (!Number.isInteger(value) || value < 0) throw new BedrockBatchError(`limits.${name} must be a whole number, 0 or more, got ${String(value)}.`);
  }
  const lineCap = options.maxOutputLineBytes;
  if (lineCap !== undefined && !(Number.isSafeInteger(lineCap) && lineCap >= 1024)) throw new BedrockBatchError(`maxOutputLineBytes must be a whole number of bytes, 1024 or more, got ${String(lineCap)}.`);
  const poll = options.pollIntervalMs;
  if (poll !== undefined && !(Number.isFinite(poll) && poll >= 0)) throw new BedrockBatchError(`pollIntervalMs must be 0 or more, got ${String(poll)}.`);
  const failedPolls = options.maxFailedPolls;
  if (failedPolls !== undefined && !(Number.isSafeInteger(failedPolls) && failedPolls >= 0)) throw new BedrockBatchError(`maxFailedPolls must be a whole number, 0 (no limit) or more, got ${String(failedPolls)}.`);
  const hours = options.timeoutDurationInHours;
  if (hours !== undefined && !(Number.isInteger(hours) && hours >= 24 && hours <= 168)) throw new BedrockBatchError(`timeoutDurationInHours must be a whole number from 24 to 168, got ${String(hours)}.`);
  return limits;
}

function checkMinimum(records: number, limits: BedrockBatchLimits): void {
  if (records >= limits.minRecords) return;
  throw new BedrockBatchError(
    `Only ${records} request(s) to send; a Bedrock batch job needs at least ${limits.minRecords} (the "Minimum number of records per batch inference job" quota). Use the local runner (--engine local) for small batches.`,
    "bedrock_batch_limit",
  );
}

async function uploadInput(
  options: RunBedrockBatchOptions,
  config: LLMConfig,
  location: S3Location,
  limits: BedrockBatchLimits,
  clients: BatchClients,
  writer: OutputWriter,
  done: Set<string>,
  statePath: string,
  summary: BedrockBatchSummary,
): Promise<BatchJobState> {
  const identity = newJobIdentity();
  const target = { bucket: location.bucket, prefix: [location.prefix, identity.jobName, "input"].filter(Boolean).join("/") };
  const uploaded = await uploadBatchInput({ config, input: options.input, done, target, limits, clients, writer, signal: options.signal });
  summary.failed += uploaded.rejected;
  await writer.flush();
  checkMinimum(uploaded.records, limits);
  const state: BatchJobState = {
    version: 1,
    input: options.input,
    model: config.model,
    modelInvocationType: invocationTypeOf(config),
    ...identity,
    inputUri: `${s3Uri(target)}/`,
    outputUri: `${s3Uri(location, identity.jobName, "output")}/`,
    records: uploaded.records,
    ...(options.timeoutDurationInHours !== undefined ? { timeoutDurationInHours: options.timeoutDurationInHours } : {}),
    ...(options.tags !== undefined && Object.keys(options.tags).length > 0 ? { tags: jobTags(options.tags) } : {}),
  };
  await writeJobState(statePath, state); // before the job exists: a crash from here on resubmits with the same token
  return state;
}

/** CreateModelInvocationJob from the state file alone: a repeat after a crash is the same request, with the same token. */
async function createJob(options: RunBedrockBatchOptions, config: LLMConfig, state: BatchJobState, clients: BatchClients, statePath: string, log: (line: string) => void): Promise<string> {
  const created = await sendBounded(clients, "controlPlane", `CreateModelInvocationJob ${state.jobName}`, options.signal, (abortSignal) =>
    clients.bedrock.send(
      new clients.bedrockSdk.CreateModelInvocationJobCommand({
        jobName: state.jobName,
        clientRequestToken: state.clientRequestToken,
        roleArn: options.roleArn,
        modelId: config.model,
        modelInvocationType: state.modelInvocationType ?? "InvokeModel",
        inputDataConfig: { s3InputDataConfig: { s3Uri: state.inputUri, s3InputFormat: "JSONL" } },
        outputDataConfig: { s3OutputDataConfig: { s3Uri: state.outputUri } },
        ...(state.timeoutDurationInHours !== undefined ? { timeoutDurationInHours: state.timeoutDurationInHours } : {}),
        ...(state.tags ? { tags: state.tags } : {}),
      }),
      { abortSignal },
    ),
  );
  const jobArn = created.jobArn;
  if (!jobArn) throw new BedrockBatchError(`CreateModelInvocationJob ${state.jobName} answered without a job ARN.`, "bedrock_batch_network");
  await writeJobState(statePath, { ...state, jobArn });
  log(`minion: submitted Bedrock batch job ${jobArn} (${state.records} records from ${state.inputUri}); Ctrl-C stops watching, the job keeps running`);
  return jobArn;
}

function watcher(options: RunBedrockBatchOptions, log: (line: string) => void): (job: BatchJobDescription) => void {
  let last = "";
  return (job) => {
    options.onJobUpdate?.(job);
    const note = STATUS_NOTES[job.status ?? ""];
    const line = `minion batch: ${job.jobName ?? job.jobArn} ${job.status}${note ? ` (${note})` : ""}: ${job.processedRecordCount ?? 0}/${job.totalRecordCount ?? "?"} records processed, ${job.errorRecordCount ?? 0} failed`;
    if (line !== last) log(line);
    last = line;
  };
}

function logger(stream: NodeJS.WritableStream | null | undefined): (line: string) => void {
  const target = stream === undefined ? process.stderr : stream;
  return (line) => target?.write(`${line}\n`);
}

function emptySummary(total: number, skipped: number, resumed: boolean): BedrockBatchSummary {
  return { total, skipped, submitted: undefined, succeeded: 0, failed: 0, missing: 0, unknownLines: 0, duplicateLines: 0, inputTokens: 0, outputTokens: 0, cost: 0, jobArn: undefined, status: undefined, resumed, interrupted: false, manifest: undefined };
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, entry]) => entry !== undefined)) as Partial<T>;
}
