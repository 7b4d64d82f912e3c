/**
 * The local batch runner: sends every request of a JSONL input that is not yet in the JSONL output and
 * appends one record per request. Resumable (ids already in the output are skipped; a torn last line is
 * cut away), constant memory apart from the set of ids (both files are streamed, a bounded number of
 * requests is open), and adaptive (throttling halves the concurrency, successes grow it back).
 */
import type { LLMConfig, LLMConfigInput } from "../config/llm-config.js";
import type { LlmProvider } from "../providers/llm-provider.js";
import { createLlmProvider } from "../providers/registry.js";
import { completeStructured } from "../providers/structured/complete-structured.js";
import type { ChatCompletion } from "../schema/chat-completion.js";
import { InvalidRequestError } from "../schema/errors.js";
import { AdaptiveWindow } from "./adaptive-window.js";
import { BatchInputError } from "./batch-errors.js";
import { createProgressReporter, type BatchProgress, type ProgressReporter } from "./batch-progress.js";
import { errorRecord, successRecord, type BatchRecord } from "./batch-record.js";
import { idKey, parseBatchLine, type BatchRequest } from "./batch-request.js";
import { OutputWriter } from "./output-writer.js";
import { readDoneIds } from "./read-done-ids.js";
import { RequestSlots } from "./request-slots.js";
import { retryDelay, isThrottle, sleep } from "./retry-delay.js";
import { inputLines, scanInput, type InputScan } from "./scan-input.js";

export interface RunBatchOptions {
  /** Path of the JSONL input: one `{"id", "messages", ...call options}` per line. */
  input: string;
  /** Path of the JSONL output; appended to, and read first to skip the ids it already holds. */
  output: string;
  /** The provider to call; or give `model` and the runner creates (and closes) one. */
  provider?: LlmProvider;
  model?: LLMConfig | LLMConfigInput;
  /** Most requests in flight (default 16); throttling lowers it for a while. */
  concurrency?: number;
  /** Times a request that failed with a retryable error is sent again by the runner (default 3). */
  retries?: number;
  /** Base delay before such a resend, doubled each time (default 1000 ms). */
  retryDelayMs?: number;
  /** Stops sending; requests in flight are abandoned (and run again next time). */
  signal?: AbortSignal;
  /** Receives progress after each record; default: a progress line or log lines on stderr. */
  onProgress?: (progress: BatchProgress) => void;
  /** Where the default progress and summary go (default process.stderr); null for silence. */
  progressStream?: (NodeJS.WritableStream & { isTTY?: boolean }) | null;
  /** Interval of the log lines when progressStream is not a TTY (default 10 s). */
  progressIntervalMs?: number;
}

export interface BatchSummary extends BatchProgress {
  /** True when the run stopped early (signal); running it again finishes the rest. */
  interrupted: boolean;
  /** Bytes of a torn last output line (from a killed run) that were cut away. */
  tornBytes: number;
}

export const DEFAULT_CONCURRENCY = 16;
const MAX_CONCURRENCY = 10_000;

export async function runBatch(options: RunBatchOptions): Promise<BatchSummary> {
  const settings = checkOptions(options);
  const done = await readDoneIds(options.output, { repair: true });
  const scan = await scanInput(options.input, done.ids);
  if (scan.problemCount > 0) throw new BatchInputError(options.input, scan.problems, scan.problemCount);
  const provider = options.provider ?? createLlmProvider(options.model!);
  const writer = await OutputWriter.open(options.output);
  try {
    const run = new BatchRun(options, settings, provider, writer, scan);
    const progress = await run.execute(done.ids);
    return { ...progress, interrupted: options.signal?.aborted ?? false, tornBytes: done.tornBytes };
  } finally {
    await writer.close();
    if (!options.provider) await provider.close();
  }
}

interface Settings {
  concurrency: number;
  retries: number;
  retryDelayMs: number;
}

function checkOptions(options: RunBatchOptions): Settings {
  if (!options.provider && !options.model) throw new InvalidRequestError("runBatch needs a `provider` or a `model` (an LLMConfig or its fields).");
  const concurrency = options.concurrency ?? DEFAULT_CONCURRENCY;
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > MAX_CONCURRENCY) {
    throw new InvalidRequestError(`concurrency must be a whole number from 1 to ${MAX_CONCURRENCY}, got ${concurrency}.`);
  }
  const retries = options.retries ?? 3;
  if (!Number.isInteger(retries) || retries < 0) throw new InvalidRequestError(`retries must be a whole number >= 0, got ${retries}.`);
  const retryDelayMs = options.retryDelayMs ?? 1000;
  if (!Number.isFinite(retryDelayMs) || retryDelayMs < 0) throw new InvalidRequestError(`retryDelayMs must be >= 0, got ${retryDelayMs}.`);
  if (options.input === options.output) throw new InvalidRequestError("The output must be another file than the input.");
  return { concurrency, retries, retryDelayMs };
}

class BatchRun {
  readonly #window: AdaptiveWindow;
  readonly #slots: RequestSlots;
  readonly #progress: BatchProgress;
  readonly #reporter: ProgressReporter | undefined;
  readonly #started = Date.now();
  #failure: unknown;

  constructor(
    private readonly options: RunBatchOptions,
    private readonly settings: Settings,
    private readonly provider: LlmProvider,
    private readonly writer: OutputWriter,
    scan: InputScan,
  ) {
    this.#window = new AdaptiveWindow(settings.concurrency);
    this.#slots = new RequestSlots(this.#window, settings.concurrency * 2);
    this.#progress = {
      total: scan.total,
      skipped: scan.total - scan.pending,
      succeeded: 0,
      failed: 0,
      inputTokens: 0,
      outputTokens: 0,
      cost: 0,
      inFlight: 0,
      concurrency: settings.concurrency,
      elapsedMs: 0,
    };
    const stream = options.progressStream === undefined ? process.stderr : options.progressStream;
    this.#reporter = stream ? createProgressReporter(stream, options.progressIntervalMs) : undefined;
  }

  async execute(done: Set<string>): Promise<BatchProgress> {
    const signal = this.options.signal;
    for await (const text of inputLines(this.options.input)) {
      if (signal?.aborted || this.#failure) break;
      let request: BatchRequest | undefined;
      try {
        request = this.#parse(text);
      } catch (error) {
        this.#failure ??= error; // requests in flight still finish and are written before it is thrown
        break;
      }
      if (!request || done.has(idKey(request.id))) continue;
      await this.#slots.openRequest();
      if (signal?.aborted || this.#failure) {
        this.#slots.release(true);
        break;
      }
      void this.#send(request);
    }
    await this.#slots.drained();
    if (this.#failure) throw this.#failure;
    const final = this.#snapshot();
    this.#reporter?.finish(final, signal?.aborted ?? false);
    return final;
  }

  #parse(text: string): BatchRequest | undefined {
    if (text.trim() === "") return undefined;
    const parsed = parseBatchLine(text);
    if (parsed.ok) return parsed.request;
    throw new BatchInputError(this.options.input, [{ line: 0, message: `${parsed.message} (the file changed while the batch ran)` }], 1);
  }

  /** Sends one request until it succeeds, fails for good, or the run is interrupted. */
  async #send(request: BatchRequest): Promise<void> {
    let sending = true;
    try {
      const record = await this.#attempts(request, () => {
        this.#slots.release(false);
        sending = false;
      }, async () => {
        await this.#slots.resend();
        sending = true;
      });
      if (record) await this.#record(record);
    } catch (error) {
      this.#failure ??= error;
    } finally {
      if (sending) this.#slots.release(true);
      else this.#slots.closeWaiting();
    }
  }

  /** The request's record, or undefined when the run was interrupted before it finished. */
  async #attempts(request: BatchRequest, pause: () => void, resume: () => Promise<void>): Promise<BatchRecord | undefined> {
    const signal = this.options.signal;
    for (let attempts = 1; ; attempts++) {
      const ticket = this.#window.start();
      try {
        const { completion, object } = await this.#call(request, signal);
        this.#window.onSuccess();
        return successRecord(request.id, this.provider.model, completion, attempts, object);
      } catch (error) {
        if (signal?.aborted) return undefined;
        if (!isRetryable(error) || attempts > this.settings.retries) return errorRecord(request.id, error, attempts);
        if (isThrottle(error)) this.#window.onThrottle(ticket);
      }
      pause();
      await sleep(retryDelay(this.settings.retryDelayMs, attempts), signal);
      if (signal?.aborted) return undefined;
      await resume();
    }
  }

  /** One attempt: a plain call, or a structured one when the line gives a schema. */
  async #call(request: BatchRequest, signal: AbortSignal | undefined): Promise<{ completion: ChatCompletion; object?: unknown }> {
    const options = { ...request.options, signal };
    if (request.schema) return completeStructured(this.provider, request.messages, { ...options, schema: request.schema });
    return { completion: await this.provider.generateStreamResponse(request.messages, options) };
  }

  async #record(record: BatchRecord): Promise<void> {
    await this.writer.append(record);
    const progress = this.#progress;
    if (record.error) progress.failed += 1;
    else progress.succeeded += 1;
    progress.inputTokens += record.usage?.prompt_tokens ?? 0;
    progress.outputTokens += record.usage?.completion_tokens ?? 0;
    progress.cost += record.cost ?? 0;
    this.#slots.wake();
    const snapshot = this.#snapshot();
    this.options.onProgress?.(snapshot);
    this.#reporter?.update(snapshot);
  }

  #snapshot(): BatchProgress {
    return { ...this.#progress, inFlight: this.#slots.inFlight, concurrency: this.#window.limit, elapsedMs: Date.now() - this.#started };
  }
}

function isRetryable(error: unknown): boolean {
  return (error as { retryable?: unknown } | null)?.retryable === true;
}
