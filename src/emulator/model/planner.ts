import { ConfigError } from "../../schema/errors.js";
import type { AnswerTiming, EmulatorRequest, Plan, PlanRequest } from "../answer-plan.js";
import { buildAnswer } from "./build-answer.js";
import type { Conversation } from "./conversation.js";
import { checkContextWindow } from "./context-window.js";
import { countTokensPlan } from "./count-tokens-request.js";
import { RateFaults, type StreamFaultType } from "./faults.js";
import { guardrailFromHeaders } from "./guardrail.js";
import { loadScript, validateScript } from "./load-script.js";
import { PromptCache } from "./prompt-cache.js";
import { RequestRejected, validationError } from "./request-rejected.js";
import { resolveModelId, type ResolvedModel } from "./resolve-model-id.js";
import { checkOnDemandThroughput } from "./profile-only-models.js";
import { RequestRateLimit } from "./request-rate-limit.js";
import { retrievalModelFor, retrievalPlan } from "./retrieval-models.js";
import { ScriptBook } from "./script-rules.js";
import { scriptDefaultsSchema, type Script, type ScriptDefaults, type ScriptInput } from "./script-schema.js";
import { parseAnthropicBody } from "./validate-anthropic-body.js";
import { parseConverseBody } from "./validate-converse-body.js";
import { checkConverseKnobs, checkInvokeKnobs } from "./validate-request-knobs.js";
import { isRecord } from "./json-shape.js";

export interface ModelOptions {
  /** A script file (.yaml, .yml, .json) or a script object; see docs/emulator-scripts.md. */
  script?: string | ScriptInput;
  /** Delay before the first response byte (default 0). */
  firstByteLatencyMs?: number;
  /** Delay between stream frames (default 0). */
  chunkDelayMs?: number;
  /** Delta frames per answer text (default 8). */
  chunksPerAnswer?: number;
  /** Share of requests answered with ThrottlingException 429 (0..1). */
  throttleRate?: number;
  /** Share of requests answered with InternalServerException 500 or ServiceUnavailableException 503 (0..1). */
  errorRate?: number;
  /** Share of streaming requests that break mid-stream (0..1), with a fault drawn from `faultTypes`. */
  faultRate?: number;
  /** Fault kinds `faultRate` draws from (default ["reset"]). */
  faultTypes?: StreamFaultType[];
  /** Retry-After seconds sent with rate throttling (default 1). */
  retryAfterSeconds?: number;
  /** Seed of the PRNG behind the rates (default 1): the same seed gives the same faults. */
  seed?: number;
  /** Requests per second per model id answered; above it, ThrottlingException 429 (default: no limit). */
  maxRequestsPerSecond?: number;
  /** Base model ids served only through inference profiles: called by base id they get Bedrock's on-demand-throughput ValidationException. */
  profileOnlyModels?: string[];
  /** Most prompt-cache prefixes kept (default 1024). */
  promptCacheCapacity?: number;
}

/**
 * Creates the model side of the emulator: a function answering each authenticated request with a plan.
 * Each planner keeps its own state (prompt cache, script rule counters, PRNG).
 */
export function createPlanner(options: ModelOptions = {}): PlanRequest {
  const script = resolveScript(options.script);
  const settings = { ...script.defaults, ...checkOptions(options) };
  const timing: AnswerTiming = {
    firstByteLatencyMs: settings.firstByteLatencyMs ?? 0,
    chunkDelayMs: settings.chunkDelayMs ?? 0,
    chunksPerAnswer: settings.chunksPerAnswer ?? 8,
  };
  const rates = new RateFaults(settings);
  const book = new ScriptBook(script.rules);
  const cache = new PromptCache(options.promptCacheCapacity ?? 1024);
  const quota = settings.maxRequestsPerSecond !== undefined ? new RequestRateLimit(settings.maxRequestsPerSecond) : undefined;
  const profileOnly = new Set(settings.profileOnlyModels ?? []);

  return (request: EmulatorRequest): Plan => {
    try {
      const retrieval = request.operation === "InvokeModel" ? retrievalModelFor(request.modelId) : undefined;
      const model = retrieval ? null : resolveModelId(request.modelId);
      if (model) checkOnDemandThroughput(model, profileOnly);
      const rateError = quota?.check(request.modelId) ?? rates.errorBeforeAnswer();
      if (rateError) return { ...rateError, timing: { firstByteLatencyMs: timing.firstByteLatencyMs } };
      if (model === null) return retrievalPlan(retrieval!, request.body, timing);
      if (request.operation === "CountTokens") return countTokensPlan(model, request.body, timing);
      const conversation = parseConversation(model, request);
      checkContextWindow(model, request.operation, request.body, conversation);
      const respond = book.respond({ operation: request.operation, model, conversation });
      const cacheScope = model.baseId ?? model.requested;
      const retryAfterSeconds = settings.retryAfterSeconds ?? 1;
      return buildAnswer({ operation: request.operation, cacheScope, conversation, respond, timing, cache, rates, retryAfterSeconds });
    } catch (error) {
      if (error instanceof RequestRejected) return { ...error.plan, timing: { firstByteLatencyMs: timing.firstByteLatencyMs } };
      throw error;
    }
  };
}

function parseConversation(model: ResolvedModel, request: EmulatorRequest): Conversation {
  if (model.embedding) {
    throw validationError("This action doesn't support the model that you provided. Try again with a supported text or chat model.");
  }
  if (request.operation === "Converse" || request.operation === "ConverseStream") {
    if (isRecord(request.body)) checkConverseKnobs(request.body, model);
    return parseConverseBody(request.body, model, request.operation);
  }
  if (model.family !== "anthropic") {
    throw validationError(
      `Malformed input request: the minion-ts emulator answers InvokeModel only with the Anthropic Claude Messages body; use Converse or ConverseStream for ${model.requested}, please reformat your input and try again.`,
    );
  }
  const conversation = parseAnthropicBody(request.body, model);
  checkInvokeKnobs(request.headers ?? {}, request.body as Record<string, unknown>, model);
  conversation.guardrail = guardrailFromHeaders(request.headers ?? {});
  return conversation;
}

function resolveScript(script: ModelOptions["script"]): Script {
  if (script === undefined) return { defaults: {}, rules: [] };
  return typeof script === "string" ? loadScript(script) : validateScript(script);
}

/** The numeric options, checked with the same rules as a script's `defaults`. */
function checkOptions(options: ModelOptions): ScriptDefaults {
  const { script: _script, promptCacheCapacity, ...rest } = options;
  if (promptCacheCapacity !== undefined && !(Number.isInteger(promptCacheCapacity) && promptCacheCapacity >= 1)) {
    throw new ConfigError(`Emulator option promptCacheCapacity must be a whole number of at least 1, got ${String(promptCacheCapacity)}.`);
  }
  const defined = Object.fromEntries(Object.entries(rest).filter(([, value]) => value !== undefined));
  const result = scriptDefaultsSchema.safeParse(defined);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const key = String(issue?.path[0] ?? "options");
  throw new ConfigError(`Emulator option ${key}: ${issue?.message ?? "invalid"} (got ${JSON.stringify(defined[key])}).`);
}
