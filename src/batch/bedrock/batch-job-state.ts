/**
 * The small state file beside the output (OUTPUT.bedrock-job.json) that makes a Bedrock batch resumable: it
 * is written before the job is created (with the job's name, idempotency token, timeout and tags, so a create
 * repeated after a crash sends the same request and gets the same job) and again with the job's ARN. A rerun polls that job instead of submitting
 * another; the file is removed once the job's results are in the output.
 */
import { randomBytes } from "node:crypto";
import { readFile, rename, rm, writeFile } from "node:fs/promises";
import { BedrockBatchError } from "./bedrock-batch-errors.js";
import type { ModelInvocationType } from "./build-model-input.js";
import type { JobTag } from "./job-tags.js";

export interface BatchJobState {
  version: 1;
  input: string;
  model: string;
  /** The job's type (absent in files of earlier versions: InvokeModel, the only type they wrote). */
  modelInvocationType?: ModelInvocationType;
  jobName: string;
  clientRequestToken: string;
  inputUri: string;
  outputUri: string;
  /** Records sent in the job. */
  records: number;
  /** What CreateModelInvocationJob is sent, so a create repeated with the token sends the same request. */
  timeoutDurationInHours?: number;
  tags?: JobTag[];
  jobArn?: string;
}

export function statePathOf(output: string): string {
  return `${output}.bedrock-job.json`;
}

export function newJobIdentity(): { jobName: string; clientRequestToken: string } {
  const stamp = new Date().toISOString().replace(/[-:]/g, "").replace(/\..*$/, "").replace("T", "-");
  const random = randomBytes(4).toString("hex");
  return { jobName: `minion-batch-${stamp}-${random}`, clientRequestToken: `minion${randomBytes(12).toString("hex")}` };
}

export async function readJobState(path: string): Promise<BatchJobState | undefined> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
  let state: Partial<BatchJobState>;
  try {
    state = JSON.parse(text) as Partial<BatchJobState>;
  } catch {
    throw new BedrockBatchError(`The batch state file ${path} is not valid JSON. If no job is running for this output, delete it and run again.`, "bedrock_batch_state_invalid");
  }
  if (state.version !== 1 || typeof state.jobName !== "string" || typeof state.clientRequestToken !== "string" || typeof state.inputUri !== "string" || typeof state.outputUri !== "string") {
    throw new BedrockBatchError(`The batch state file ${path} was not written by this version of minion. If no job is running for this output, delete it and run again.`, "bedrock_batch_state_invalid");
  }
  return state as BatchJobState;
}

/** Written to a temporary file and renamed, so a crash never leaves half a state file. */
export async function writeJobState(path: string, state: BatchJobState): Promise<void> {
  const temporary = `${path}.${process.pid}.tmp`;
  await writeFile(temporary, `${JSON.stringify(state, null, 2)}\n`, { mode: 0o600 });
  await rename(temporary, path);
}

export async function removeJobState(path: string): Promise<void> {
  await rm(path, { force: true });
}
