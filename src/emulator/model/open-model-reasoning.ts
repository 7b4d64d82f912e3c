import type { Conversation } from "./conversation.js";
import { modelReturnedError } from "./request-rejected.js";
import type { ResolvedModel } from "./resolve-model-id.js";

/**
 * Reasoning of models other than Claude, read from Converse `additionalModelRequestFields`:
 * - Amazon Nova 2: `reasoningConfig: { type: "enabled" | "disabled", maxReasoningEffort: "low" | "medium" | "high" }`.
 *   Nova 2 Lite returns its reasoning redacted, as the text "[REDACTED]" (AWS Nova 2 user guide, reasoning
 *   capabilities); the tokens are still billed.
 * - OpenAI gpt-oss and DeepSeek V3.x: `reasoning_effort: "low" | "medium" | "high"`.
 * - DeepSeek-R1 always reasons.
 * A malformed value is the model's ValidationException. The effort sets the emulated budget.
 */
const EFFORT_BUDGET: Record<string, number> = { low: 1_024, medium: 4_096, high: 16_384 };
export const NOVA_REDACTED_REASONING = "[REDACTED]";

export function openModelReasoning(model: ResolvedModel, fields: Record<string, unknown> | undefined): Conversation["thinking"] {
  const id = model.baseId ?? model.requested;
  if (model.family === "deepseek" && /(^|[.:/])deepseek\.r1/.test(id)) return { budgetTokens: EFFORT_BUDGET["medium"]! };
  if (!fields) return null;
  if (model.family === "amazon-nova" && /nova-2-/.test(id) && fields.reasoningConfig !== undefined) return novaReasoning(fields.reasoningConfig);
  if ((model.family === "openai" || model.family === "deepseek") && fields.reasoning_effort !== undefined) {
    return { budgetTokens: effortBudget(fields.reasoning_effort, "reasoning_effort") };
  }
  return null;
}

function novaReasoning(config: unknown): Conversation["thinking"] {
  if (config === null || typeof config !== "object" || Array.isArray(config)) throw modelReturnedError("reasoningConfig must be an object.");
  const { type, maxReasoningEffort } = config as Record<string, unknown>;
  if (type !== "enabled" && type !== "disabled") throw modelReturnedError(`reasoningConfig.type must be one of [enabled, disabled] (got ${JSON.stringify(type ?? null)}).`);
  if (type === "disabled") return null;
  return { budgetTokens: effortBudget(maxReasoningEffort ?? "low", "reasoningConfig.maxReasoningEffort"), displayText: NOVA_REDACTED_REASONING };
}

function effortBudget(effort: unknown, field: string): number {
  const budget = typeof effort === "string" ? EFFORT_BUDGET[effort] : undefined;
  if (budget === undefined || !Object.hasOwn(EFFORT_BUDGET, effort as string)) throw modelReturnedError(`${field} must be one of [low, medium, high] (got ${JSON.stringify(effort)}).`);
  return budget;
}
