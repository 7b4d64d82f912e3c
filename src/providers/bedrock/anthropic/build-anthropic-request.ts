/**
 * Builds the Anthropic Messages body for InvokeModel / InvokeModelWithResponseStream. Never contains `model`
 * or `stream` (Bedrock rejects unknown keys; the model is in the path and streaming is the operation).
 */
import type { MessageInput } from "../../../schema/message.js";
import type { GenerateOptions } from "../../llm-provider.js";
import type { AnthropicRequestBody } from "./anthropic-types.js";
import { applyAnthropicFeatures } from "./apply-anthropic-features.js";
import { convertToAnthropicMessages } from "./convert-to-anthropic-messages.js";
import { prepareTools } from "./prepare-tools.js";
import { applyAnthropicResponseFormat } from "../options/apply-response-format.js";
import { resolveCallOptions, type CallDefaults } from "../options/resolve-call-options.js";
import { invokeKnobHeaders, resolveRequestKnobs } from "../options/request-knobs.js";
import { applyAnthropicKnobs } from "./apply-anthropic-knobs.js";
import { mapEffort, type EffortFields } from "../options/map-effort.js";
import { InvalidRequestError } from "../../../schema/errors.js";
import { planThinking, samplingWithThinking } from "../thinking/build-thinking-config.js";

export const ANTHROPIC_VERSION = "bedrock-2023-05-31";

export interface AnthropicRequest {
  body: AnthropicRequestBody;
  /** Stop sequences to enforce on the client (see stop-sequences/split-stop-sequences.ts). */
  clientStops: string[];
  /** Request headers of the knobs (service tier, latency, request metadata). */
  knobHeaders: Record<string, string>;
}

export function buildAnthropicRequest(model: string, messages: readonly MessageInput[], options: GenerateOptions, defaults: CallDefaults): AnthropicRequest {
  const call = resolveCallOptions(model, options, defaults);
  const tools = prepareTools(options.tools, options.toolChoice);
  const prompt = convertToAnthropicMessages(messages, { toolsOffered: tools.tools !== undefined });
  const thinking = planThinking(options.thinking, call.maxTokens);
  const body: AnthropicRequestBody = { anthropic_version: ANTHROPIC_VERSION, max_tokens: call.maxTokens, messages: prompt.messages };
  if (prompt.system.length > 0) {
    body.system = prompt.system.some((block) => block.cache_control) ? prompt.system : prompt.system.map((block) => block.text).join("\n\n");
  }
  const sampling = samplingWithThinking(thinking, call);
  if (sampling.temperature !== undefined) body.temperature = sampling.temperature;
  if (sampling.topP !== undefined) body.top_p = sampling.topP;
  if (sampling.topK !== undefined) body.top_k = sampling.topK;
  // Wire field only: the split, the client-side filter and the reported stop are in stop-sequences/.
  if (call.serverStops.length > 0) body.stop_sequences = call.serverStops;
  if (tools.tools) body.tools = tools.tools;
  if (tools.tool_choice) body.tool_choice = tools.tool_choice;
  applyAnthropicFeatures(body, options, thinking);
  applyAnthropicResponseFormat(body, options.responseFormat);
  const knobs = resolveRequestKnobs(options, defaults);
  applyAnthropicKnobs(body, knobs);
  applyEffort(model, body, mapEffort(model, knobs.effort, options.thinking));
  return { body, clientStops: call.clientStops, knobHeaders: invokeKnobHeaders(knobs) };
}

function applyEffort(model: string, body: AnthropicRequestBody, effort: EffortFields): void {
  if (effort.additionalFields) {
    throw new InvalidRequestError(`${model} reads its effort from Converse fields, not from an Anthropic body: set api: "converse" (or "auto") for it.`);
  }
  if (effort.outputEffort) body.output_config = { ...(body.output_config as object | undefined), effort: effort.outputEffort };
  if (effort.anthropicBeta && !(body.anthropic_beta ?? []).includes(effort.anthropicBeta)) body.anthropic_beta = [...(body.anthropic_beta ?? []), effort.anthropicBeta];
}
