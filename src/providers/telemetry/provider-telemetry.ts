/**
 * A provider's telemetry: starts a CallTrace per call when there is anyone to tell (an OpenTelemetry API
 * install, or hooks), and reports billed usage to the onUsage hook. With neither it returns undefined and
 * the provider runs exactly as without telemetry.
 */
import type { Attributes } from "@opentelemetry/api";
import { CallTrace, type ServerAddress } from "./call-trace.js";
import { ATTR, PROVIDER_NAME, type GenAiOperation } from "./gen-ai-conventions.js";
import { genAiInstruments } from "./gen-ai-metrics.js";
import { minionTracer, otelApi } from "./otel-api.js";
import { callHook, pickHooks, type RequestParameters, type TelemetryCall, type TelemetryHooks, type TelemetryUsage } from "./telemetry-hooks.js";

/** The request settings a call may carry (GenerateOptions or embedding options; anything else is ignored). */
export interface TracedOptions {
  maxTokens?: unknown;
  max_tokens?: unknown;
  temperature?: unknown;
  topP?: unknown;
  top_p?: unknown;
  topK?: unknown;
  top_k?: unknown;
  stop?: unknown;
  stop_sequences?: unknown;
  guardrail?: unknown;
  responseFormat?: unknown;
}

export interface ProviderTelemetryInit {
  model: string;
  /** Where calls go, once known (the resolved endpoint URL). */
  endpoint: () => URL | undefined;
  /** The config's defaults for request parameters. */
  defaults?: RequestParameters;
  hooks?: TelemetryHooks | undefined;
}

export class ProviderTelemetry {
  readonly #model: string;
  readonly #endpoint: () => URL | undefined;
  readonly #defaults: RequestParameters;
  readonly #hooks: TelemetryHooks | undefined;

  constructor(init: ProviderTelemetryInit) {
    this.#model = init.model;
    this.#endpoint = init.endpoint;
    this.#defaults = init.defaults ?? {};
    this.#hooks = pickHooks(init.hooks);
  }

  /** A trace for one call, or undefined when nothing would observe it. */
  start(operation: GenAiOperation, streaming: boolean, options?: unknown): CallTrace | undefined {
    const api = otelApi();
    const hooks = this.#hooks;
    if (!api && !hooks) return undefined;
    const call = this.#describe(operation, streaming, options);
    let span;
    let instruments;
    if (api) {
      const started = minionTracer(api).startSpan(`${operation} ${this.#model}`, { kind: api.SpanKind.CLIENT, attributes: spanAttributes(call, options) });
      span = started.isRecording() ? started : undefined;
      instruments = genAiInstruments(api);
    }
    if (!span && !instruments && !hooks) return undefined;
    return new CallTrace(call, span, instruments, hooks, () => this.#server());
  }

  /** Tokens were billed (a call, or an attempt cut mid-stream). */
  usage(usage: TelemetryUsage): void {
    if (this.#hooks?.onUsage) callHook(this.#hooks, "onUsage", { provider: PROVIDER_NAME, model: this.#model, ...usage });
  }

  #describe(operation: GenAiOperation, streaming: boolean, options: unknown): TelemetryCall {
    const call: TelemetryCall = { operation, provider: PROVIDER_NAME, requestModel: this.#model, streaming, request: requestParameters(options, this.#defaults, operation) };
    const server = this.#server();
    if (server) {
      call.serverAddress = server.address;
      call.serverPort = server.port;
    }
    return call;
  }

  /** Host and port only: a URL's user info or path never leaves here. */
  #server(): ServerAddress | undefined {
    const endpoint = this.#endpoint();
    if (!endpoint) return undefined;
    return { address: endpoint.hostname, port: endpoint.port ? Number(endpoint.port) : endpoint.protocol === "http:" ? 80 : 443 };
  }
}

function requestParameters(options: unknown, defaults: RequestParameters, operation: GenAiOperation): RequestParameters {
  if (operation !== "chat") return {};
  const given: TracedOptions = typeof options === "object" && options !== null ? options : {};
  const parameters: RequestParameters = {};
  const maxTokens = numberOf(given.maxTokens ?? given.max_tokens) ?? defaults.maxTokens;
  const temperature = numberOf(given.temperature) ?? defaults.temperature;
  const topP = numberOf(given.topP ?? given.top_p) ?? defaults.topP;
  const topK = numberOf(given.topK ?? given.top_k) ?? defaults.topK;
  const stop = stopSequences(given.stop ?? given.stop_sequences);
  if (maxTokens !== undefined) parameters.maxTokens = maxTokens;
  if (temperature !== undefined) parameters.temperature = temperature;
  if (topP !== undefined) parameters.topP = topP;
  if (topK !== undefined) parameters.topK = topK;
  if (stop) parameters.stopSequences = stop;
  return parameters;
}

function spanAttributes(call: TelemetryCall, options: unknown): Attributes {
  const attributes: Attributes = {
    [ATTR.operationName]: call.operation,
    [ATTR.providerName]: call.provider,
    [ATTR.system]: call.provider,
    [ATTR.requestModel]: call.requestModel,
  };
  if (call.serverAddress) attributes[ATTR.serverAddress] = call.serverAddress;
  if (call.serverPort !== undefined) attributes[ATTR.serverPort] = call.serverPort;
  const { request } = call;
  if (request.maxTokens !== undefined) attributes[ATTR.requestMaxTokens] = request.maxTokens;
  if (request.temperature !== undefined) attributes[ATTR.requestTemperature] = request.temperature;
  if (request.topP !== undefined) attributes[ATTR.requestTopP] = request.topP;
  if (request.topK !== undefined) attributes[ATTR.requestTopK] = request.topK;
  if (request.stopSequences) attributes[ATTR.requestStopSequences] = request.stopSequences;
  const traced = options as TracedOptions | undefined;
  const guardrail = traced?.guardrail as { identifier?: unknown } | undefined;
  if (typeof guardrail?.identifier === "string") attributes[ATTR.guardrailId] = guardrail.identifier;
  // Conditionally required when the request asks for an output format: native structured output is JSON.
  if (call.operation === "chat" && traced?.responseFormat !== undefined) attributes[ATTR.outputType] = "json";
  return attributes;
}

function numberOf(value: unknown): number | undefined {
  return typeof value === "number" && Number.isFinite(value) ? value : undefined;
}

function stopSequences(value: unknown): string[] | undefined {
  if (typeof value === "string") return [value];
  if (Array.isArray(value) && value.every((item) => typeof item === "string")) return value.length > 0 ? [...value] : undefined;
  return undefined;
}
