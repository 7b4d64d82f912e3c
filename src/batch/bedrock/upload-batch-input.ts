/**
 * Writes the pending lines of the input to S3 as Bedrock batch records ({"recordId", "modelInput"}), in
 * .jsonl files of at most `maxRecordsPerFile` records and PART_FILE_BYTES bytes, one file in memory at a time.
 * A line whose request cannot be built (the provider would reject it before sending) becomes its error
 * record in the output at once, as the local runner does, and is not sent.
 */
import type { LLMConfig } from "../../config/llm-config.js";
import { errorRecord } from "../batch-record.js";
import { idKey, parseBatchLine } from "../batch-request.js";
import type { OutputWriter } from "../output-writer.js";
import { inputLines } from "../scan-input.js";
import type { BatchClients } from "./batch-clients.js";
import { BedrockBatchError } from "./bedrock-batch-errors.js";
import { PART_FILE_BYTES, type BedrockBatchLimits } from "./bedrock-batch-limits.js";
import { sendBounded } from "./bounded-request.js";
import { buildModelInput, recordIdOf } from "./build-model-input.js";
import type { S3Location } from "./s3-location.js";

export interface UploadedInput {
  records: number;
  files: number;
  /** Lines written to the output as errors instead of being sent. */
  rejected: number;
}

export interface UploadOptions {
  config: LLMConfig;
  input: string;
  done: Set<string>;
  /** Where the .jsonl files go (bucket and the key prefix of the job's input folder). */
  target: S3Location;
  limits: BedrockBatchLimits;
  clients: BatchClients;
  writer: OutputWriter;
  /** Cuts a pending upload (an AbortError). */
  signal?: AbortSignal | undefined;
}

export async function uploadBatchInput(options: UploadOptions): Promise<UploadedInput> {
  const { limits } = options;
  const fileBytes = Math.min(PART_FILE_BYTES, limits.maxFileBytes);
  const result: UploadedInput = { records: 0, files: 0, rejected: 0 };
  let part: string[] = [];
  let partBytes = 0;
  let totalBytes = 0;
  const flush = async () => {
    if (part.length === 0) return;
    result.files += 1;
    await putFile(options, `part-${String(result.files).padStart(5, "0")}.jsonl`, part.join(""));
    part = [];
    partBytes = 0;
  };
  let lineNumber = 0;
  for await (const text of inputLines(options.input)) {
    lineNumber += 1;
    if (text.trim() === "") continue;
    const parsed = parseBatchLine(text);
    if (!parsed.ok || options.done.has(idKey(parsed.request.id))) continue; // the scan already refused bad lines
    let line: string;
    try {
      const modelInput = await buildModelInput(options.config, parsed.request);
      line = `{"recordId":${JSON.stringify(recordIdOf(lineNumber))},"modelInput":${modelInput.json}}\n`;
    } catch (error) {
      await options.writer.append(errorRecord(parsed.request.id, error, 0));
      result.rejected += 1;
      continue;
    }
    const bytes = Buffer.byteLength(line);
    if (bytes > fileBytes) throw new BedrockBatchError(`The request of id ${JSON.stringify(parsed.request.id)} is ${bytes} bytes as a batch record, over the ${fileBytes}-byte file limit.`, "bedrock_batch_limit");
    if (part.length >= limits.maxRecordsPerFile || partBytes + bytes > fileBytes) await flush();
    part.push(line);
    partBytes += bytes;
    totalBytes += bytes;
    result.records += 1;
    if (result.records > limits.maxRecordsPerJob) {
      throw new BedrockBatchError(`The input has more than ${limits.maxRecordsPerJob} requests to send, the most one Bedrock batch job takes (the "Records per batch inference job" quota). Split the input, or raise maxRecordsPerJob if your account's quota is higher.`, "bedrock_batch_limit");
    }
    if (totalBytes > limits.maxJobBytes) {
      throw new BedrockBatchError(`The batch records exceed ${limits.maxJobBytes} bytes, the most one Bedrock batch job takes (the "Batch inference job size" quota). Split the input.`, "bedrock_batch_limit");
    }
  }
  await flush();
  return result;
}

async function putFile(options: UploadOptions, name: string, body: string): Promise<void> {
  const { clients, target } = options;
  const key = target.prefix === "" ? name : `${target.prefix}/${name}`;
  await sendBounded(clients, "s3", `Uploading s3://${target.bucket}/${key}`, options.signal, (abortSignal) =>
    clients.s3.send(new clients.s3Sdk.PutObjectCommand({ Bucket: target.bucket, Key: key, Body: body, ContentType: "application/jsonl" }), { abortSignal }),
  );
}
