/**
 * Builds the Converse / ConverseStream input for any Bedrock model: messages and system (converted to the
 * internal NormalizedPrompt, Anthropic's Messages shape, by the same code and repairs as the InvokeModel path,
 * then translated to Converse), toolConfig, inferenceConfig, top_k, thinking and the effort fields of
 * models that reason by effort in additionalModelRequestFields, `outputConfig.effort`, cache points, guardrailConfig, and the response field path that reports
 * which stop sequence ended an Anthropic model's answer (stop-sequences/reported-stop-sequence.ts).
 */
import type { ConverseCommandInput, InferenceConfiguration } from "@aws-sdk/client-bedrock-runtime";
import type { MessageInput } from "../../../schema/message.js";
import type { GenerateOptions } from "../../llm-provider.js";
import { cacheTargets, checkCachePointCount, converseCachePoint } from "../options/apply-cache-points.js";
import { anthropicThinkingField, checkThinkingModel, checkToolChoiceWithThinking, planThinking, samplingWithThinking } from "../thinking/build-thinking-config.js";
import { convertToAnthropicMessages } from "../anthropic/convert-to-anthropic-messages.js";
import { guardrailConverseConfig } from "../options/map-guardrail.js";
import { applyConverseResponseFormat } from "../options/apply-response-format.js";
import { resolveCallOptions, type CallDefaults } from "../options/resolve-call-options.js";
import { stopSequenceFieldPaths } from "../stop-sequences/reported-stop-sequence.js";
import { mapEffort, reasonsByEffort } from "../options/map-effort.js";
import { convertToConverseMessages } from "./convert-to-converse-messages.js";
import { prepareConverseTools } from "./prepare-converse-tools.js";
import { resolveRequestKnobs } from "../options/request-knobs.js";
import { applyConverseKnobs } from "./apply-converse-knobs.js";

export interface ConverseRequest {
  input: ConverseCommandInput;
  /** Every stop sequence, enforced on the client too. */
  clientStops: string[];
}

function countCachePoints(input: ConverseCommandInput): number {
  const blocks: object[] = [...(input.system ?? []), ...(input.toolConfig?.tools ?? []), ...(input.messages ?? []).flatMap((m) => m.content ?? [])];
  return blocks.filter((block) => "cachePoint" in block).length;
}

/** The blocks followed by one cache point (not a second one when a part's mark already ends them). */
function withCachePoint<T extends object>(blocks: T[]): T[] {
  const end = blocks[blocks.length - 1];
  return end !== undefined && "cachePoint" in end ? blocks : [...blocks, converseCachePoint() as T];
}

function topKField(model: string, topK: number): Record<string, unknown> {
  // Amazon Nova reads top_k from its own inferenceConfig; Anthropic, Mistral and others from top_k.
  return /(^|[.:/])amazon\.nova/i.test(model) ? { inferenceConfig: { topK } } : { top_k: topK };
}

export function buildConverseRequest(model: string, messages: readonly MessageInput[], options: GenerateOptions, defaults: CallDefaults): ConverseRequest {
  const call = resolveCallOptions(model, options, defaults);
  const explicitMax = options.maxTokens ?? options.max_tokens ?? defaults.maxTokens;
  const knobs = resolveRequestKnobs(options, defaults);
  const effort = mapEffort(model, knobs.effort, options.thinking);
  const thinking = reasonsByEffort(model) ? undefined : planThinking(options.thinking, explicitMax === undefined ? undefined : call.maxTokens);
  checkThinkingModel(thinking, model);
  checkToolChoiceWithThinking(thinking, options.toolChoice);
  const targets = cacheTargets(options.cache);
  const tools = prepareConverseTools(options.tools, options.toolChoice, targets.tools);
  const prompt = convertToConverseMessages(convertToAnthropicMessages(messages, { toolsOffered: tools.toolConfig !== undefined }));

  const input: ConverseCommandInput = { modelId: model, messages: prompt.messages };
  if (prompt.system.length > 0) input.system = targets.system ? withCachePoint(prompt.system) : prompt.system;
  const last = prompt.messages[prompt.messages.length - 1];
  if (targets.messages && last?.content) last.content = withCachePoint(last.content);
  if (tools.toolConfig) input.toolConfig = tools.toolConfig;

  const sampling = samplingWithThinking(thinking, call);
  const inference: InferenceConfiguration = {};
  const maxTokens = thinking?.maxTokens ?? (explicitMax === undefined ? undefined : call.maxTokens);
  if (maxTokens !== undefined) inference.maxTokens = maxTokens;
  if (sampling.temperature !== undefined) inference.temperature = sampling.temperature;
  if (sampling.topP !== undefined) inference.topP = sampling.topP;
  // Wire field only: the split, the client-side filter and the reported stop are in stop-sequences/.
  if (call.serverStops.length > 0) inference.stopSequences = call.serverStops;
  if (Object.keys(inference).length > 0) input.inferenceConfig = inference;

  const additional: Record<string, unknown> = {};
  if (sampling.topK !== undefined) Object.assign(additional, topKField(model, sampling.topK));
  if (thinking) additional["thinking"] = anthropicThinkingField(thinking);
  if (effort.additionalFields) Object.assign(additional, effort.additionalFields);
  if (Object.keys(additional).length > 0) input.additionalModelRequestFields = additional as never;
  const responseFieldPaths = stopSequenceFieldPaths(model, call.serverStops);
  if (responseFieldPaths.length > 0) input.additionalModelResponseFieldPaths = responseFieldPaths;

  const guardrail = guardrailConverseConfig(options.guardrail);
  if (guardrail) input.guardrailConfig = guardrail;
  applyConverseResponseFormat(input, options.responseFormat);
  checkCachePointCount(countCachePoints(input));
  if (effort.outputEffort) input.outputConfig = { ...input.outputConfig, effort: effort.outputEffort } as never;
  applyConverseKnobs(input, knobs);
  return { input, clientStops: call.clientStops };
}
