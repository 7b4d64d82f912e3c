/**
 * The telemetry of one provider call: its span (kind CLIENT, named "{operation} {model}"), its metrics and
 * the hooks, from start to exactly one end (success, failure, or the consumer leaving a stream early).
 */
import type { Attributes, Span } from "@opentelemetry/api";
import { MinionError } from "../../schema/errors.js";
import { errorType } from "./error-type.js";
import { ATTR, type GenAiOperation } from "./gen-ai-conventions.js";
import type { GenAiInstruments } from "./gen-ai-metrics.js";
import { callHook, type TelemetryCall, type TelemetryHooks, type TelemetryUsage } from "./telemetry-hooks.js";

export interface ServerAddress {
  address: string;
  port: number;
}

/** What a finished call reports. */
export interface CallOutcome {
  responseModel?: string | undefined;
  responseId?: string | undefined;
  finishReasons?: string[];
  usage?: TelemetryUsage | undefined;
}

export class CallTrace {
  readonly #call: TelemetryCall;
  readonly #span: Span | undefined;
  readonly #instruments: GenAiInstruments | undefined;
  readonly #hooks: TelemetryHooks | undefined;
  readonly #started = performance.now();
  #firstChunkMs: number | undefined;
  #ended = false;

  readonly #server: () => ServerAddress | undefined;

  constructor(call: TelemetryCall, span: Span | undefined, instruments: GenAiInstruments | undefined, hooks: TelemetryHooks | undefined, server: () => ServerAddress | undefined) {
    this.#call = call;
    this.#server = server;
    this.#span = span;
    this.#instruments = instruments;
    this.#hooks = hooks;
    if (hooks) callHook(hooks, "onRequest", call);
  }

  get span(): Span | undefined {
    return this.#span;
  }

  /** The first event of a stream arrived. */
  firstChunk(): void {
    if (this.#firstChunkMs !== undefined) return;
    this.#firstChunkMs = performance.now() - this.#started;
    const seconds = this.#firstChunkMs / 1000;
    this.#span?.setAttribute(ATTR.responseTimeToFirstChunk, seconds);
    this.#instruments?.timeToFirstChunk.record(seconds, this.#metricAttributes(undefined, undefined));
  }

  succeed(outcome: CallOutcome): void {
    if (!this.#begin()) return;
    const durationMs = performance.now() - this.#started;
    const { usage, responseModel } = outcome;
    const span = this.#span;
    if (span) {
      if (responseModel) span.setAttribute(ATTR.responseModel, responseModel);
      if (outcome.responseId) span.setAttribute(ATTR.responseId, outcome.responseId);
      if (outcome.finishReasons) span.setAttribute(ATTR.responseFinishReasons, outcome.finishReasons);
      if (usage) span.setAttributes(usageAttributes(usage, this.#call.operation));
      span.end();
    }
    const instruments = this.#instruments;
    if (instruments) {
      const attributes = this.#metricAttributes(responseModel, undefined);
      instruments.operationDuration.record(durationMs / 1000, attributes);
      if (usage) {
        instruments.tokenUsage.record(usage.inputTokens, { ...attributes, [ATTR.tokenType]: "input" });
        if (this.#call.operation === "chat") instruments.tokenUsage.record(usage.outputTokens, { ...attributes, [ATTR.tokenType]: "output" });
      }
    }
    if (this.#hooks) {
      const timing = this.#firstChunkMs !== undefined ? { timeToFirstChunkMs: this.#firstChunkMs } : {};
      callHook(this.#hooks, "onResponse", { ...this.#call, ...definedOnly(outcome), finishReasons: outcome.finishReasons ?? [], durationMs, ...timing });
    }
  }

  fail(thrown: unknown): void {
    if (!this.#begin()) return;
    const durationMs = performance.now() - this.#started;
    const type = errorType(thrown);
    const message = thrown instanceof Error ? thrown.message : String(thrown);
    if (this.#span) {
      this.#span.setAttribute(ATTR.errorType, type);
      this.#span.setStatus({ code: 2 /* SpanStatusCode.ERROR */, message });
      this.#span.end();
    }
    this.#instruments?.operationDuration.record(durationMs / 1000, this.#metricAttributes(undefined, type));
    if (this.#hooks && thrown instanceof MinionError) callHook(this.#hooks, "onError", { ...this.#call, error: thrown, errorType: type, durationMs });
  }

  /** The consumer left a stream before its end: not an error; the span ends as it is. */
  abandon(): void {
    if (!this.#begin()) return;
    this.#span?.end();
  }

  #begin(): boolean {
    if (this.#ended) return false;
    this.#ended = true;
    if (this.#call.serverAddress === undefined) this.#learnServer();
    return true;
  }

  /** The first call of a provider starts before its endpoint is resolved: the address is known by its end. */
  #learnServer(): void {
    const server = this.#server();
    if (!server) return;
    this.#call.serverAddress = server.address;
    this.#call.serverPort = server.port;
    this.#span?.setAttributes({ [ATTR.serverAddress]: server.address, [ATTR.serverPort]: server.port });
  }

  #metricAttributes(responseModel: string | undefined, type: string | undefined): Attributes {
    const call = this.#call;
    const attributes: Attributes = {
      [ATTR.operationName]: call.operation,
      [ATTR.providerName]: call.provider,
      [ATTR.system]: call.provider,
      [ATTR.requestModel]: call.requestModel,
    };
    if (responseModel) attributes[ATTR.responseModel] = responseModel;
    if (call.serverAddress) attributes[ATTR.serverAddress] = call.serverAddress;
    if (call.serverPort !== undefined) attributes[ATTR.serverPort] = call.serverPort;
    if (type) attributes[ATTR.errorType] = type;
    return attributes;
  }
}

function usageAttributes(usage: TelemetryUsage, operation: GenAiOperation): Attributes {
  const attributes: Attributes = { [ATTR.usageInputTokens]: usage.inputTokens };
  if (operation === "chat") attributes[ATTR.usageOutputTokens] = usage.outputTokens;
  if (usage.cacheReadTokens > 0) attributes[ATTR.usageCacheReadInputTokens] = usage.cacheReadTokens;
  if (usage.cacheWriteTokens > 0) attributes[ATTR.usageCacheCreationInputTokens] = usage.cacheWriteTokens;
  return attributes;
}

function definedOnly<T extends object>(object: T): Partial<T> {
  return Object.fromEntries(Object.entries(object).filter(([, value]) => value !== undefined)) as Partial<T>;
}
