import { TEMPERATURE_WITH_TOP_P_MESSAGE, rejectsTemperatureWithTopP } from "./claude-model-rules.js";
import type { Conversation } from "./conversation.js";
import { toolNames } from "./conversation.js";
import { checkPrefill, checkThinkingTurn, checkToolPairing } from "./check-conversation-rules.js";
import { convertAnthropicMessages, convertAnthropicSystem, type CacheCounter } from "./convert-anthropic-content.js";
import { isRecord, jsonTypeName } from "./json-shape.js";
import { malformedInput, validationError } from "./request-rejected.js";
import type { ResolvedModel } from "./resolve-model-id.js";
import { convertAnthropicThinking, convertAnthropicToolChoice, convertAnthropicTools } from "./validate-anthropic-tools.js";

/**
 * The Anthropic Messages body of InvokeModel / InvokeModelWithResponseStream. Two layers, like Bedrock:
 * first Bedrock's JSON-schema check ("Malformed input request: #: required key [max_tokens] not found, ..."),
 * then Anthropic's own checks ("messages: text content blocks must be non-empty").
 */

export const ALLOWED_KEYS: ReadonlySet<string> = new Set([
  "anthropic_version",
  "anthropic_beta",
  "max_tokens",
  "system",
  "messages",
  "temperature",
  "top_p",
  "top_k",
  "stop_sequences",
  "tools",
  "tool_choice",
  "thinking",
  "metadata",
  "output_config",
]);

type Kind = "string" | "integer" | "number" | "array" | "object" | "string|array";

const KEY_TYPES: Record<string, Kind> = {
  anthropic_version: "string",
  anthropic_beta: "array",
  max_tokens: "integer",
  system: "string|array",
  messages: "array",
  temperature: "number",
  top_p: "number",
  top_k: "integer",
  stop_sequences: "array",
  tools: "array",
  tool_choice: "object",
  thinking: "object",
  metadata: "object",
  output_config: "object",
};

const EXPECTED_NAME: Record<Kind, string> = {
  string: "String",
  integer: "Integer",
  number: "Number",
  array: "JSONArray",
  object: "JSONObject",
  "string|array": "String or JSONArray",
};

function hasKind(value: unknown, kind: Kind): boolean {
  switch (kind) {
    case "string":
      return typeof value === "string";
    case "integer":
      return typeof value === "number" && Number.isInteger(value);
    case "number":
      return typeof value === "number" && Number.isFinite(value);
    case "array":
      return Array.isArray(value);
    case "object":
      return isRecord(value);
    case "string|array":
      return typeof value === "string" || Array.isArray(value);
  }
}

/** Bedrock's JSON-schema layer: every violation, in one message. */
export function schemaViolations(body: unknown): string[] {
  if (!isRecord(body)) return [`#: expected type: JSONObject, found: ${jsonTypeName(body)}`];
  const violations: string[] = [];
  for (const key of ["anthropic_version", "max_tokens", "messages"]) {
    if (body[key] === undefined) violations.push(`#: required key [${key}] not found`);
  }
  for (const key of Object.keys(body)) {
    if (!ALLOWED_KEYS.has(key)) violations.push(`#: extraneous key [${key}] is not permitted`);
  }
  for (const [key, kind] of Object.entries(KEY_TYPES)) {
    const value = body[key];
    if (value !== undefined && !hasKind(value, kind)) violations.push(`#/${key}: expected type: ${EXPECTED_NAME[kind]}, found: ${jsonTypeName(value)}`);
  }
  if (violations.length > 0) return violations;
  return rangeViolations(body);
}

function rangeViolations(body: Record<string, unknown>): string[] {
  const violations: string[] = [];
  const atLeast = (key: string, min: number) => {
    const value = body[key];
    if (typeof value === "number" && value < min) violations.push(`#/${key}: ${value} is not greater or equal to ${min}`);
  };
  const atMost = (key: string, max: number) => {
    const value = body[key];
    if (typeof value === "number" && value > max) violations.push(`#/${key}: ${value} is not less or equal to ${max}`);
  };
  atLeast("max_tokens", 1);
  atLeast("temperature", 0);
  atMost("temperature", 1);
  atLeast("top_p", 0);
  atMost("top_p", 1);
  atLeast("top_k", 0);
  const stops = body.stop_sequences;
  if (Array.isArray(stops)) {
    stops.forEach((stop, index) => {
      if (typeof stop !== "string") violations.push(`#/stop_sequences/${index}: expected type: String, found: ${jsonTypeName(stop)}`);
    });
  }
  return violations;
}

/** Validates an InvokeModel Anthropic body and converts it; throws RequestRejected with Bedrock's wording. */
export function parseAnthropicBody(body: unknown, model?: ResolvedModel): Conversation {
  const violations = schemaViolations(body);
  if (violations.length > 0) throw malformedInput(violations);
  const request = body as Record<string, unknown>;
  if (request.temperature !== undefined && request.top_p !== undefined && rejectsTemperatureWithTopP(model)) {
    throw validationError(TEMPERATURE_WITH_TOP_P_MESSAGE);
  }
  const cache: CacheCounter = { count: 0 };
  const tools = convertAnthropicTools(request.tools as unknown[] | undefined, cache);
  const system = convertAnthropicSystem(request.system, cache);
  const messages = convertAnthropicMessages(request.messages as unknown[], cache);
  if (cache.count > 4) throw validationError(`A maximum of 4 blocks with cache_control may be provided. Found ${cache.count}.`);
  const draft: Conversation = {
    format: "anthropic",
    system,
    messages,
    tools,
    toolChoice: { type: "auto" },
    maxTokens: request.max_tokens as number,
    stopSequences: ((request.stop_sequences as string[] | undefined) ?? []).filter((stop) => stop.length > 0),
    thinking: null,
    guardrail: null,
  };
  draft.toolChoice = convertAnthropicToolChoice(request.tool_choice, toolNames(draft));
  draft.thinking = convertAnthropicThinking(request.thinking, {
    maxTokens: draft.maxTokens,
    temperature: request.temperature as number | undefined,
    topP: request.top_p as number | undefined,
    topK: request.top_k as number | undefined,
    toolChoice: draft.toolChoice,
  });
  checkToolPairing(messages, "anthropic");
  checkPrefill(messages, "anthropic");
  if (draft.thinking) checkThinkingTurn(messages, "anthropic");
  return draft;
}
