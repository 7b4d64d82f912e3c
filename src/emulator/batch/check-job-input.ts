/** What CreateModelInvocationJob checks in the input before accepting a job: files, sizes and record counts. */
import { WireError } from "../send-error.js";
import type { ResolvedBatchJobOptions } from "./batch-job-options.js";
import type { InputObject, JobS3 } from "./job-s3.js";

export interface CheckedInput {
  objects: InputObject[];
  records: number;
}

export async function checkJobInput(s3: JobS3, uri: string, limits: ResolvedBatchJobOptions): Promise<CheckedInput> {
  let objects: InputObject[];
  try {
    objects = await s3.inputObjects(uri);
  } catch (error) {
    if (error instanceof WireError) throw error;
    throw invalid(`The input location ${uri} could not be read (${(error as Error).name}). Check the bucket name and that the job's role can read it.`);
  }
  if (objects.length === 0) throw invalid(`No .jsonl input files were found at ${uri}.`);
  let records = 0;
  let bytes = 0;
  for (const object of objects) {
    if (object.size > limits.maxFileBytes) throw invalid(`The input file s3://${object.bucket}/${object.key} is ${object.size} bytes, over the limit of ${limits.maxFileBytes} bytes per file.`);
    bytes += object.size;
    const count = countRecords(await s3.read(object));
    if (count > limits.maxRecordsPerFile) throw invalid(`The input file s3://${object.bucket}/${object.key} has ${count} records, over the limit of ${limits.maxRecordsPerFile} records per file.`);
    records += count;
  }
  if (bytes > limits.maxJobBytes) throw invalid(`The job's input files total ${bytes} bytes, over the limit of ${limits.maxJobBytes} bytes per job.`);
  if (records > limits.maxRecordsPerJob) throw invalid(`The job's input has ${records} records, over the limit of ${limits.maxRecordsPerJob} records per job.`);
  if (records < limits.minRecords) throw invalid(`The job's input has ${records} records, fewer than the minimum of ${limits.minRecords} records per batch inference job.`);
  return { objects, records };
}

export function recordLines(text: string): string[] {
  return text.split("\n").filter((line) => line.trim() !== "");
}

function countRecords(text: string): number {
  return recordLines(text).length;
}

function invalid(message: string): WireError {
  return new WireError("ValidationException", 400, message);
}
