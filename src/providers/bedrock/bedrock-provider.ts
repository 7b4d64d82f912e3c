/**
 * BedrockAsyncProvider (`api_type: bedrock_async`): Claude (and, through Converse, every model) on AWS
 * Bedrock, fully asynchronous. One transport per provider, reused by every call; one retry layer reading the
 * errors' fields; every call takes an AbortSignal and finite default timeouts; usage goes to this provider's
 * cost manager, also when a stream is cut.
 */
import { inspect } from "node:util";
import { assertResolved } from "../../config/assert-resolved.js";
import { LLM_CONFIG_FIELD_NAMES, type LLMConfigFields } from "../../config/llm-config-fields.js";
import { LLMConfig, type LLMConfigInput } from "../../config/llm-config.js";
import { BedrockServiceError, ConfigError, MinionError, NetworkError, ProviderError, providerClosedError } from "../../schema/errors.js";
import type { MessageInput } from "../../schema/message.js";
import { BaseProvider, type CompletionResult } from "../base-provider.js";
import { DroppedStreamGuard, RunningCalls, type CallContext } from "../call-context.js";
import type { CostManager } from "../cost-manager.js";
import type { GenerateOptions, StreamEvent } from "../llm-provider.js";
import { RetryPolicy, type RetryPolicyOptions, type RetryableFailure } from "../retry-policy.js";
import { syncModuleOf, type SyncModule, type SyncWorkerSpec } from "../sync-call.js";
import { anthropicInvokeProtocol } from "./anthropic/anthropic-invoke-protocol.js";
import type { AttemptOptions, BedrockProtocol, PreparedCall } from "./bedrock-protocol.js";
import { checkEndpoint, checkTransport, createBedrockClient, type BedrockClientHandle, type TransportKind } from "./create-bedrock-client.js";
import { inferenceProfileRetryId, noticeInferenceProfile } from "./errors/inference-profile-retry.js";
import { mapBedrockError } from "./errors/map-bedrock-error.js";
import type { ModelStreamPart } from "./output/model-stream-part.js";
import { assertBedrockRegion } from "./auth/bedrock-regions.js";
import { authSecrets, resolveAuth, secretsOf, type BedrockAuth } from "./auth/resolve-auth.js";
import { configuredRegion, resolveRegionWithSharedConfig } from "./auth/resolve-region.js";
import type { CallDefaults } from "./options/resolve-call-options.js";
import { StreamAccumulator } from "./output/stream-accumulator.js";
import { converseProtocol } from "./converse/converse-protocol.js";
import { expandThinkingBlocks } from "./thinking/expand-thinking-blocks.js";
import { credentialChainError } from "./auth/credential-chain-error.js";
import { StreamAttemptEvents, type OpenedAttempt } from "./stream-attempt.js";
import { DEFAULT_CONNECT_TIMEOUT_MS, DEFAULT_IDLE_TIMEOUT_MS, DEFAULT_TOTAL_TIMEOUT_MS, timeoutOption } from "./transport/transport-timeouts.js";
import { hasMediaParts, resolveMediaParts } from "./media/resolve-media-parts.js";
import { selectBedrockApi, type BedrockApi } from "./select-bedrock-api.js";
import { countTokensTarget, isCountTokensUnsupported, type TokenCount } from "./tokens/count-tokens-support.js";
import { completionOutcome, ProviderTelemetry, traceCall, traceStream, type TelemetryHooks } from "../telemetry/index.js";
import type { CallTrace } from "../telemetry/call-trace.js";
import type { CallUsage } from "../base-provider.js";
import { estimateCallTokens, rateLimiterFor } from "../routing/call-rate-limit.js";
import type { RateLimiter, RatePermit } from "../routing/rate-limiter.js";

/** Settings of the provider object itself (not part of a model config); the hooks see every call. */
export interface BedrockProviderOptions extends TelemetryHooks {
  /** Backoff tuning of the retry layer (attempts come from the config's maxAttempts). */
  retry?: Omit<RetryPolicyOptions, "maxAttempts" | "random">;
  /**
   * "http1" (default): an HTTP/1.1 keep-alive pool, a connection per call in flight. "http2": calls are
   * streams multiplexed on a few HTTP/2 sessions (less memory per open stream, a few TLS handshakes for a
   * burst instead of one per call); see docs/providers.md, "Transport". Given, it wins over the config's
   * `transport`.
   */
  transport?: TransportKind;
  /** Share a cost manager between providers. */
  costManager?: CostManager;
}

export class BedrockAsyncProvider extends BaseProvider {
  static readonly apiType: string = "bedrock_async";
  /**
   * Where generateSync's worker thread imports this class from to rebuild the provider. A subclass that
   * should work with generateSync declares its own (see syncModuleOf): without one, generateSync refuses it.
   */
  static readonly syncModule: SyncModule = { url: import.meta.url, exportName: "BedrockAsyncProvider" };
  readonly model: string;
  override readonly priceAs: string | undefined;
  readonly config: LLMConfig;
  /** Known at construction when the config or the environment sets it; from the shared AWS config at the first call otherwise. */
  #region: string | undefined;
  readonly #auth: BedrockAuth;
  readonly #retry: RetryPolicy;
  readonly #secrets: string[];
  readonly #options: BedrockProviderOptions;
  readonly #defaults: CallDefaults;
  /** InvokeModel (Anthropic body) for Claude, Converse for every other model; the config's `api` overrides. */
  readonly api: BedrockApi;
  #client: Promise<BedrockClientHandle> | undefined;
  /** The client once created: its transport knows the credentials it signs with (a chain rotates them). */
  #handle: BedrockClientHandle | undefined;
  #closed = false;
  /** Ended by close(): every call still running (waiting for a retry, the rate limiter, a stream) ends with provider_closed. */
  readonly #running = new RunningCalls();
  /** Set once the service has said this model cannot count tokens: later counts are estimated without a call. */
  #countUnsupported: string | undefined;
  readonly #telemetry: ProviderTelemetry;
  /** The shared rate limiter of this model and region (null: none), known once the region is. */
  #limiter: RateLimiter | null | undefined;
  /** The id calls are sent with: `model`, or its inference profile id once Bedrock has asked for one. */
  #modelId: string;

  constructor(config: LLMConfig | LLMConfigFields | LLMConfigInput, options: BedrockProviderOptions = {}) {
    super(options.costManager);
    const llmConfig = config instanceof LLMConfig ? config : new LLMConfig(config as LLMConfigInput);
    assertResolved(llmConfig);
    if (!llmConfig.model) throw new ConfigError("model is required: the Bedrock model id, e.g. anthropic.claude-3-5-sonnet-20240620-v1:0 (or an inference profile id).");
    checkEndpoint(llmConfig.endpoint);
    checkTransport(options.transport);
    this.config = llmConfig;
    this.model = llmConfig.model;
    this.#modelId = llmConfig.model;
    this.priceAs = llmConfig.priceAs;
    this.#auth = resolveAuth(llmConfig);
    this.#region = configuredRegion(llmConfig);
    if (this.#region !== undefined) assertBedrockRegion(this.#region, llmConfig.endpoint);
    this.#secrets = [...secretsOf(llmConfig), ...authSecrets(this.#auth)];
    this.#retry = new RetryPolicy({ ...options.retry, ...(llmConfig.maxAttempts !== undefined ? { maxAttempts: llmConfig.maxAttempts } : {}) });
    this.#options = options;
    this.#defaults = {
      temperature: llmConfig.temperature,
      topP: llmConfig.topP,
      topK: llmConfig.topK,
      maxTokens: llmConfig.maxTokens,
      serviceTier: llmConfig.serviceTier,
      performanceConfig: llmConfig.performanceConfig,
      requestMetadata: llmConfig.requestMetadata,
      effort: llmConfig.effort,
      cacheTtl: llmConfig.cacheTtl,
      citations: llmConfig.citations,
    };
    this.api = selectBedrockApi(this.model, llmConfig.api);
    const endpoint = llmConfig.endpoint ? new URL(llmConfig.endpoint) : undefined;
    this.#telemetry = new ProviderTelemetry({ model: this.model, endpoint: () => this.#handle?.endpoint ?? endpoint, defaults: this.#defaults, hooks: options });
  }

  /**
   * The AWS region calls go to. Undefined until the first call when neither the config nor AWS_REGION /
   * AWS_DEFAULT_REGION sets it: it is then read from the AWS profile in the shared config files (else us-east-1).
   */
  get region(): string | undefined {
    return this.#region;
  }

  /** Which Bedrock API serves a call; Claude models use the Anthropic body over InvokeModel. */
  protected protocolFor(_options: GenerateOptions): BedrockProtocol {
    return this.api === "converse" ? converseProtocol : anthropicInvokeProtocol;
  }

  completeUnrecorded(messages: MessageInput[], options: GenerateOptions = {}): Promise<CompletionResult> {
    const trace = this.#telemetry.start("chat", false, options);
    return traceCall(trace, () => this.#complete(messages, options), (result) => completionOutcome(result.completion));
  }

  async #complete(messages: MessageInput[], options: GenerateOptions): Promise<CompletionResult> {
    const target = await this.#target(messages, options);
    const call = this.#callContext(options);
    try {
      const handle = await this.#clientHandle();
      const attemptOptions = this.#attemptOptions(options, call);
      const { parts, permit } = await this.#retry.run(
        () => this.#sendOrReask(target, messages, options, call, () => this.#invoke(target, handle, attemptOptions, messages, options, call)),
        (thrown) => this.#failure(thrown, call, false),
        call.signal,
      );
      if (target.profileAsked) this.#answeredAs(target.modelId);
      const accumulator = new StreamAccumulator(target.modelId, target.prepared.clientStops, this.#knownSecrets());
      for (const part of parts) accumulator.push(part); // all of them: usage may come after a client-side stop
      settle(permit, accumulator);
      return { completion: accumulator.completion(), usage: accumulator.finalUsage(), ...(target.modelId !== this.model ? { model: target.modelId } : {}) };
    } catch (thrown) {
      throw this.#failure(thrown, call, false).error;
    } finally {
      call.dispose();
    }
  }

  /** One non-streaming request to the target, admitted by the rate limiter. */
  async #invoke(target: CallTarget, handle: BedrockClientHandle, attemptOptions: AttemptOptions, messages: MessageInput[], options: GenerateOptions, call: CallContext): Promise<{ parts: ModelStreamPart[]; permit: RatePermit | undefined }> {
    const permit = await this.#admit(messages, options, call);
    try {
      const parts = await target.prepared.invoke(handle, attemptOptions);
      permit?.accepted();
      return { parts, permit };
    } catch (thrown) {
      this.#noteAnswer(permit, thrown, call);
      settle(permit, undefined);
      throw thrown;
    }
  }

  /**
   * The input tokens these messages (with these options: system, tools, thinking) would be billed for, by
   * Bedrock's CountTokens for the same request `generate` sends; free, and nothing is generated. Retried and
   * timed out like a call. Where Bedrock cannot count (models other than Claude, application inference
   * profile ARNs, or the service answering that the model does not support counting), the result is the
   * library's estimate, with `estimated: true` and the reason.
   */
  countTokens(messages: MessageInput[], options: GenerateOptions = {}): Promise<TokenCount> {
    const trace = this.#telemetry.start("count_tokens", false, options);
    return traceCall(trace, () => this.#countTokens(messages, options), ({ inputTokens }) => ({ usage: { inputTokens, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0 } }));
  }

  async #countTokens(messages: MessageInput[], options: GenerateOptions): Promise<TokenCount> {
    const prepared = await this.#prepare(messages, options);
    const target = countTokensTarget(this.model);
    if ("unsupported" in target || this.#countUnsupported) {
      const reason = "unsupported" in target ? target.unsupported : this.#countUnsupported!;
      return { inputTokens: prepared.estimateInputTokens(), estimated: true, reason: `${reason}; estimated at about 4 characters a token` };
    }
    const call = this.#callContext(options);
    try {
      const handle = await this.#clientHandle();
      const attempt = this.#attemptOptions(options, call);
      const inputTokens = await this.#retry.run(
        () => prepared.countTokens(handle, attempt, target.modelId),
        (thrown) => this.#failure(thrown, call, false),
        call.signal,
      );
      return { inputTokens, estimated: false };
    } catch (thrown) {
      const error = this.#failure(thrown, call, false).error;
      if (!isCountTokensUnsupported(error)) throw error;
      this.#countUnsupported = `Bedrock answered that ${target.modelId} does not support counting tokens`;
      return { inputTokens: prepared.estimateInputTokens(), estimated: true, reason: `${this.#countUnsupported}; estimated at about 4 characters a token` };
    } finally {
      call.dispose();
    }
  }

  streamEvents(messages: MessageInput[], options: GenerateOptions = {}): AsyncGenerator<StreamEvent, void, undefined> {
    const trace = this.#telemetry.start("chat", true, options);
    const guard = new DroppedStreamGuard(trace && (() => trace.abandon()));
    const events = this.#streamEvents(messages, options, eventItself, guard);
    return guard.watch(trace ? traceStream(trace, events) : events);
  }

  /** The text pieces; untraced, straight from the stream's own generator (one async step per piece, not two). */
  override generateStream(messages: MessageInput[], options: GenerateOptions = {}): AsyncGenerator<string, void, undefined> {
    const trace = this.#telemetry.start("chat", true, options);
    const guard = new DroppedStreamGuard(trace && (() => trace.abandon()));
    return guard.watch(trace ? textsOf(traceStream(trace, this.#streamEvents(messages, options, eventItself, guard))) : this.#streamEvents(messages, options, textOf, guard));
  }

  /**
   * The stream, through the retry policy's one loop (RetryPolicy.stream): an attempt is retried only while
   * none of its events has been handed over. Each attempt yields the public events of one network read at a
   * time (read-event-stream.ts is pushed to by the socket), and this generator hands them to the caller.
   */
  async *#streamEvents<T>(messages: MessageInput[], options: GenerateOptions, pick: (event: StreamEvent) => T | undefined, guard: DroppedStreamGuard): AsyncGenerator<T, void, undefined> {
    const target = await this.#target(messages, options);
    const call = this.#callContext(options);
    let finished = false;
    try {
      const handle = await this.#clientHandle();
      const attemptOptions: AttemptOptions = { ...this.#attemptOptions(options, call), onIdle: (error) => call.abort(error) };
      const batches = this.#retry.stream(
        () => this.#streamAttempt(target, handle, attemptOptions, call, messages, options),
        (thrown, yielded) => this.#failure(thrown, call, yielded),
        call.signal,
      );
      guard.release = () => {
        call.abort();
        batches.return?.().catch(() => undefined); // ends the attempt: its response released, its usage recorded
      };
      for await (const events of batches) {
        for (const event of events) {
          // One network read can hold many events: an abort while the caller handled the last one ends here.
          if (call.aborted) throw call.reason;
          if (event.type === "finish") finished = true; // the response has ended or been released: nothing left to abort
          const item = pick(event);
          if (item !== undefined) yield item;
        }
      }
    } catch (thrown) {
      throw this.#failure(thrown, call, false).error; // a failure of an attempt comes mapped already (mid-stream or not)
    } finally {
      if (!finished) call.abort(); // the consumer left or the call failed: nothing of it may keep running
      call.dispose();
      guard.release = undefined;
    }
  }

  /**
   * One attempt of a stream (stream-attempt.ts): sends the request (re-asked with the inference profile id
   * when Bedrock wants one), then yields the events of each network read that has any, and the "finish"
   * event last. However it ends (the consumer leaving included) its response is released and its usage
   * recorded; a failure before its first events is told to the rate limiter.
   */
  #streamAttempt(target: CallTarget, handle: BedrockClientHandle, attemptOptions: AttemptOptions, call: CallContext, messages: MessageInput[], options: GenerateOptions): StreamAttemptEvents {
    return new StreamAttemptEvents({
      open: () => this.#sendOrReask(target, messages, options, call, () => this.#openStream(target, handle, attemptOptions, call, messages, options)),
      answered: (attempt) => this.#answered(attempt, target),
      failedUnanswered: (attempt, thrown) => this.#noteAnswer(attempt.permit, thrown, call),
      finish: (attempt) => this.#finish(attempt, call),
      end: (attempt) => this.#endAttempt(attempt),
    });
  }

  /** Sends one streaming request to the target, admitted by the rate limiter. */
  async #openStream(target: CallTarget, handle: BedrockClientHandle, attemptOptions: AttemptOptions, call: CallContext, messages: MessageInput[], options: GenerateOptions): Promise<OpenedAttempt> {
    const permit = await this.#admit(messages, options, call);
    try {
      const reader = await target.prepared.openStream(handle, attemptOptions);
      // Set up once the request is out: the wait for the answer pays for it, not the time to the first token.
      return { reader, modelId: target.modelId, accumulator: new StreamAccumulator(target.modelId, target.prepared.clientStops, this.#knownSecrets()), permit, ended: false };
    } catch (thrown) {
      this.#noteAnswer(permit, thrown, call);
      settle(permit, undefined);
      throw thrown;
    }
  }

  /**
   * The attempt's first events came (before they are handed over: a consumer may stop at any event): the
   * rate limiter counts it accepted (a throttlingException frame before them was a throttle), and when it
   * was the inference profile that answered, later calls go to the profile directly.
   */
  #answered(attempt: OpenedAttempt, target: CallTarget): void {
    attempt.permit?.accepted();
    if (target.profileAsked) this.#answeredAs(attempt.modelId);
  }

  /**
   * Calls `send` (which sends to `target`); when Bedrock answers that the model is served only through an
   * inference profile, points the target at the profile id and calls `send` once more (once per call,
   * inference-profile-retry.ts). This happens inside one attempt of the retry loop, before anything of the
   * answer was read: it is not a retry (no backoff, no attempt used), the request is sent where it can be served.
   */
  async #sendOrReask<R>(target: CallTarget, messages: MessageInput[], options: GenerateOptions, call: CallContext, send: () => Promise<R>): Promise<R> {
    try {
      return await send();
    } catch (thrown) {
      const profileId = target.profileAsked ? undefined : this.#profileRetryId(thrown, call, target.modelId);
      if (profileId === undefined) throw thrown;
      target.prepared = await this.#prepare(messages, options, profileId);
      target.modelId = profileId;
      target.profileAsked = true;
      return send();
    }
  }

  /** Where a call starts: the id calls are sent with (the model's, or the profile's Bedrock asked for earlier). */
  async #target(messages: MessageInput[], options: GenerateOptions): Promise<CallTarget> {
    const modelId = this.#modelId;
    return { modelId, prepared: await this.#prepare(messages, options, modelId), profileAsked: false };
  }

  /** The "finish" event, once the response has ended or a client-side stop cut it. */
  #finish(attempt: OpenedAttempt, call: CallContext): StreamEvent {
    // A response can end cleanly before the answer did (a proxy or gateway cutting it): not a success.
    if (!attempt.accumulator.done) throw truncated();
    const completion = attempt.accumulator.completion();
    if (call.aborted) throw call.reason;
    return { type: "finish", completion };
  }

  /** Releases the attempt's response (if still open) and records its usage, once, however it ended. */
  #endAttempt(attempt: OpenedAttempt): void {
    if (attempt.ended) return;
    attempt.ended = true;
    void attempt.reader.return();
    this.#record(attempt.accumulator, attempt.modelId);
    settle(attempt.permit, attempt.accumulator);
  }

  /** Releases the connection pool and the generateSync worker. The provider cannot be used afterwards. */
  override async close(): Promise<void> {
    this.#closed = true;
    this.#running.close();
    const client = this.#client;
    this.#client = undefined;
    await super.close();
    if (client) (await client.catch(() => undefined))?.destroy();
  }

  protected syncWorkerSpec(): SyncWorkerSpec {
    const { url, exportName } = syncModuleOf(this.constructor);
    const fields: Record<string, unknown> = {};
    for (const name of LLM_CONFIG_FIELD_NAMES) if (this.config[name] !== undefined) fields[name] = this.config[name];
    const { costManager: _ignored, onRequest: _1, onResponse: _2, onError: _3, onUsage: _4, ...options } = this.#options;
    return { moduleUrl: url, exportName, args: [fields, options], endpoint: this.config.endpoint, timeout: this.config.timeout };
  }

  protected override syncCallTrace(options: Omit<GenerateOptions, "signal">): CallTrace | undefined {
    return this.#telemetry.start("chat", false, options);
  }

  toJSON(): Record<string, unknown> {
    return { provider: (this.constructor as typeof BedrockAsyncProvider).apiType, model: this.model, region: this.region, config: this.config.toJSON() };
  }

  [inspect.custom](_depth: number, options: object): string {
    return `${this.constructor.name} ${inspect(this.toJSON(), options)}`;
  }

  async #prepare(messages: MessageInput[], options: GenerateOptions, modelId: string = this.#modelId): Promise<PreparedCall> {
    if (options === null || typeof options !== "object") throw new ConfigError("options must be an object, e.g. { temperature: 0.2 }.");
    if (Array.isArray(messages)) {
      // Media files are read and checked, and thinking blocks of earlier answers expanded, before any network call.
      if (hasMediaParts(messages)) messages = await resolveMediaParts(messages);
      messages = expandThinkingBlocks(messages);
    }
    return this.protocolFor(options).prepare(modelId, messages, options, this.#defaults);
  }

  #callContext(options: GenerateOptions): CallContext {
    const timeout = timeoutOption("timeout", options.timeout ?? this.config.timeout, DEFAULT_TOTAL_TIMEOUT_MS);
    return this.#running.start({ signal: options.signal, timeout });
  }

  #attemptOptions(options: GenerateOptions, call: CallContext): AttemptOptions {
    return { signal: call.signal, idleMs: timeoutOption("idleTimeout", options.idleTimeout ?? this.config.idleTimeout, DEFAULT_IDLE_TIMEOUT_MS) };
  }

  #clientHandle(): Promise<BedrockClientHandle> {
    if (this.#closed) return Promise.reject(providerClosedError());
    this.#client ??= this.#callRegion().then((region) => createBedrockClient({
      region,
      auth: this.#auth,
      endpoint: this.config.endpoint,
      ca: this.config.ca,
      maxConcurrency: this.config.maxConcurrency,
      connectTimeoutMs: timeoutOption("connectTimeout", this.config.connectTimeout, DEFAULT_CONNECT_TIMEOUT_MS),
      profile: this.config.profile,
      transport: this.#options.transport ?? this.config.transport,
    }));
    this.#client.then(
      (handle) => (this.#handle = handle),
      () => (this.#client = undefined),
    );
    return this.#client;
  }

  async #callRegion(): Promise<string> {
    if (this.#region !== undefined) return this.#region;
    const region = await resolveRegionWithSharedConfig(this.config);
    assertBedrockRegion(region, this.config.endpoint);
    return (this.#region = region);
  }

  /** Waits for the rate limiter of this model and region, when the config sets one. */
  async #admit(messages: MessageInput[], options: GenerateOptions, call: CallContext): Promise<RatePermit | undefined> {
    if (this.#limiter === undefined) this.#limiter = rateLimiterFor(this.config, await this.#callRegion()) ?? null;
    if (!this.#limiter) return undefined;
    const tokens = this.#limiter.limits.tpm === undefined ? 0 : estimateCallTokens(messages, options.maxTokens ?? options.max_tokens ?? this.config.maxTokens);
    return this.#limiter.acquire(tokens, call.signal);
  }

  /** The inference profile id to send a failed call again with, once (inference-profile-retry.ts). */
  #profileRetryId(thrown: unknown, call: CallContext, modelId: string): string | undefined {
    return inferenceProfileRetryId(this.#failure(thrown, call, false).error, modelId, this.#region);
  }

  /** The profile id answered: later calls go to it directly, and the notice says to configure it. */
  #answeredAs(profileId: string): void {
    if (this.#modelId === profileId) return;
    this.#modelId = profileId;
    noticeInferenceProfile(this.model, profileId, this.#region!, this.config.name);
  }

  /** Tells the rate limiter how the service answered a failed attempt: a throttle, another answer, or none (network, abort). */
  #noteAnswer(permit: RatePermit | undefined, thrown: unknown, call: CallContext): void {
    if (!permit) return;
    const { error, facts } = this.#failure(thrown, call, false);
    if (facts.throttling) permit.throttled();
    else if (error instanceof BedrockServiceError && error.status !== undefined && error.status < 500) permit.accepted();
  }

  /** The config's credentials and those the transport sent (the chain's, the proxy's). */
  #knownSecrets(): string[] {
    return [...this.#secrets, ...(this.#handle?.transport.secrets ?? [])];
  }

  #failure(thrown: unknown, call: CallContext, midStream: boolean): { error: MinionError; facts: RetryableFailure } {
    if (call.aborted) return { error: call.reason!, facts: { retryable: false } };
    const secrets = this.#knownSecrets();
    const noCredentials = credentialChainError(thrown, this.#auth.kind === "chain" ? this.#auth.profile : undefined, secrets);
    if (noCredentials) return { error: noCredentials, facts: { retryable: false } };
    const error = mapBedrockError(thrown, { midStream, secrets, modelId: this.model, region: this.region });
    // The retry decision reads the error's own fields (retryable, throttling, retryAfterMs).
    return { error, facts: error instanceof ProviderError ? error : { retryable: false } };
  }

  protected override recordUsage(usage: CallUsage, model?: string): void {
    super.recordUsage(usage, model);
    const { inputTokens, outputTokens, cacheReadTokens, cacheWriteTokens } = usage;
    this.#telemetry.usage({ inputTokens: inputTokens + cacheReadTokens + cacheWriteTokens, outputTokens, cacheReadTokens, cacheWriteTokens });
  }

  /** Adds one attempt's usage to the cost (called exactly once per attempt, when it ends). */
  #record(accumulator: StreamAccumulator, modelId: string): void {
    const usage = accumulator.finalUsage();
    if (usage.inputTokens + usage.outputTokens + usage.cacheReadTokens + usage.cacheWriteTokens > 0) this.recordUsage(usage, modelId === this.model ? undefined : modelId);
  }
}

/**
 * BedrockProvider (`api_type: bedrock`), kept so minion configs work unchanged. In minion it was the boto3
 * (blocking) variant; in Node there is no blocking I/O to offer, so it is the same non-blocking provider.
 */
export class BedrockProvider extends BedrockAsyncProvider {
  static override readonly apiType: string = "bedrock";
  static override readonly syncModule: SyncModule = { url: import.meta.url, exportName: "BedrockProvider" };
}

/** Tells the rate limiter how many tokens a call used in all. */
function settle(permit: RatePermit | undefined, accumulator: StreamAccumulator | undefined): void {
  if (!permit) return;
  const usage = accumulator?.finalUsage();
  permit.settle(usage ? usage.inputTokens + usage.outputTokens + usage.cacheReadTokens + usage.cacheWriteTokens : 0);
}

const eventItself = (event: StreamEvent): StreamEvent => event;
const textOf = (event: StreamEvent): string | undefined => (event.type === "text" ? event.text : undefined);

async function* textsOf(events: AsyncIterable<StreamEvent>): AsyncGenerator<string, void, undefined> {
  for await (const event of events) if (event.type === "text") yield event.text;
}

/** Where a call is sent: the id, and the request prepared for it. */
interface CallTarget {
  modelId: string;
  prepared: PreparedCall;
  /** Bedrock asked for the inference profile and the target now points at it (asked once per call). */
  profileAsked: boolean;
}

function truncated(): NetworkError {
  return new NetworkError("The response from Bedrock was cut: the event stream ended before the model's final event, so the answer is incomplete.", true, { networkCode: "truncated_response" });
}
