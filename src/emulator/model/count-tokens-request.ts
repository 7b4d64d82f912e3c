import type { AnswerPlan, AnswerTiming } from "../answer-plan.js";
import { jsonNestedTooDeep, MAX_JSON_NESTING } from "../json-nesting.js";
import { inputTokens } from "./count-tokens.js";
import { decodeBase64, isRecord } from "./json-shape.js";
import { validationError } from "./request-rejected.js";
import type { ResolvedModel } from "./resolve-model-id.js";
import { parseAnthropicBody } from "./validate-anthropic-body.js";
import { parseConverseBody } from "./validate-converse-body.js";

/**
 * CountTokens: `{"input":{"invokeModel":{"body":"<base64 Anthropic body>"}}}` or
 * `{"input":{"converse":{messages, system, toolConfig, additionalModelRequestFields}}}`. The body is
 * validated as InvokeModel / Converse would validate it, and counted with the same counter, so the count
 * equals the input tokens an uncached InvokeModel / Converse call of that body reports. Only Anthropic Claude
 * models count tokens, as on Bedrock, and only by their model id: a cross-region profile id (`us.anthropic...`)
 * or a profile ARN gets the same unsupported-model error (as Bedrock answers them).
 */
export const COUNT_TOKENS_UNSUPPORTED_MESSAGE = "The provided model doesn't support counting tokens.";

export function countTokensPlan(model: ResolvedModel, body: unknown, timing: AnswerTiming): AnswerPlan {
  if (!countsTokens(model)) throw validationError(COUNT_TOKENS_UNSUPPORTED_MESSAGE);
  const input = isRecord(body) && isRecord(body.input) ? body.input : null;
  const keys = input ? Object.keys(input) : [];
  if (!input || keys.length !== 1) throw validationError("The input field must set exactly one of: invokeModel, converse.");
  const conversation = input.invokeModel !== undefined ? parseInvokeModelInput(input.invokeModel, model) : parseConverseInput(input.converse, model);
  const count = inputTokens(conversation);
  return {
    kind: "answer",
    blocks: [],
    stopReason: "end_turn",
    stopSequence: null,
    usage: { inputTokens: count, outputTokens: 0, cacheReadInputTokens: 0, cacheWriteInputTokens: 0 },
    timing,
    countTokens: count,
  };
}

function parseInvokeModelInput(invokeModel: unknown, model: ResolvedModel) {
  const encoded = isRecord(invokeModel) ? invokeModel.body : undefined;
  const bytes = typeof encoded === "string" ? decodeBase64(encoded) : null;
  if (bytes === null) throw validationError("The input.invokeModel.body field must be the base64-encoded InvokeModel request body.");
  const text = bytes.toString("utf8");
  if (jsonNestedTooDeep(text)) {
    throw validationError(`Malformed input request: the input.invokeModel.body is nested more than ${MAX_JSON_NESTING} levels deep, please reformat your input and try again.`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw validationError("Malformed input request: the input.invokeModel.body is not valid JSON, please reformat your input and try again.");
  }
  return parseAnthropicBody(parsed, model);
}

function parseConverseInput(converse: unknown, model: ResolvedModel) {
  if (!isRecord(converse)) throw validationError("The input.converse field must be an object with messages.");
  return parseConverseBody(converse, model, "Converse");
}

function countsTokens(model: ResolvedModel): boolean {
  if (model.family !== "anthropic") return false;
  if (/:(application-)?inference-profile\//.test(model.requested)) return false;
  return model.requested.startsWith("arn:") || model.requested === model.baseId;
}
