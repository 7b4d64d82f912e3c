import type { Operation } from "../answer-plan.js";
import type { Conversation, ConversationMessage } from "./conversation.js";
import { TEMPERATURE_WITH_TOP_P_MESSAGE, rejectsTemperatureWithTopP } from "./claude-model-rules.js";
import { checkPrefill, checkThinkingTurn, checkToolPairing } from "./check-conversation-rules.js";
import { convertConverseMessages, convertConverseSystem } from "./convert-converse-content.js";
import { isRecord } from "./json-shape.js";
import { checkGuardrailIdentifier } from "./guardrail.js";
import { RequestRejected, constraintError, modelReturnedError, validationError } from "./request-rejected.js";
import type { ResolvedModel } from "./resolve-model-id.js";
import { ALLOWED_KEYS } from "./validate-anthropic-body.js";
import { convertAnthropicThinking } from "./validate-anthropic-tools.js";
import { convertConverseToolConfig } from "./validate-converse-tools.js";
import { openModelReasoning } from "./open-model-reasoning.js";
import { anthropicOutputSchema, converseOutputSchema } from "./output-format.js";

/**
 * The Converse / ConverseStream body (and the `converse` input of CountTokens). Converse works for every
 * model family; Claude-only settings (thinking in additionalModelRequestFields) are checked as Claude checks
 * them and reported as "The model returned the following errors: ...".
 */

/** maxTokens when inferenceConfig gives none. */
export const DEFAULT_MAX_TOKENS = 4096;

export function parseConverseBody(body: unknown, model: ResolvedModel, operation: Operation): Conversation {
  if (!isRecord(body)) throw validationError("The request body must be a JSON object.");
  const cachePoints = { count: 0 };
  const acceptsMedia = model.family === "amazon-nova";
  const messages = convertConverseMessages(body.messages, { acceptsMedia, verifiesSignatures: model.family === "anthropic", cachePoints });
  const system = convertConverseSystem(body.system, cachePoints);
  const forcedChoice = model.family === "anthropic" || model.family === "amazon-nova" || model.family === "mistral";
  const toolConfig = convertConverseToolConfig(body.toolConfig, forcedChoice, cachePoints, model.family === "anthropic");
  if (!toolConfig && usesToolBlocks(messages)) {
    throw validationError("The toolConfig field must be defined when using toolUse and toolResult content blocks.");
  }
  if (cachePoints.count > 4) throw validationError(`The number of cachePoint blocks (${cachePoints.count}) exceeds the maximum of 4. Remove some cachePoint blocks and try again.`);
  const inference = convertInferenceConfig(body.inferenceConfig);
  if (inference.temperature !== undefined && inference.topP !== undefined && rejectsTemperatureWithTopP(model)) {
    throw modelReturnedError(TEMPERATURE_WITH_TOP_P_MESSAGE);
  }
  const conversation: Conversation = {
    format: "converse",
    system,
    messages,
    tools: toolConfig?.tools ?? [],
    toolChoice: toolConfig?.toolChoice ?? { type: "auto" },
    maxTokens: inference.maxTokens,
    stopSequences: inference.stopSequences,
    thinking: null,
    guardrail: convertGuardrailConfig(body.guardrailConfig, operation),
  };
  const fields = body.additionalModelRequestFields;
  if (fields !== undefined && !isRecord(fields)) throw validationError("The additionalModelRequestFields field must be a JSON object.");
  if (model.family === "anthropic" && fields) conversation.thinking = claudeThinking(fields, inference, conversation);
  else if (model.family !== "anthropic") conversation.thinking = openModelReasoning(model, fields);
  conversation.outputSchema = converseOutputSchema(body.outputConfig, model.family === "anthropic") ?? (model.family === "anthropic" && fields ? claudeOutputSchema(fields) : null);
  checkToolPairing(messages, "converse");
  if (model.family === "anthropic") checkPrefill(messages, "converse");
  if (conversation.thinking && model.family === "anthropic") checkThinkingTurn(messages, "converse");
  return conversation;
}

function usesToolBlocks(messages: ConversationMessage[]): boolean {
  return messages.some((message) => message.parts.some((part) => part.kind === "tool_use" || part.kind === "tool_result"));
}

interface InferenceSettings {
  maxTokens: number;
  temperature?: number;
  topP?: number;
  stopSequences: string[];
}

function convertInferenceConfig(config: unknown): InferenceSettings {
  if (config === undefined || config === null) return { maxTokens: DEFAULT_MAX_TOKENS, stopSequences: [] };
  if (!isRecord(config)) throw validationError("The inferenceConfig field must be a JSON object.");
  const { maxTokens, temperature, topP, stopSequences } = config;
  if (maxTokens !== undefined && (typeof maxTokens !== "number" || !Number.isInteger(maxTokens) || maxTokens < 1)) {
    throw constraintError(maxTokens, "inferenceConfig.maxTokens", "Member must have value greater than or equal to 1");
  }
  checkRange(temperature, "inferenceConfig.temperature");
  checkRange(topP, "inferenceConfig.topP");
  if (stopSequences !== undefined) {
    if (!Array.isArray(stopSequences) || stopSequences.some((stop) => typeof stop !== "string" || stop.length === 0)) {
      throw constraintError(stopSequences, "inferenceConfig.stopSequences", "Member must be a list of non-empty strings");
    }
    if (stopSequences.length > 2500) throw constraintError(stopSequences.length, "inferenceConfig.stopSequences", "Member must have length less than or equal to 2500");
  }
  return {
    maxTokens: (maxTokens as number | undefined) ?? DEFAULT_MAX_TOKENS,
    temperature: temperature as number | undefined,
    topP: topP as number | undefined,
    stopSequences: (stopSequences as string[] | undefined) ?? [],
  };
}

function checkRange(value: unknown, path: string): void {
  if (value === undefined) return;
  if (typeof value !== "number" || !Number.isFinite(value)) throw constraintError(value, path, "Member must be a number");
  if (value < 0) throw constraintError(value, path, "Member must have value greater than or equal to 0");
  if (value > 1) throw constraintError(value, path, "Member must have value less than or equal to 1");
}

function convertGuardrailConfig(config: unknown, operation: Operation): Conversation["guardrail"] {
  if (config === undefined || config === null) return null;
  if (!isRecord(config)) throw validationError("The guardrailConfig field must be a JSON object.");
  const { guardrailIdentifier, guardrailVersion, trace, streamProcessingMode } = config;
  if (typeof guardrailIdentifier !== "string" || guardrailIdentifier.length === 0) {
    throw constraintError(null, "guardrailConfig.guardrailIdentifier", "Member must not be null");
  }
  checkGuardrailIdentifier(guardrailIdentifier, "guardrailConfig.guardrailIdentifier");
  if (typeof guardrailVersion !== "string" || !/^(DRAFT|[1-9][0-9]{0,7})$/.test(guardrailVersion)) {
    throw constraintError(guardrailVersion ?? null, "guardrailConfig.guardrailVersion", "Member must satisfy regular expression pattern: (([1-9][0-9]{0,7})|(DRAFT))");
  }
  if (trace !== undefined && trace !== "enabled" && trace !== "disabled" && trace !== "enabled_full") {
    throw constraintError(trace, "guardrailConfig.trace", "Member must satisfy enum value set: [enabled, disabled, enabled_full]");
  }
  if (streamProcessingMode !== undefined) {
    if (operation !== "ConverseStream") throw validationError("The guardrailConfig.streamProcessingMode field is only valid for ConverseStream.");
    if (streamProcessingMode !== "sync" && streamProcessingMode !== "async") {
      throw constraintError(streamProcessingMode, "guardrailConfig.streamProcessingMode", "Member must satisfy enum value set: [sync, async]");
    }
  }
  return { identifier: guardrailIdentifier, version: guardrailVersion };
}

/** Claude's own output_config.format, passed through additionalModelRequestFields (the AI SDK sends it so). */
function claudeOutputSchema(fields: Record<string, unknown>): Record<string, unknown> | null {
  try {
    return anthropicOutputSchema(fields.output_config);
  } catch (error) {
    if (error instanceof RequestRejected) throw modelReturnedError(error.plan.message);
    throw error;
  }
}

function claudeThinking(fields: Record<string, unknown>, inference: InferenceSettings, conversation: Conversation): Conversation["thinking"] {
  const extraneous = Object.keys(fields).filter((key) => !ALLOWED_KEYS.has(key));
  if (extraneous.length > 0) {
    const violations = extraneous.map((key) => `#: extraneous key [${key}] is not permitted`).join("");
    throw modelReturnedError(`Malformed input request: ${violations}, please reformat your input and try again.`);
  }
  const topK = fields.top_k;
  if (topK !== undefined && (typeof topK !== "number" || topK < 0)) throw modelReturnedError(`top_k: Input should be greater than or equal to 0`);
  try {
    return convertAnthropicThinking(fields.thinking, {
      maxTokens: inference.maxTokens,
      temperature: inference.temperature,
      topP: inference.topP,
      topK: topK as number | undefined,
      toolChoice: conversation.toolChoice,
    });
  } catch (error) {
    if (error instanceof RequestRejected) throw modelReturnedError(error.plan.message);
    throw error;
  }
}
