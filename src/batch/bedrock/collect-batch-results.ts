/**
 * Reads a finished job's .jsonl.out files (streamed) and manifest.json.out from S3 and appends one record per
 * input line to the output, in the local runner's shape, priced at batch rates. Records already in the output
 * (a collection interrupted earlier) are skipped, so the output holds each id once. The files are untrusted:
 * a line over the byte cap fails its record unread, a line naming no record of the input is ignored and
 * counted, and a second line for a record is ignored and counted (the first one counts).
 */
import type { LLMConfig } from "../../config/llm-config.js";
import { StreamAccumulator } from "../../providers/bedrock/output/stream-accumulator.js";
import type { ChatCompletion } from "../../schema/chat-completion.js";
import { StructuredOutputError } from "../../schema/structured-output-error.js";
import { checkAnswer } from "../../providers/structured/check-answer.js";
import { prepareStructured } from "../../providers/structured/generate-object.js";
import type { ObjectSchema } from "../../providers/structured/object-schema.js";
import { rawAnswerText } from "../../providers/structured/structured-request.js";
import { errorRecord, successRecord, usageCost, type BatchRecord } from "../batch-record.js";
import { idKey, parseBatchLine, type BatchId } from "../batch-request.js";
import type { OutputWriter } from "../output-writer.js";
import { BATCH_PRICE_FACTOR } from "../plan-batch.js";
import { inputLines } from "../scan-input.js";
import type { BatchClients } from "./batch-clients.js";
import { BedrockBatchError } from "./bedrock-batch-errors.js";
import { BoundedRequest, sendBounded } from "./bounded-request.js";
import { buildModelInput, recordIdOf, type ModelInvocationType } from "./build-model-input.js";
import { modelOutputParts } from "./decode-model-output.js";
import { readCappedLines } from "./read-capped-lines.js";
import { internSchema } from "./intern-schema.js";
import type { S3Location } from "./s3-location.js";
import { MAX_MANIFEST_BYTES, parseManifest, type BatchManifest } from "./batch-manifest.js";

export interface CollectedResults {
  succeeded: number;
  failed: number;
  /** Output lines that name no record of this input (or are not JSON objects): ignored. */
  unknownLines: number;
  /** Output lines for a record already collected in this pass: ignored, the first one counts. */
  duplicateLines: number;
  inputTokens: number;
  outputTokens: number;
  cost: number;
  manifest: BatchManifest | undefined;
}

interface Pending {
  id: BatchId;
  clientStops: string[];
  serverStops: string[];
  /** The line's schema (interned: compiled once), which the answer is validated against. */
  schema?: Record<string, unknown>;
}

interface OutputLine {
  recordId?: unknown;
  modelOutput?: unknown;
  error?: { errorCode?: unknown; errorMessage?: unknown };
}

export interface CollectOptions {
  config: LLMConfig;
  /** The job's type: which decoder reads its modelOutput. */
  invocationType: ModelInvocationType;
  input: string;
  done: Set<string>;
  /** The job's output folder: the output URI's prefix plus the job id. */
  folder: S3Location;
  clients: BatchClients;
  writer: OutputWriter;
  /** The longest .jsonl.out line read (default MAX_OUTPUT_LINE_BYTES); a longer one fails its record. */
  maxLineBytes?: number;
  onRecord?: (record: BatchRecord) => void;
  /** Cuts a pending S3 request (an AbortError); a rerun skips what was written. */
  signal?: AbortSignal | undefined;
}

/**
 * A record's output line holds its modelInput (at most Bedrock's 25,000,000-byte request body) and the
 * model's answer; a line far past that is not Bedrock's, and is not read into memory.
 */
export const MAX_OUTPUT_LINE_BYTES = 32 * 1024 ** 2;

interface PendingRecords {
  /** recordId -> the input line of every record not yet in the output. */
  byRecordId: Map<string, Pending>;
  /** Lines in the input: a recordId past it names no line of this input. */
  inputLineCount: number;
}

export async function collectBatchResults(options: CollectOptions): Promise<CollectedResults> {
  const pending = await pendingRecords(options);
  const collected = new Set<string>();
  const results: CollectedResults = { succeeded: 0, failed: 0, unknownLines: 0, duplicateLines: 0, inputTokens: 0, outputTokens: 0, cost: 0, manifest: undefined };
  const maxLineBytes = options.maxLineBytes ?? MAX_OUTPUT_LINE_BYTES;
  for (const key of await listOutputKeys(options)) {
    if (key.endsWith("/manifest.json.out")) {
      const text = await readCapped(options, key, MAX_MANIFEST_BYTES);
      results.manifest = text === undefined ? undefined : parseManifest(text);
      continue;
    }
    if (!key.endsWith(".jsonl.out")) continue;
    for await (const read of readCappedLines(objectBytes(options, key), maxLineBytes)) {
      if (read.kind === "line" && read.text.trim() === "") continue;
      const line = read.kind === "line" ? parseLine(read.text, options.folder.bucket, key) : { recordId: RECORD_ID_AT_START.exec(read.head)?.[1] };
      const recordId = typeof line?.recordId === "string" ? line.recordId : undefined;
      const entry = recordId === undefined ? undefined : pending.byRecordId.get(recordId);
      if (!entry) {
        if (recordId !== undefined && collected.has(recordId)) results.duplicateLines += 1;
        else if (recordId === undefined || !isInputRecordId(recordId, pending.inputLineCount)) results.unknownLines += 1;
        continue; // else a record written by an earlier, interrupted collection
      }
      const record =
        read.kind === "oversized"
          ? failedRecord(entry, `Bedrock's output line for this record is ${read.bytes} bytes, over the ${maxLineBytes}-byte cap per line (maxOutputLineBytes); it was not read.`)
          : await toRecord(options.config.model, options.invocationType, entry, line!);
      await options.writer.append(record);
      options.done.add(idKey(entry.id));
      pending.byRecordId.delete(recordId!);
      collected.add(recordId!);
      tally(results, record);
      options.onRecord?.(record);
    }
  }
  return results;
}

/** Bedrock writes recordId first; an oversized line's head is searched for it. */
const RECORD_ID_AT_START = /^\s*\{\s*"recordId"\s*:\s*"([A-Za-z0-9]{1,64})"/;

/** True for a recordId this batch gives one of its input lines (R and the line number). */
function isInputRecordId(recordId: string, inputLineCount: number): boolean {
  const match = /^R(\d{10})$/.exec(recordId);
  return match !== null && Number(match[1]) >= 1 && Number(match[1]) <= inputLineCount;
}

async function pendingRecords(options: CollectOptions): Promise<PendingRecords> {
  const byRecordId = new Map<string, Pending>();
  let lineNumber = 0;
  for await (const text of inputLines(options.input)) {
    lineNumber += 1;
    if (text.trim() === "") continue;
    const parsed = parseBatchLine(text);
    if (!parsed.ok || options.done.has(idKey(parsed.request.id))) continue;
    const stops = await buildModelInput(options.config, parsed.request).then(
      (input) => ({ clientStops: input.clientStops, serverStops: input.serverStops }),
      () => ({ clientStops: [], serverStops: [] }),
    );
    const { schema } = parsed.request;
    byRecordId.set(recordIdOf(lineNumber), { id: parsed.request.id, ...stops, ...(schema !== undefined ? { schema: internSchema(schema) } : {}) });
  }
  return { byRecordId, inputLineCount: lineNumber };
}

function failedRecord(entry: Pending, message: string, status?: number): BatchRecord {
  return {
    id: entry.id,
    attempts: 1,
    error: {
      name: "BedrockBatchRecordError",
      code: "bedrock_batch_record_failed",
      ...(status !== undefined && Number.isInteger(status) ? { status } : {}),
      retryable: false,
      message: message.slice(0, 2000),
    },
  };
}

async function toRecord(model: string, type: ModelInvocationType, entry: Pending, line: OutputLine): Promise<BatchRecord> {
  if (line.modelOutput === undefined || line.error) {
    const message = String(line.error?.errorMessage ?? "Bedrock returned no output for this record.");
    return failedRecord(entry, message, Number(line.error?.errorCode));
  }
  let parts;
  try {
    parts = modelOutputParts(type, line.modelOutput, entry.serverStops);
  } catch (error) {
    // One malformed output line fails its own record, never the whole collection.
    return failedRecord(entry, `Bedrock's output for this record is malformed: ${(error as Error).message}`);
  }
  const accumulator = new StreamAccumulator(model, entry.clientStops);
  for (const part of parts) accumulator.push(part);
  const completion = accumulator.completion();
  let object: unknown;
  if (entry.schema !== undefined) {
    const checked = await checkStructured(model, entry.schema, completion);
    if (!checked.ok) return errorRecord(entry.id, checked.error, 1);
    object = checked.object;
  }
  const record = successRecord(entry.id, model, completion, 1, object);
  record.cost = usageCost(model, record.usage!) * BATCH_PRICE_FACTOR;
  return record;
}

/** The answer of a line with a schema, read and validated as generateObject does (no repair: a batch answer is final). */
async function checkStructured(model: string, schema: Record<string, unknown>, completion: ChatCompletion): Promise<{ ok: true; object: unknown } | { ok: false; error: StructuredOutputError }> {
  const prepared = await prepareStructured(model, [], { schema: schema as ObjectSchema });
  const text = rawAnswerText(prepared.plan, completion);
  const checked = checkAnswer(prepared.schema, text);
  if (checked.success) return { ok: true, object: checked.value };
  return { ok: false, error: new StructuredOutputError({ text, issues: checked.issues, attempts: 1, finishReason: completion.choices[0]?.finish_reason }) };
}

function tally(results: CollectedResults, record: BatchRecord): void {
  if (record.error) results.failed += 1;
  else results.succeeded += 1;
  results.inputTokens += record.usage?.prompt_tokens ?? 0;
  results.outputTokens += record.usage?.completion_tokens ?? 0;
  results.cost += record.cost ?? 0;
}

async function listOutputKeys(options: CollectOptions): Promise<string[]> {
  const { clients, folder } = options;
  const keys: string[] = [];
  let token: string | undefined;
  do {
    const ContinuationToken = token;
    const page = await sendBounded(clients, "s3", `Listing the job's results at s3://${folder.bucket}/${folder.prefix}/`, options.signal, (abortSignal) =>
      clients.s3.send(new clients.s3Sdk.ListObjectsV2Command({ Bucket: folder.bucket, Prefix: `${folder.prefix}/`, ContinuationToken }), { abortSignal }),
    );
    for (const item of page.Contents ?? []) if (item.Key) keys.push(item.Key);
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  return keys.sort();
}

/**
 * An object's bytes as they arrive, within one bounded request: its total timeout covers the body (read while
 * the records are written). A caller that stops early (return) destroys the body and its connection.
 */
async function* objectBytes(options: CollectOptions, key: string): AsyncGenerator<Uint8Array> {
  const { clients, folder } = options;
  const request = new BoundedRequest(clients, "s3", `Reading s3://${folder.bucket}/${key}`, options.signal);
  try {
    const object = await clients.s3.send(new clients.s3Sdk.GetObjectCommand({ Bucket: folder.bucket, Key: key }), { abortSignal: request.signal });
    for await (const chunk of object.Body as AsyncIterable<Uint8Array>) yield chunk;
  } catch (error) {
    throw request.failure(error);
  } finally {
    request.end();
  }
}

/** The object's text, or undefined when it is over `maxBytes` (the rest is never downloaded). */
async function readCapped(options: CollectOptions, key: string, maxBytes: number): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let bytes = 0;
  for await (const chunk of objectBytes(options, key)) {
    bytes += chunk.byteLength;
    if (bytes > maxBytes) return undefined;
    chunks.push(Buffer.from(chunk));
  }
  return Buffer.concat(chunks).toString("utf8");
}

/** A line's JSON object, or undefined for JSON that is not an object (a line naming no record). */
function parseLine(text: string, bucket: string, key: string): OutputLine | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new BedrockBatchError(`s3://${bucket}/${key} holds a line that is not JSON; it was not written by Bedrock. The job's state file is kept: fix or remove the object and run again.`, "bedrock_batch_output_invalid");
  }
  return value !== null && typeof value === "object" && !Array.isArray(value) ? (value as OutputLine) : undefined;
}
