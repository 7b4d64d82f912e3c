/**
 * The feature options of a call applied to an Anthropic Messages body (InvokeModel path): extended thinking
 * (`thinking`, max_tokens above the budget, no forced tool), prompt-cache points from the `cache` option, and
 * the check that documents are ones Claude's own API takes.
 */
import type { GenerateOptions } from "../../llm-provider.js";
import type { AnthropicRequestBody } from "./anthropic-types.js";
import { applyAnthropicCachePoints } from "../options/apply-cache-points.js";
import { anthropicThinkingField, checkToolChoiceWithThinking, type ThinkingPlan } from "../thinking/build-thinking-config.js";
import { checkAnthropicDocuments } from "../media/convert-document.js";

export function applyAnthropicFeatures(body: AnthropicRequestBody, options: GenerateOptions, thinking: ThinkingPlan | undefined): AnthropicRequestBody {
  if (thinking) {
    checkToolChoiceWithThinking(thinking, options.toolChoice);
    body.thinking = anthropicThinkingField(thinking);
    body.max_tokens = thinking.maxTokens;
  }
  applyAnthropicCachePoints(body, options.cache);
  checkAnthropicDocuments(body);
  return body;
}
