/**
 * A provider over a fallback chain: each call goes to the first model, and moves to the next one when it fails
 * with an error worth trying elsewhere (should-fall-back.ts) before any output reached the caller. Once a
 * stream has yielded, its errors surface as from a single model. The chain shares the call's `timeout` (the
 * later models get what is left of it) and its `signal`; when every model fails, the last model's error is
 * thrown. Which model answered is in the `route` event of a stream and the ChatCompletion's `route`; each
 * model keeps its own cost (or all share one cost manager), summed by getCost() and split by getCostByModel().
 */
import { inspect } from "node:util";
import { warnOnce } from "../../config/warn-once.js";
import type { ChatCompletion, RouteInfo } from "../../schema/chat-completion.js";
import { BedrockServiceError, ConfigError } from "../../schema/errors.js";
import type { MessageInput } from "../../schema/message.js";
import { CostManager } from "../cost-manager.js";
import type { CostSnapshot, GenerateOptions, LlmProvider, StreamEvent } from "../llm-provider.js";
import type { InferObject, ObjectSchema } from "../structured/object-schema.js";
import type { ObjectStreamPart } from "../structured/stream-object.js";
import type { GenerateObjectOptions } from "../structured/structured-request.js";
import type { TokenCount } from "../bedrock/tokens/count-tokens-support.js";
import { shouldFallBack } from "./should-fall-back.js";

type CountingProvider = LlmProvider & { countTokens(messages: MessageInput[], options?: GenerateOptions): Promise<TokenCount> };

export interface FallbackEntry {
  /** The model's name in the config. */
  name: string;
  provider: LlmProvider;
}

/** One move along the chain: the model that failed, the one tried next, and the (typed) error. */
export interface FallbackEvent {
  from: { name: string; model: string };
  to: { name: string; model: string };
  error: unknown;
}

export interface FallbackProviderOptions {
  /** Called each time a call moves on to the next model (also for generate, whose answer is a plain string). */
  onFallback?: (event: FallbackEvent) => void;
  /**
   * The cost manager the chain's providers share, when they were built with one: getCost() and
   * getCostByModel() then read it once instead of adding up each provider's (which would count it again).
   */
  costManager?: CostManager;
}

type Skipped = RouteInfo["skipped"];
/** The options every call shares with the chain. */
type CallLimits = { signal?: AbortSignal | undefined; timeout?: number | undefined };
const MAX_ERROR_CHARS = 300;

export class FallbackProvider implements LlmProvider {
  readonly #entries: readonly FallbackEntry[];
  readonly #onFallback: FallbackProviderOptions["onFallback"];
  readonly #costManager: CostManager | undefined;

  constructor(entries: FallbackEntry[], options: FallbackProviderOptions = {}) {
    if (!Array.isArray(entries) || entries.length === 0) throw new ConfigError("A FallbackProvider needs at least one model: [{ name, provider }, ...].");
    if (options.onFallback !== undefined && typeof options.onFallback !== "function") throw new ConfigError(`onFallback must be a function, got ${typeof options.onFallback}.`);
    const bad = entries.findIndex((entry) => typeof entry?.name !== "string" || typeof entry.provider?.streamEvents !== "function");
    if (bad !== -1) throw new ConfigError(`FallbackProvider entry ${bad} must be { name: string, provider: LlmProvider }.`);
    this.#entries = Object.freeze([...entries]);
    if (options.costManager !== undefined && !(options.costManager instanceof CostManager)) throw new ConfigError("costManager must be a CostManager shared by the chain's providers.");
    this.#onFallback = options.onFallback;
    this.#costManager = options.costManager;
  }

  /** The primary model's id. */
  get model(): string {
    return this.#entries[0]!.provider.model;
  }

  /** The models of the chain, in the order they are tried. */
  get chain(): { name: string; model: string }[] {
    return this.#entries.map(({ name, provider }) => ({ name, model: provider.model }));
  }

  generate(messages: MessageInput[], options: GenerateOptions = {}): Promise<string> {
    return this.#firstAnswer(options, (provider, attempt) => provider.generate(messages, attempt));
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

  /** The answering model's events, led by a `route` event; its `finish` completion carries the same route. */
  streamEvents(messages: MessageInput[], options: GenerateOptions = {}): AsyncGenerator<StreamEvent, void, undefined> {
    return this.#firstStream(options, (provider, attempt) => provider.streamEvents(messages, attempt), function* (event, route, first) {
      if (first) yield { type: "route", ...route };
      yield event.type === "finish" ? { type: "finish", completion: { ...event.completion, route } } : event;
    });
  }

  generateObject<S extends ObjectSchema>(messages: MessageInput[], options: GenerateObjectOptions<S>): Promise<InferObject<S>> {
    return this.#firstAnswer(options, (provider, attempt) => provider.generateObject(messages, attempt));
  }

  streamObject<S extends ObjectSchema>(messages: MessageInput[], options: GenerateObjectOptions<S>): AsyncGenerator<ObjectStreamPart<InferObject<S>>, void, undefined> {
    return this.#firstStream(options, (provider, attempt) => provider.streamObject(messages, attempt), function* (part) {
      yield part;
    });
  }

  generateSync(messages: MessageInput[], options: Omit<GenerateOptions, "signal"> = {}): string {
    const deadline = deadlineOf(options);
    const skipped: Skipped = [];
    for (const [index, entry] of this.#entries.entries()) {
      try {
        return entry.provider.generateSync(messages, attemptOptions(options, index, deadline));
      } catch (error) {
        if (!this.#mayMoveOn(error, index, options, deadline)) throw error;
        this.#moved(index, error, skipped);
      }
    }
    throw new Error("unreachable: the last model's error is thrown");
  }

  /** Totals over every model of the chain. */
  getCost(): CostSnapshot {
    const total = emptyCost();
    for (const snapshot of Object.values(this.getCostByModel())) addCost(total, snapshot);
    return total;
  }

  /** Totals per model id that answered (a model called through an inference profile counts under the profile id). */
  getCostByModel(): Record<string, CostSnapshot> {
    if (this.#costManager) return this.#costManager.byModel();
    const byModel: Record<string, CostSnapshot> = {};
    for (const { provider } of this.#entries) {
      for (const [model, snapshot] of Object.entries(costByModelOf(provider))) addCost((byModel[model] ??= emptyCost()), snapshot);
    }
    return byModel;
  }

  reset(): void {
    this.#costManager?.reset();
    for (const { provider } of this.#entries) provider.reset();
  }

  async close(): Promise<void> {
    await Promise.all(this.#entries.map(({ provider }) => provider.close()));
  }

  /** The primary model's count: the chain moves on only when a call fails, so the prompt is sized for the primary. */
  countTokens(messages: MessageInput[], options: GenerateOptions = {}): Promise<TokenCount> {
    const primary = this.#entries[0]!;
    const counting = primary.provider as Partial<CountingProvider>;
    if (typeof counting.countTokens !== "function") {
      return Promise.reject(new ConfigError(`model '${primary.name}' (the first of the chain) cannot count tokens; pick a chat model.`));
    }
    return counting.countTokens.call(primary.provider, messages, options);
  }

  /** Names and model ids only: each provider shows itself through its own toJSON, which hides its secrets. */
  toJSON(): Record<string, unknown> {
    return { provider: "fallback", model: this.model, chain: this.#entries.map(({ name, provider }) => ({ name, model: provider.model, provider: describeProvider(provider) })) };
  }

  [inspect.custom](_depth: number, options: object): string {
    return `FallbackProvider ${inspect(this.toJSON(), options)}`;
  }

  async #firstAnswer<O extends CallLimits, T>(options: O, call: (provider: LlmProvider, options: O) => Promise<T>): Promise<T> {
    const deadline = deadlineOf(options);
    const skipped: Skipped = [];
    for (const [index, entry] of this.#entries.entries()) {
      try {
        return await call(entry.provider, attemptOptions(options, index, deadline));
      } catch (error) {
        if (!this.#mayMoveOn(error, index, options, deadline)) throw error;
        this.#moved(index, error, skipped);
      }
    }
    throw new Error("unreachable: the last model's error is thrown");
  }

  async *#firstStream<O extends CallLimits, In, Out>(
    options: O,
    open: (provider: LlmProvider, options: O) => AsyncIterable<In>,
    decorate: (item: In, route: RouteInfo, first: boolean) => Iterable<Out>,
  ): AsyncGenerator<Out, void, undefined> {
    const deadline = deadlineOf(options);
    const skipped: Skipped = [];
    for (const [index, entry] of this.#entries.entries()) {
      const route: RouteInfo = { name: entry.name, model: entry.provider.model, position: index + 1, skipped: [...skipped] };
      let started = false;
      try {
        for await (const item of open(entry.provider, attemptOptions(options, index, deadline))) {
          yield* decorate(item, route, !started);
          started = true;
        }
        return;
      } catch (error) {
        if (started || !this.#mayMoveOn(error, index, options, deadline)) throw error;
        this.#moved(index, error, skipped);
      }
    }
  }

  #mayMoveOn(error: unknown, index: number, options: CallLimits, deadline: number | undefined): boolean {
    if (index >= this.#entries.length - 1 || options.signal?.aborted) return false;
    if (deadline !== undefined && deadline - Date.now() <= 0) return false;
    return shouldFallBack(error);
  }

  #moved(index: number, error: unknown, skipped: Skipped): void {
    const from = this.#entries[index]!;
    const to = this.#entries[index + 1]!;
    skipped.push({ name: from.name, model: from.provider.model, error: describeError(error) });
    if (!this.#onFallback) return;
    try {
      this.#onFallback({ from: { name: from.name, model: from.provider.model }, to: { name: to.name, model: to.provider.model }, error });
    } catch (thrown) {
      const reason = thrown instanceof Error ? thrown.message : String(thrown);
      warnOnce("fallback-hook", `The onFallback hook threw (${reason}); the call went on without it.`, "MINION_HOOK_FAILED");
    }
  }
}

/** When the caller gave a total timeout, the chain shares it: the moment it runs out. */
function deadlineOf(options: CallLimits): number | undefined {
  const timeout = options.timeout;
  return typeof timeout === "number" && Number.isFinite(timeout) && timeout > 0 ? Date.now() + timeout : undefined;
}

/** The caller's options for the first model; later models get what is left of the timeout. */
function attemptOptions<T extends CallLimits>(options: T, index: number, deadline: number | undefined): T {
  if (index === 0 || deadline === undefined) return options;
  return { ...options, timeout: Math.max(1, deadline - Date.now()) };
}

function describeError(error: unknown): string {
  const name = error instanceof BedrockServiceError ? error.awsName : error instanceof Error ? error.name : "Error";
  const message = error instanceof Error ? error.message : String(error);
  const text = `${name}: ${message}`;
  return text.length > MAX_ERROR_CHARS ? `${text.slice(0, MAX_ERROR_CHARS - 3)}...` : text;
}

function describeProvider(provider: LlmProvider): unknown {
  const withJson = provider as { toJSON?: () => unknown };
  return typeof withJson.toJSON === "function" ? withJson.toJSON() : provider.constructor.name;
}

function costByModelOf(provider: LlmProvider): Record<string, CostSnapshot> {
  return provider.getCostByModel ? provider.getCostByModel() : { [provider.model]: provider.getCost() };
}

function emptyCost(): CostSnapshot {
  return { totalCost: 0, totalPromptCost: 0, totalCompletionCost: 0, totalPromptTokens: 0, totalCompletionTokens: 0, totalTokens: 0, totalCacheReadTokens: 0, totalCacheWriteTokens: 0 };
}

function addCost(total: CostSnapshot, add: CostSnapshot): void {
  for (const key of Object.keys(total) as (keyof CostSnapshot)[]) total[key] += add[key];
}
