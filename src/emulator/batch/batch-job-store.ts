/**
 * The emulator's batch jobs: created (after checking the request and its S3 input), listed, described and
 * stopped, and run in the background through Bedrock's statuses: Submitted, Validating, Scheduled (Expired
 * when its timeout passes first), InProgress while every record is answered by the emulator's model, then
 * Completed, PartiallyCompleted (the timeout passed mid-way) or Stopped once the .jsonl.out files and
 * manifest.json.out are written; Failed when S3 fails it.
 */
import { randomBytes } from "node:crypto";
import { sleep } from "../abortable-wait.js";
import type { PlanRequest } from "../answer-plan.js";
import { WireError } from "../send-error.js";
import { answerRecord, type OutputRecord } from "./answer-record.js";
import { DEFAULT_TIMEOUT_HOURS, describeJob, isFinished, setStatus, type BatchJob } from "./batch-job.js";
import type { ResolvedBatchJobOptions } from "./batch-job-options.js";
import { checkJobInput, recordLines } from "./check-job-input.js";
import { JobS3, joinKey, parseS3Uri, type InputObject } from "./job-s3.js";
import type { CreateJobRequest } from "./validate-create-job.js";
import { pageToken, type ListJobsQuery } from "./validate-list-jobs.js";

export class BatchJobStore {
  readonly #jobs = new Map<string, BatchJob>();
  readonly #s3: JobS3;
  readonly #closed = new AbortController();
  /** Per job: aborted by StopModelInvocationJob, and by close() (which also aborts #closed). */
  readonly #stops = new Map<string, AbortController>();

  constructor(
    private readonly options: ResolvedBatchJobOptions,
    private readonly planner: PlanRequest,
  ) {
    this.#s3 = new JobS3(options);
  }

  /** Every job so far, oldest first. */
  get jobs(): readonly BatchJob[] {
    return [...this.#jobs.values()];
  }

  async create(request: CreateJobRequest): Promise<{ jobArn: string }> {
    const earlier = this.#existing(request);
    if (earlier) return earlier;
    const input = await checkJobInput(this.#s3, request.inputUri, this.options);
    // A create that raced this one may have taken the name or the token while the input was read.
    const raced = this.#existing(request);
    if (raced) return raced;
    const jobId = randomBytes(6).toString("hex");
    const now = new Date();
    const job: BatchJob = {
      jobArn: `arn:aws:bedrock:${this.options.region}:${this.options.accountId}:model-invocation-job/${jobId}`,
      jobId,
      request,
      status: "Submitted",
      statusHistory: ["Submitted"],
      submitTime: now,
      expirationTime: new Date(now.getTime() + (request.timeoutDurationInHours ?? DEFAULT_TIMEOUT_HOURS) * this.options.hourMs),
      lastModifiedTime: now,
      totalRecordCount: input.records,
      processedRecordCount: 0,
      successRecordCount: 0,
      errorRecordCount: 0,
      inputTokenCount: 0,
      outputTokenCount: 0,
    };
    this.#jobs.set(jobId, job);
    const stop = new AbortController();
    this.#stops.set(jobId, stop);
    void this.#run(job, input.objects, stop.signal)
      .catch((error: unknown) => {
        if (!isFinished(job.status)) setStatus(job, "Failed", `The job failed: ${failure(error)}`);
      })
      .finally(() => this.#stops.delete(jobId));
    return { jobArn: job.jobArn };
  }

  /** The job a repeated clientRequestToken names, or undefined; throws ConflictException when the name is taken. */
  #existing(request: CreateJobRequest): { jobArn: string } | undefined {
    const same = request.clientRequestToken ? this.jobs.find((job) => job.request.clientRequestToken === request.clientRequestToken) : undefined;
    if (same) {
      if (same.request.jobName !== request.jobName) throw new WireError("ConflictException", 400, "The clientRequestToken was already used for a job with another name.");
      return { jobArn: same.jobArn };
    }
    if (this.jobs.some((job) => job.request.jobName === request.jobName)) {
      throw new WireError("ConflictException", 400, `A batch inference job named ${request.jobName} already exists. Choose another jobName.`);
    }
    return undefined;
  }

  get(identifier: string): BatchJob {
    const id = identifier.slice(identifier.lastIndexOf("/") + 1);
    const job = /^[a-z0-9]{12}$/.test(id) ? this.#jobs.get(id) : undefined;
    if (!job || (identifier.includes(":") && identifier !== job.jobArn)) {
      throw new WireError("ResourceNotFoundException", 404, `The batch inference job ${identifier.slice(0, 1011)} was not found.`);
    }
    return job;
  }

  list(query: ListJobsQuery): { invocationJobSummaries: Record<string, unknown>[]; nextToken?: string } {
    const { statusEquals, nameContains, submitTimeAfter, submitTimeBefore, maxResults, start } = query;
    let jobs = this.jobs.filter(
      (job) =>
        (!statusEquals || job.status === statusEquals) &&
        (!nameContains || job.request.jobName.includes(nameContains)) &&
        (!submitTimeAfter || job.submitTime > submitTimeAfter) &&
        (!submitTimeBefore || job.submitTime < submitTimeBefore),
    );
    if (query.sortOrder === "Descending") jobs = jobs.reverse();
    const page = jobs.slice(start, start + maxResults);
    const next = start + maxResults < jobs.length ? pageToken(start + maxResults) : undefined;
    return { invocationJobSummaries: page.map(describeJob), ...(next ? { nextToken: next } : {}) };
  }

  stop(identifier: string): void {
    const job = this.get(identifier);
    if (isFinished(job.status) || job.status === "Stopping") {
      throw new WireError("ValidationException", 400, `The batch inference job ${job.jobArn} is ${job.status} and cannot be stopped.`);
    }
    setStatus(job, "Stopping");
    this.#stops.get(job.jobId)?.abort();
  }

  close(): void {
    this.#closed.abort();
    for (const stop of this.#stops.values()) stop.abort();
    this.#s3.close();
  }

  /** Submitted, Validating, Scheduled (or Expired), InProgress, then Completed, PartiallyCompleted or Stopped. */
  async #run(job: BatchJob, objects: InputObject[], stop: AbortSignal): Promise<void> {
    const { statusDelayMs, scheduledDelayMs } = this.options;
    for (const next of ["Validating", "Scheduled"] as const) {
      await sleep(statusDelayMs, stop);
      if (this.#closed.signal.aborted) return;
      if (stop.aborted) return setStatus(job, "Stopped");
      setStatus(job, next);
    }
    const untilExpiry = job.expirationTime.getTime() - Date.now();
    await sleep(Math.min(scheduledDelayMs, untilExpiry), stop);
    if (this.#closed.signal.aborted) return;
    if (stop.aborted) return setStatus(job, "Stopped");
    if (scheduledDelayMs >= untilExpiry) {
      return setStatus(job, "Expired", "The job was scheduled but did not begin before its timeout (timeoutDurationInHours). Submit a new job request.");
    }
    setStatus(job, "InProgress");
    const timedOut = await this.#answerAll(job, objects, stop);
    if (this.#closed.signal.aborted) return;
    await sleep(statusDelayMs, stop);
    if (this.#closed.signal.aborted) return;
    if (stop.aborted) return setStatus(job, "Stopped");
    if (timedOut) return setStatus(job, "PartiallyCompleted", "Not all records could be processed before the job's timeout (timeoutDurationInHours). The output files hold the records that were.");
    setStatus(job, "Completed");
  }

  /** Answers every record (until stopped or past the timeout), writes the .jsonl.out files and the manifest; true when it timed out. */
  async #answerAll(job: BatchJob, objects: InputObject[], stop: AbortSignal): Promise<boolean> {
    const output = parseS3Uri(job.request.outputUri);
    const folder = joinKey(output.key, job.jobId);
    const inputPrefix = parseS3Uri(job.request.inputUri).key;
    let timedOut = false;
    for (const object of objects) {
      const answered: OutputRecord[] = [];
      for (const line of recordLines(await this.#s3.read(object))) {
        if (stop.aborted) break;
        if (Date.now() >= job.expirationTime.getTime()) {
          timedOut = true;
          break;
        }
        const result = await answerRecord(this.planner, job.request.modelId, job.request.modelInvocationType, line);
        answered.push(result.record);
        job.processedRecordCount += 1;
        if (result.record.error) job.errorRecordCount += 1;
        else job.successRecordCount += 1;
        job.inputTokenCount += result.inputTokens;
        job.outputTokenCount += result.outputTokens;
        job.lastModifiedTime = new Date();
        await sleep(this.options.recordDelayMs, stop);
      }
      if (this.#closed.signal.aborted) return timedOut;
      const name = outputName(object.key, inputPrefix);
      if (answered.length > 0) await this.#s3.write({ bucket: output.bucket, key: joinKey(folder, `${name}.out`) }, answered.map((record) => `${JSON.stringify(record)}\n`).join(""));
      if (stop.aborted || timedOut) break;
    }
    await this.#s3.write({ bucket: output.bucket, key: joinKey(folder, "manifest.json.out") }, JSON.stringify(manifest(job)));
    return timedOut;
  }
}

/** The input file's path below the input prefix (its name when the input URI is the file itself). */
function outputName(key: string, inputPrefix: string): string {
  if (key === inputPrefix || !key.startsWith(inputPrefix)) return key.slice(key.lastIndexOf("/") + 1);
  return key.slice(inputPrefix.length).replace(/^\/+/, "");
}

function manifest(job: BatchJob): Record<string, number> {
  return {
    totalRecordCount: job.totalRecordCount,
    processedRecordCount: job.processedRecordCount,
    successRecordCount: job.successRecordCount,
    errorRecordCount: job.errorRecordCount,
    inputTokenCount: job.inputTokenCount,
    outputTokenCount: job.outputTokenCount,
  };
}

/** An S3 failure as the job's message: the error's name and first line, never a stack or a credential. */
function failure(error: unknown): string {
  if (!(error instanceof Error)) return "an unknown error.";
  const message = error.message.split("\n")[0]!.slice(0, 300);
  return `${error.name}${message ? `: ${message}` : ""}. Check that the input and output locations exist and the job's role can use them.`;
}
