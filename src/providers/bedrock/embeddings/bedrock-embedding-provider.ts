/**
 * BedrockEmbeddingProvider (`api_type: bedrock_embedding`): embeddings (Titan Text Embeddings V2, Cohere Embed
 * v3 and v4) and reranking (Cohere Rerank 3.5, Amazon Rerank 1.0) over InvokeModel, on the same pooled SigV4
 * transport, credential and region resolution, retry policy, timeouts and error mapping as the chat provider.
 *
 * Large inputs are cut into the model's batches (Titan: 1 text per call, Cohere: 96) which are started lazily
 * under a concurrency cap, so 10,000 texts never mean 10,000 promises or request bodies at once; results keep
 * the input order. Each batch is retried on its own; the first batch that fails for good cancels the rest.
 */
import { setMaxListeners } from "node:events";
import { inspect } from "node:util";
import pMap from "p-map";
import { assertResolved } from "../../../config/assert-resolved.js";
import type { LLMConfigFields } from "../../../config/llm-config-fields.js";
import { LLMConfig, type LLMConfigInput } from "../../../config/llm-config.js";
import { ConfigError, InvalidRequestError, MinionError, ProviderError, providerClosedError } from "../../../schema/errors.js";
import { RunningCalls, type CallContext } from "../../call-context.js";
import { CostManager } from "../../cost-manager.js";
import type { EmbedOptions, EmbeddingCallOptions, EmbeddingProvider, RerankOptions, RerankResult } from "../../embedding-provider.js";
import type { CostSnapshot } from "../../llm-provider.js";
import { RetryPolicy, type RetryPolicyOptions, type RetryableFailure } from "../../retry-policy.js";
import { assertBedrockRegion } from "../auth/bedrock-regions.js";
import { checkEndpoint, createBedrockClient, type BedrockClientHandle } from "../create-bedrock-client.js";
import { mapBedrockError } from "../errors/map-bedrock-error.js";
import { authSecrets, resolveAuth, secretsOf, type BedrockAuth } from "../auth/resolve-auth.js";
import { resolveRegion } from "../auth/resolve-region.js";
import { DEFAULT_CONNECT_TIMEOUT_MS, DEFAULT_IDLE_TIMEOUT_MS, DEFAULT_TOTAL_TIMEOUT_MS, timeoutOption } from "../transport/transport-timeouts.js";
import { buildEmbeddingBody, checkInputs, resolveEmbedOptions, type InputKind, type ResolvedEmbedOptions } from "./build-embedding-body.js";
import { decodeEmbeddingBody, UNREAD_FIELDS } from "./decode-embedding-body.js";
import { EMBEDDING_MODEL_EXAMPLES, embeddingModelSpec, isRerankFamily, requireEmbeddingModel, type EmbeddingModelSpec } from "./embedding-model-spec.js";
import { invokeJson } from "./invoke-json.js";
import { buildRerankBody, decodeRerankBody, DOCUMENTS_PER_BILLED_QUERY } from "./rerank-body.js";
import { ProviderTelemetry, traceCall, type TelemetryHooks } from "../../telemetry/index.js";

/** Default cap on model calls in flight for one embed() call. */
export const DEFAULT_EMBEDDING_CONCURRENCY = 16;

/** The telemetry hooks see every embed and rerank call. */
export interface BedrockEmbeddingProviderOptions extends TelemetryHooks {
  /** Backoff tuning of the retry layer (attempts come from the config's maxAttempts). */
  retry?: Omit<RetryPolicyOptions, "maxAttempts">;
  /** Share a cost manager between providers. */
  costManager?: CostManager;
}

interface Call {
  context: CallContext;
  idleMs: number | undefined;
  /** Input tokens billed so far, over all batches. */
  inputTokens: number;
}

export class BedrockEmbeddingProvider implements EmbeddingProvider {
  static readonly apiType: string = "bedrock_embedding";
  readonly model: string;
  readonly region: string;
  readonly config: LLMConfig;
  readonly #spec: EmbeddingModelSpec;
  readonly #auth: BedrockAuth;
  readonly #retry: RetryPolicy;
  readonly #secrets: string[];
  readonly #costManager: CostManager;
  #client: Promise<BedrockClientHandle> | undefined;
  #handle: BedrockClientHandle | undefined;
  #closed = false;
  /** Ended by close(): a call waiting for a retry or reading an answer ends with provider_closed. */
  readonly #running = new RunningCalls();
  readonly #telemetry: ProviderTelemetry;

  constructor(config: LLMConfig | LLMConfigFields | LLMConfigInput, options: BedrockEmbeddingProviderOptions = {}) {
    const llmConfig = config instanceof LLMConfig ? config : new LLMConfig(config as LLMConfigInput);
    assertResolved(llmConfig);
    if (!llmConfig.model) throw new ConfigError(`model is required: the Bedrock embedding or rerank model id, e.g. ${EMBEDDING_MODEL_EXAMPLES}.`);
    const spec = embeddingModelSpec(llmConfig.model);
    if (!spec) throw new ConfigError(`model "${llmConfig.model}" is not an embedding or rerank model minion-ts knows; use one of ${EMBEDDING_MODEL_EXAMPLES} (a us./eu./global. profile or an ARN of one works too).`);
    checkEndpoint(llmConfig.endpoint);
    this.config = llmConfig;
    this.model = llmConfig.model;
    this.#spec = spec;
    this.#auth = resolveAuth(llmConfig);
    this.region = resolveRegion(llmConfig);
    assertBedrockRegion(this.region, llmConfig.endpoint);
    this.#secrets = [...secretsOf(llmConfig), ...authSecrets(this.#auth)];
    this.#retry = new RetryPolicy({ ...options.retry, ...(llmConfig.maxAttempts !== undefined ? { maxAttempts: llmConfig.maxAttempts } : {}) });
    this.#costManager = options.costManager ?? new CostManager();
    const endpoint = llmConfig.endpoint ? new URL(llmConfig.endpoint) : undefined;
    this.#telemetry = new ProviderTelemetry({ model: this.model, endpoint: () => this.#handle?.endpoint ?? endpoint, hooks: options });
  }

  embed(texts: readonly string[], options: EmbedOptions = {}): Promise<number[][]> {
    return this.#embed("texts", texts, options);
  }

  async embedOne(text: string, options: EmbedOptions = {}): Promise<number[]> {
    if (typeof text !== "string") throw new InvalidRequestError(`embedOne takes one string, got ${Array.isArray(text) ? "an array (use embed(texts))" : typeof text}.`);
    return (await this.#embed("texts", [text], options))[0]!;
  }

  embedImages(images: readonly string[], options: EmbedOptions = {}): Promise<number[][]> {
    if (this.#spec.imageBatchSize === 0 && !isRerankFamily(this.#spec.family)) {
      return Promise.reject(new InvalidRequestError(`${this.model} embeds text only; use Cohere Embed v3 or v4 (cohere.embed-v4:0) for images.`));
    }
    return this.#embed("images", images, options);
  }

  async rerank(query: string, documents: readonly string[], options: RerankOptions = {}): Promise<RerankResult[]> {
    if (!isRerankFamily(this.#spec.family)) throw new InvalidRequestError(`${this.model} is an embedding model; rerank with cohere.rerank-v3-5:0 or amazon.rerank-v1:0 (a provider of its own).`);
    const body = buildRerankBody(this.#spec.family, query, documents, options?.topN);
    const call = this.#call(options);
    return traceCall(this.#telemetry.start("rerank", false, options), () => this.#rerank(body, documents, call), () => ({ usage: inputUsage(call.inputTokens) }));
  }

  async #rerank(body: Record<string, unknown>, documents: readonly string[], call: Call): Promise<RerankResult[]> {
    try {
      const handle = await this.#clientHandle();
      const answer = await this.#retry.run(
        () => invokeJson(handle.transport, this.model, body, { signal: call.context.signal, idleMs: call.idleMs }),
        (thrown) => this.#failure(thrown, call),
        call.context.signal,
      );
      const results = decodeRerankBody(answer.body, documents.length);
      call.inputTokens += answer.inputTokens ?? 0;
      this.#telemetry.usage(inputUsage(answer.inputTokens ?? 0));
      this.#costManager.update({ model: this.model, promptTokens: answer.inputTokens ?? 0, completionTokens: 0, requests: Math.ceil(documents.length / DOCUMENTS_PER_BILLED_QUERY) });
      return results;
    } catch (thrown) {
      throw this.#failure(thrown, call).error;
    } finally {
      call.context.dispose();
    }
  }

  getCost(): CostSnapshot {
    return this.#costManager.snapshot();
  }

  reset(): void {
    this.#costManager.reset();
  }

  /** Releases the connection pool and ends the calls still running. The provider cannot be used afterwards. */
  async close(): Promise<void> {
    this.#closed = true;
    this.#running.close();
    const client = this.#client;
    this.#client = undefined;
    if (client) (await client.catch(() => undefined))?.destroy();
  }

  toJSON(): Record<string, unknown> {
    return { provider: BedrockEmbeddingProvider.apiType, model: this.model, region: this.region, config: this.config.toJSON() };
  }

  [inspect.custom](_depth: number, options: object): string {
    return `${this.constructor.name} ${inspect(this.toJSON(), options)}`;
  }

  async #embed(kind: InputKind, items: readonly string[], options: EmbedOptions): Promise<number[][]> {
    requireEmbeddingModel(this.model, this.#spec);
    const resolved = resolveEmbedOptions(this.model, this.#spec, options);
    const inputs = checkInputs(this.model, this.#spec, kind, items);
    const concurrency = this.#concurrency(options.concurrency);
    if (inputs.length === 0) return [];
    const call = this.#call(options);
    // Each batch in flight listens for the call's abort (its request, a retry's wait): more than Node's
    // default of 10 is expected here, not a leak.
    setMaxListeners(2 * concurrency + 10, call.context.signal);
    return traceCall(this.#telemetry.start("embeddings", false, options), () => this.#embedAll(kind, inputs, resolved, concurrency, call), () => ({ usage: inputUsage(call.inputTokens) }));
  }

  async #embedAll(kind: InputKind, items: readonly string[], resolved: ResolvedEmbedOptions, concurrency: number, call: Call): Promise<number[][]> {
    try {
      const handle = await this.#clientHandle();
      const size = kind === "texts" ? this.#spec.batchSize : this.#spec.imageBatchSize;
      const perBatch = await pMap(batchesOf(items, size), (batch) => this.#embedBatch(handle, kind, batch, resolved, call), { concurrency });
      return perBatch.flat();
    } catch (thrown) {
      const { error } = this.#failure(thrown, call);
      call.context.abort(error); // the batches still in flight stop now
      throw error;
    } finally {
      call.context.dispose();
    }
  }

  async #embedBatch(handle: BedrockClientHandle, kind: InputKind, batch: readonly string[], options: ResolvedEmbedOptions, call: Call): Promise<number[][]> {
    const body = buildEmbeddingBody(this.#spec, kind, batch, options);
    const answer = await this.#retry.run(
      () => invokeJson(handle.transport, this.model, body, { signal: call.context.signal, idleMs: call.idleMs, skip: UNREAD_FIELDS }),
      (thrown) => this.#failure(thrown, call),
      call.context.signal,
    );
    const decoded = decodeEmbeddingBody(this.#spec.family, answer, { type: options.embeddingType, count: batch.length, dimensions: options.dimensions });
    const inputTokens = decoded.inputTokens ?? answer.inputTokens ?? 0;
    call.inputTokens += inputTokens;
    this.#costManager.update({ model: this.model, promptTokens: inputTokens, completionTokens: 0 });
    this.#telemetry.usage(inputUsage(inputTokens));
    return decoded.vectors;
  }

  #concurrency(value: number | undefined): number {
    if (value === undefined) return Math.min(this.config.maxConcurrency ?? DEFAULT_EMBEDDING_CONCURRENCY, DEFAULT_EMBEDDING_CONCURRENCY);
    if (!Number.isInteger(value) || value < 1) throw new InvalidRequestError(`concurrency must be a whole number of at least 1, got ${JSON.stringify(value)}.`);
    return value;
  }

  #call(options: EmbeddingCallOptions): Call {
    if (options === null || typeof options !== "object") throw new InvalidRequestError("options must be an object.");
    const timeout = timeoutOption("timeout", options.timeout ?? this.config.timeout, DEFAULT_TOTAL_TIMEOUT_MS);
    const idleMs = timeoutOption("idleTimeout", options.idleTimeout ?? this.config.idleTimeout, DEFAULT_IDLE_TIMEOUT_MS);
    return { context: this.#running.start({ signal: options.signal, timeout }), idleMs, inputTokens: 0 };
  }

  #clientHandle(): Promise<BedrockClientHandle> {
    if (this.#closed) return Promise.reject(providerClosedError());
    this.#client ??= createBedrockClient({
      region: this.region,
      auth: this.#auth,
      endpoint: this.config.endpoint,
      ca: this.config.ca,
      maxConcurrency: this.config.maxConcurrency,
      connectTimeoutMs: timeoutOption("connectTimeout", this.config.connectTimeout, DEFAULT_CONNECT_TIMEOUT_MS),
      profile: this.config.profile,
      transport: this.config.transport,
    });
    this.#client.then(
      (handle) => (this.#handle = handle),
      () => (this.#client = undefined),
    );
    return this.#client;
  }

  #failure(thrown: unknown, call: Call): { error: MinionError; facts: RetryableFailure } {
    if (call.context.aborted) return { error: call.context.reason!, facts: { retryable: false } };
    const error = mapBedrockError(thrown, { midStream: false, secrets: [...this.#secrets, ...(this.#handle?.transport.secrets ?? [])] });
    return { error, facts: error instanceof ProviderError ? error : { retryable: false } };
  }
}

function inputUsage(inputTokens: number): { inputTokens: number; outputTokens: number; cacheReadTokens: number; cacheWriteTokens: number } {
  return { inputTokens, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0 };
}

/** The inputs cut into batches of `size`, one at a time (a generator: p-map pulls a batch when a slot frees). */
function* batchesOf(items: readonly string[], size: number): Generator<readonly string[]> {
  for (let start = 0; start < items.length; start += size) yield items.slice(start, start + size);
}
