/**
 * The emulator's batch jobs: created (after checking the request and its S3 input), listed, described and
 * stopped, and run in the background: Submitted, then InProgress while every record is answered by the
 * emulator's model, then Completed (or Stopped) once the .jsonl.out files and manifest.json.out are written.
 */
import { randomBytes } from "node:crypto";
import { sleep } from "../abortable-wait.js";
import type { PlanRequest } from "../answer-plan.js";
import { WireError } from "../send-error.js";
import { answerRecord, type OutputRecord } from "./answer-record.js";
import { describeJob, isFinished, setStatus, type BatchJob, type JobStatus } from "./batch-job.js";
import type { ResolvedBatchJobOptions } from "./batch-job-options.js";
import { checkJobInput, recordLines } from "./check-job-input.js";
import { JobS3, joinKey, parseS3Uri, type InputObject } from "./job-s3.js";
import type { CreateJobRequest } from "./validate-create-job.js";

const MAX_LIST_RESULTS = 1000;

export class BatchJobStore {
  readonly #jobs = new Map<string, BatchJob>();
  readonly #s3: JobS3;
  readonly #closed = new AbortController();
  /** Per running job: aborted by stop() and by close(), so a job waiting out a status delay stops at once. */
  readonly #wakes = new Map<string, AbortController>();

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
    const same = request.clientRequestToken ? this.jobs.find((job) => job.request.clientRequestToken === request.clientRequestToken) : undefined;
    if (same) {
      if (same.request.jobName !== request.jobName) throw new WireError("ConflictException", 400, "The clientRequestToken was already used for a job with another name.");
      return { jobArn: same.jobArn };
    }
    if (this.jobs.some((job) => job.request.jobName === request.jobName)) {
      throw new WireError("ConflictException", 400, `A batch inference job named ${request.jobName} already exists. Choose another jobName.`);
    }
    const input = await checkJobInput(this.#s3, request.inputUri, this.options);
    const jobId = randomBytes(6).toString("hex");
    const now = new Date();
    const job: BatchJob = {
      jobArn: `arn:aws:bedrock:${this.options.region}:${this.options.accountId}:model-invocation-job/${jobId}`,
      jobId,
      request,
      status: "Submitted",
      submitTime: now,
      lastModifiedTime: now,
      totalRecordCount: input.records,
      processedRecordCount: 0,
      successRecordCount: 0,
      errorRecordCount: 0,
      inputTokenCount: 0,
      outputTokenCount: 0,
    };
    this.#jobs.set(jobId, job);
    void this.#run(job, input.objects).catch((error: unknown) => {
      if (!isFinished(job.status)) setStatus(job, "Failed", `The job failed: ${(error as Error).name}.`);
    });
    return { jobArn: job.jobArn };
  }

  get(identifier: string): BatchJob {
    const id = identifier.slice(identifier.lastIndexOf("/") + 1);
    const job = /^[a-z0-9]{12}$/.test(id) ? this.#jobs.get(id) : undefined;
    if (!job || (identifier.includes(":") && identifier !== job.jobArn)) {
      throw new WireError("ResourceNotFoundException", 404, `The batch inference job ${identifier.slice(0, 1011)} was not found.`);
    }
    return job;
  }

  list(query: URLSearchParams): { invocationJobSummaries: Record<string, unknown>[]; nextToken?: string } {
    const status = query.get("statusEquals");
    const name = query.get("nameContains");
    const after = query.get("submitTimeAfter");
    const before = query.get("submitTimeBefore");
    const maxResults = Number(query.get("maxResults") ?? MAX_LIST_RESULTS);
    if (!Number.isInteger(maxResults) || maxResults < 1 || maxResults > MAX_LIST_RESULTS) {
      throw new WireError("ValidationException", 400, `1 validation error detected: Value '${query.get("maxResults")}' at 'maxResults' failed to satisfy constraint: Member must have value between 1 and 1000`);
    }
    let jobs = this.jobs.filter(
      (job) =>
        (!status || job.status === status) &&
        (!name || job.request.jobName.includes(name)) &&
        (!after || job.submitTime > new Date(after)) &&
        (!before || job.submitTime < new Date(before)),
    );
    if (query.get("sortOrder") !== "Ascending") jobs = jobs.reverse();
    const start = Number(query.get("nextToken") ?? 0) || 0;
    const page = jobs.slice(start, start + maxResults);
    const next = start + maxResults < jobs.length ? String(start + maxResults) : undefined;
    return { invocationJobSummaries: page.map(describeJob), ...(next ? { nextToken: next } : {}) };
  }

  stop(identifier: string): void {
    const job = this.get(identifier);
    if (isFinished(job.status) || job.status === "Stopping") {
      throw new WireError("ValidationException", 400, `The batch inference job ${job.jobArn} is ${job.status} and cannot be stopped.`);
    }
    setStatus(job, "Stopping");
    this.#wakes.get(job.jobId)?.abort();
  }

  close(): void {
    this.#closed.abort();
    this.#s3.close();
  }

  async #run(job: BatchJob, objects: InputObject[]): Promise<void> {
    const wake = new AbortController();
    const onClose = () => wake.abort();
    if (this.#closed.signal.aborted) wake.abort();
    else this.#closed.signal.addEventListener("abort", onClose, { once: true });
    this.#wakes.set(job.jobId, wake);
    try {
      await this.#answer(job, objects, wake.signal);
    } finally {
      this.#wakes.delete(job.jobId);
      this.#closed.signal.removeEventListener("abort", onClose);
    }
  }

  async #answer(job: BatchJob, objects: InputObject[], wake: AbortSignal): Promise<void> {
    const signal = this.#closed.signal;
    const statusDelay = async (): Promise<boolean> => {
      await sleep(this.options.statusDelayMs, wake);
      return !signal.aborted;
    };
    if (!(await statusDelay())) return;
    if (this.#stopped(job)) return this.#finish(job, "Stopped");
    setStatus(job, "InProgress");
    const output = parseS3Uri(job.request.outputUri);
    const folder = joinKey(output.key, job.jobId);
    const inputPrefix = parseS3Uri(job.request.inputUri).key;
    for (const object of objects) {
      const answered: OutputRecord[] = [];
      for (const line of recordLines(await this.#s3.read(object))) {
        if (this.#stopped(job) || signal.aborted) break;
        const result = await answerRecord(this.planner, job.request.modelId, job.request.modelInvocationType, line);
        answered.push(result.record);
        job.processedRecordCount += 1;
        if (result.record.error) job.errorRecordCount += 1;
        else job.successRecordCount += 1;
        job.inputTokenCount += result.inputTokens;
        job.outputTokenCount += result.outputTokens;
        job.lastModifiedTime = new Date();
        if (this.options.recordDelayMs > 0 && !(await sleep(this.options.recordDelayMs, signal))) return;
      }
      const name = outputName(object.key, inputPrefix);
      await this.#s3.write({ bucket: output.bucket, key: joinKey(folder, `${name}.out`) }, answered.map((record) => `${JSON.stringify(record)}\n`).join(""));
    }
    await this.#s3.write({ bucket: output.bucket, key: joinKey(folder, "manifest.json.out") }, JSON.stringify(manifest(job)));
    if (!(await statusDelay())) return;
    this.#finish(job, this.#stopped(job) ? "Stopped" : "Completed");
  }

  #stopped(job: BatchJob): boolean {
    return job.status === "Stopping";
  }

  #finish(job: BatchJob, status: JobStatus): void {
    setStatus(job, status);
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
