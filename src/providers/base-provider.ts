/**
 * What every provider shares: cost tracking, and the public methods built on two primitives a provider
 * implements — `complete` (one non-streaming call) and `streamEvents` (one streamed call as typed events).
 *  - generate               -> complete(), the text of all text blocks
 *  - generateStream         -> streamEvents(), only the text events' text
 *  - generateStreamResponse -> streamEvents(), the ChatCompletion of its final `finish` event
 *  - generateSync           -> complete() on a worker thread, this thread blocked on Atomics.wait; its
 *                              telemetry (span, hooks, usage) is reported on this thread
 */
import type { ChatCompletion } from "../schema/chat-completion.js";
import type { MessageInput } from "../schema/message.js";
import { CostManager } from "./cost-manager.js";
import type { CostSnapshot, GenerateOptions, LlmProvider, StreamEvent } from "./llm-provider.js";
import { runSyncCall, type SyncCallResult, type SyncWorkerSpec, type SyncWorkerHandle } from "./sync-call.js";
import type { CallTrace } from "./telemetry/call-trace.js";
import { generateObject } from "./structured/generate-object.js";
import type { InferObject, ObjectSchema } from "./structured/object-schema.js";
import { streamObject, type ObjectStreamPart } from "./structured/stream-object.js";
import type { StructuredCaller } from "./structured/structured-caller.js";
import type { GenerateObjectOptions } from "./structured/structured-request.js";

/** Token counts of one call, as the service reported them. */
export interface CallUsage {
  /** Uncached input tokens. */
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  cacheWriteTokens: number;
  /** The part of cacheWriteTokens written with the 1-hour TTL. */
  cacheWrite1hTokens?: number;
  /** The service tier that served the call, as reported by the service (prices differ by tier). */
  serviceTier?: string;
}

/** One finished non-streaming call. */
export interface CompletionResult {
  completion: ChatCompletion;
  usage: CallUsage;
  /** The model id the call was sent with, when not the provider's `model` (an inference profile id); its usage is recorded under it. */
  model?: string | undefined;
}

export abstract class BaseProvider implements LlmProvider {
  abstract readonly model: string;
  /** The model id calls are priced by when `model` names none (an application inference profile ARN). */
  readonly priceAs?: string | undefined;
  protected readonly costManager: CostManager;
  #syncWorker: SyncWorkerHandle | undefined;

  constructor(costManager: CostManager = new CostManager()) {
    this.costManager = costManager;
  }

  /** One non-streaming call, without recording its usage (callers record it). */
  abstract completeUnrecorded(messages: MessageInput[], options: GenerateOptions): Promise<CompletionResult>;

  /** Every event of one streamed call; the provider records usage itself (also when the stream is cut). */
  abstract streamEvents(messages: MessageInput[], options?: GenerateOptions): AsyncIterable<StreamEvent>;

  /** How a worker thread rebuilds this provider for generateSync. */
  protected abstract syncWorkerSpec(): SyncWorkerSpec;

  /** The telemetry of a generateSync call, on the calling thread (the worker's provider has no hooks). */
  protected syncCallTrace(_options: Omit<GenerateOptions, "signal">): CallTrace | undefined {
    return undefined;
  }

  async generate(messages: MessageInput[], options: GenerateOptions = {}): Promise<string> {
    const result = await this.completeUnrecorded(messages, options);
    this.recordUsage(result.usage, result.model);
    return result.completion.choices[0]?.message.content ?? "";
  }

  async *generateStream(messages: MessageInput[], options: GenerateOptions = {}): AsyncGenerator<string, void, undefined> {
    for await (const event of this.streamEvents(messages, options)) {
      if (event.type === "text") yield event.text;
    }
  }

  async generateStreamResponse(messages: MessageInput[], options: GenerateOptions = {}): Promise<ChatCompletion> {
    let completion: ChatCompletion | undefined;
    for await (const event of this.streamEvents(messages, options)) {
      if (event.type === "finish") completion = event.completion;
    }
    if (!completion) throw new Error("The stream ended without a finish event.");
    return completion;
  }

  generateObject<S extends ObjectSchema>(messages: MessageInput[], options: GenerateObjectOptions<S>): Promise<InferObject<S>> {
    return generateObject(this.#structuredCaller(), messages, options);
  }

  streamObject<S extends ObjectSchema>(messages: MessageInput[], options: GenerateObjectOptions<S>): AsyncGenerator<ObjectStreamPart<InferObject<S>>, void, undefined> {
    return streamObject(this.#structuredCaller(), messages, options);
  }

  generateSync(messages: MessageInput[], options: Omit<GenerateOptions, "signal"> = {}): string {
    this.#syncWorker ??= { spec: this.syncWorkerSpec() };
    const trace = this.syncCallTrace(options);
    let result: SyncCallResult;
    try {
      ({ result } = runSyncCall(this.#syncWorker, messages, options));
    } catch (error) {
      trace?.fail(error);
      throw error;
    }
    trace?.succeed(result.outcome);
    this.recordUsage(result.usage, result.model);
    return result.text;
  }

  getCost(): CostSnapshot {
    return this.costManager.snapshot();
  }

  /** Totals per model id called: with a fallback chain or an inference-profile retry, more than one. */
  getCostByModel(): Record<string, CostSnapshot> {
    return this.costManager.byModel();
  }

  reset(): void {
    this.costManager.reset();
  }

  async close(): Promise<void> {
    const worker = this.#syncWorker?.worker;
    this.#syncWorker = undefined;
    if (worker) await worker.terminate();
  }

  #structuredCaller(): StructuredCaller {
    return {
      model: this.model,
      complete: async (messages, options) => {
        const result = await this.completeUnrecorded(messages, options);
        this.recordUsage(result.usage, result.model);
        return result.completion;
      },
      streamEvents: (messages, options) => this.streamEvents(messages, options),
    };
  }

  /** Adds one call's usage to this provider's cost, under the model id the call was sent with. */
  protected recordUsage(usage: CallUsage, model?: string): void {
    this.costManager.update({
      model: model ?? this.model,
      priceAs: this.priceAs,
      promptTokens: usage.inputTokens + usage.cacheReadTokens + usage.cacheWriteTokens,
      completionTokens: usage.outputTokens,
      cacheReadTokens: usage.cacheReadTokens,
      cacheWriteTokens: usage.cacheWriteTokens,
      ...(usage.cacheWrite1hTokens !== undefined ? { cacheWrite1hTokens: usage.cacheWrite1hTokens } : {}),
      ...(usage.serviceTier !== undefined ? { serviceTier: usage.serviceTier } : {}),
    });
  }
}
