/**
 * Plain callbacks for applications without OpenTelemetry. Payloads carry what a span carries (model, server,
 * request parameters, usage, timings, the typed error): never messages, credentials or headers. A hook that
 * throws (or returns a rejected promise) does not break the call: it is reported once as a MinionWarning.
 */
import { ConfigError, type MinionError } from "../../schema/errors.js";
import { warnOnce } from "../../config/warn-once.js";
import type { GenAiOperation } from "./gen-ai-conventions.js";

/** Request parameters as the conventions name them (only those the call set). */
export interface RequestParameters {
  maxTokens?: number;
  temperature?: number;
  topP?: number;
  topK?: number;
  stopSequences?: string[];
}

export interface TelemetryCall {
  operation: GenAiOperation;
  /** Always "aws.bedrock". */
  provider: string;
  /** The model id sent to the service. */
  requestModel: string;
  serverAddress?: string;
  serverPort?: number;
  streaming: boolean;
  request: RequestParameters;
}

export interface TelemetryUsage {
  /** All input tokens, cache reads and writes included. */
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  cacheWriteTokens: number;
}

export interface TelemetryResponse extends TelemetryCall {
  /** The model that answered (with fallbacks, not always the one requested). */
  responseModel?: string;
  responseId?: string;
  finishReasons: string[];
  usage?: TelemetryUsage;
  durationMs: number;
  /** Streams only: from the start of the call to the first event. */
  timeToFirstChunkMs?: number;
}

export interface TelemetryError extends TelemetryCall {
  /** The typed error the call throws (its message is already scrubbed of secrets). */
  error: MinionError;
  /** The same low-cardinality name as the span's `error.type`. */
  errorType: string;
  durationMs: number;
}

export interface TelemetryUsageEvent extends TelemetryUsage {
  provider: string;
  model: string;
}

export interface TelemetryHooks {
  /** Before a call goes out. */
  onRequest?: (call: TelemetryCall) => unknown;
  /** After a call succeeded (a stream: after its final event). */
  onResponse?: (response: TelemetryResponse) => unknown;
  /** After a call failed for good (after its retries). */
  onError?: (failure: TelemetryError) => unknown;
  /** Every time tokens are billed: each call, and each attempt cut mid-stream. */
  onUsage?: (usage: TelemetryUsageEvent) => unknown;
}

export const HOOK_NAMES = ["onRequest", "onResponse", "onError", "onUsage"] as const;

/** Calls a hook; whatever it throws or rejects with becomes a warning. */
export function callHook<Name extends keyof TelemetryHooks>(hooks: TelemetryHooks, name: Name, payload: Parameters<NonNullable<TelemetryHooks[Name]>>[0]): void {
  const hook = hooks[name] as ((value: typeof payload) => unknown) | undefined;
  if (!hook) return;
  try {
    const returned = hook(payload);
    if (returned instanceof Promise) returned.catch((error: unknown) => warnHookFailed(name, error));
  } catch (error) {
    warnHookFailed(name, error);
  }
}

function warnHookFailed(name: string, error: unknown): void {
  const reason = error instanceof Error ? error.message : String(error);
  warnOnce(`telemetry-hook:${name}:${reason}`, `The ${name} telemetry hook threw (${reason}); the call went on without it.`, "MINION_HOOK_FAILED");
}

/** The hooks given in provider options, checked; undefined when none is set. */
export function pickHooks(options: TelemetryHooks | undefined): TelemetryHooks | undefined {
  if (!options) return undefined;
  const hooks: TelemetryHooks = {};
  let any = false;
  for (const name of HOOK_NAMES) {
    const hook = options[name];
    if (hook === undefined) continue;
    if (typeof hook !== "function") throw new ConfigError(`${name} must be a function (a telemetry hook), got ${typeof hook}.`);
    (hooks as Record<string, unknown>)[name] = hook;
    any = true;
  }
  return any ? hooks : undefined;
}
