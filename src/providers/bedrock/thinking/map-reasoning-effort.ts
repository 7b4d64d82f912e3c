/**
 * Reasoning on models other than Claude, sent in Converse `additionalModelRequestFields` in each family's own
 * field:
 * - Amazon Nova 2: `reasoningConfig: { type: "enabled", maxReasoningEffort: "low" | "medium" | "high" }`
 *   (AWS Nova 2 user guide, extended thinking; AWS CLI example `--additional-model-request-fields`).
 * - OpenAI gpt-oss: `reasoning_effort: "low" | "medium" | "high"` (Bedrock passes OpenAI chat-completion
 *   fields through additionalModelRequestFields).
 * - DeepSeek V3.x: `reasoning_effort` as well. DeepSeek-R1 always reasons and takes no setting.
 * `thinking: true` asks for the default effort ("medium"); a token budget is Claude's and is refused here.
 */
import type { GenerateOptions } from "../../llm-provider.js";
import { InvalidRequestError } from "../../../schema/errors.js";
import { isAnthropicModel } from "../select-bedrock-api.js";

export const REASONING_EFFORTS = ["low", "medium", "high"] as const;
export type ReasoningEffort = (typeof REASONING_EFFORTS)[number];
const DEFAULT_EFFORT: ReasoningEffort = "medium";

type Family = "nova-2" | "gpt-oss" | "deepseek-v3" | "deepseek-r1";

function familyOf(model: string): Family | undefined {
  if (/(^|[.:/])amazon\.nova-2-/i.test(model)) return "nova-2";
  if (/(^|[.:/])openai\.gpt-oss-/i.test(model)) return "gpt-oss";
  if (/(^|[.:/])deepseek\.r1/i.test(model)) return "deepseek-r1";
  if (/(^|[.:/])deepseek\.v3/i.test(model)) return "deepseek-v3";
  return undefined;
}

/** True when the model's reasoning is set by effort (so `thinking` maps here instead of to Claude's budget). */
export function reasonsByEffort(model: string): boolean {
  return familyOf(model) !== undefined;
}

/**
 * The additionalModelRequestFields entries for `thinking` / `reasoningEffort`, or undefined when neither is
 * set (`thinking` on other models is Claude's budget: not handled here). Raises InvalidRequestError for a
 * value or model that cannot take them.
 */
export function reasoningEffortFields(model: string, options: Pick<GenerateOptions, "thinking" | "reasoningEffort">): Record<string, unknown> | undefined {
  const effort = checkEffort(options.reasoningEffort);
  const { thinking } = options;
  const family = familyOf(model);
  if (effort === undefined && (family === undefined || thinking === undefined || thinking === false)) return undefined;
  if (family === undefined) {
    const hint = isAnthropicModel(model) ? "For Claude use thinking: { budgetTokens }." : "Remove the option, or use a model that reasons (Nova 2, gpt-oss, DeepSeek, Claude).";
    throw new InvalidRequestError(`reasoningEffort is for Amazon Nova 2, OpenAI gpt-oss and DeepSeek models; ${model} does not take it. ${hint}`);
  }
  if (typeof thinking === "object" && thinking !== null) {
    throw new InvalidRequestError(`${model} sets its reasoning by effort, not by a token budget: use reasoningEffort: "low" | "medium" | "high" (or thinking: true) instead of thinking.budgetTokens.`);
  }
  if (family === "deepseek-r1") {
    if (effort !== undefined) throw new InvalidRequestError(`${model} always reasons and takes no reasoning effort; remove reasoningEffort.`);
    return {};
  }
  const level = effort ?? DEFAULT_EFFORT;
  if (family === "nova-2") return { reasoningConfig: { type: "enabled", maxReasoningEffort: level } };
  return { reasoning_effort: level };
}

function checkEffort(effort: unknown): ReasoningEffort | undefined {
  if (effort === undefined) return undefined;
  if (typeof effort === "string" && (REASONING_EFFORTS as readonly string[]).includes(effort)) return effort as ReasoningEffort;
  throw new InvalidRequestError(`reasoningEffort must be "low", "medium" or "high" (got ${JSON.stringify(effort)}).`);
}
