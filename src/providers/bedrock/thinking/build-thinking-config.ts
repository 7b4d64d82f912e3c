/**
 * Extended thinking: `thinking: {budgetTokens}` (or `true` for a default budget) becomes Anthropic's
 * `thinking: {type: "enabled", budget_tokens}` on both APIs (InvokeModel body; Converse
 * `additionalModelRequestFields.thinking`). Bedrock requires max_tokens above the budget and rejects
 * temperature / top_p / top_k and forced tool use while thinking, so the plan says what to send instead.
 */
import type { GenerateOptions, ToolChoice } from "../../llm-provider.js";
import { InvalidRequestError } from "../../../schema/errors.js";

/** Budget used for `thinking: true`. */
export const DEFAULT_THINKING_BUDGET = 4096;
/** Smallest budget Bedrock accepts. */
export const MIN_THINKING_BUDGET = 1024;
/** Room left for the answer when max_tokens is unset or not above the budget. */
export const DEFAULT_ANSWER_TOKENS = 4096;

export interface ThinkingPlan {
  budgetTokens: number;
  /** max_tokens to send: the requested value when it is above the budget, otherwise budget + requested (or + 4096). */
  maxTokens: number;
}

/** Undefined when thinking is off. Raises InvalidRequestError for a budget Bedrock would reject. */
export function planThinking(thinking: GenerateOptions["thinking"], maxTokens: number | undefined): ThinkingPlan | undefined {
  if (thinking === undefined || thinking === false) return undefined;
  const budget = thinking === true ? DEFAULT_THINKING_BUDGET : thinking.budgetTokens;
  if (!Number.isInteger(budget) || budget < MIN_THINKING_BUDGET) {
    throw new InvalidRequestError(`thinking.budgetTokens must be a whole number of at least ${MIN_THINKING_BUDGET} (got ${String(budget)}).`);
  }
  const answer = maxTokens ?? DEFAULT_ANSWER_TOKENS;
  return { budgetTokens: budget, maxTokens: answer > budget ? answer : budget + answer };
}

/** The `thinking` field, as Anthropic models read it on InvokeModel and in Converse additionalModelRequestFields. */
export function anthropicThinkingField(plan: ThinkingPlan): { type: "enabled"; budget_tokens: number } {
  return { type: "enabled", budget_tokens: plan.budgetTokens };
}

/** The sampling options of a call (temperature, top_p, top_k), as resolved from the call and the config. */
export interface SamplingOptions {
  temperature?: number;
  topP?: number;
  topK?: number;
}

/** The sampling options to send: none while thinking, as Bedrock rejects them then (on both APIs). */
export function samplingWithThinking(plan: ThinkingPlan | undefined, sampling: SamplingOptions): SamplingOptions {
  return plan === undefined ? sampling : {};
}

/** Forcing a tool ("any" or a named tool) is not allowed with thinking; raise before sending. */
export function checkToolChoiceWithThinking(plan: ThinkingPlan | undefined, toolChoice: ToolChoice | undefined): void {
  if (plan === undefined || toolChoice === undefined) return;
  if (toolChoice === "any" || toolChoice === "required" || typeof toolChoice === "object") {
    throw new InvalidRequestError('toolChoice cannot force a tool while thinking is enabled (Bedrock rejects it); use toolChoice "auto" or turn thinking off.');
  }
}

/** Ids naming a model family other than Anthropic's (base ids, inference profiles, foundation-model ARNs). */
const OTHER_FAMILY = /(^|[.:/])(amazon|meta|mistral|cohere|ai21|deepseek|writer|qwen|openai|stability|twelvelabs|luma)\./i;

/**
 * `thinking` is Anthropic's extended thinking; other families reject the field (a ValidationException from
 * Bedrock). Ids that name no family (application inference profile ARNs) are let through.
 */
export function checkThinkingModel(plan: ThinkingPlan | undefined, model: string): void {
  if (plan === undefined || !OTHER_FAMILY.test(model)) return;
  throw new InvalidRequestError(
    `thinking (extended thinking with a token budget) is a Claude feature; ${model} does not take it on Bedrock. Remove the thinking option, or use an Anthropic Claude model.`,
  );
}
