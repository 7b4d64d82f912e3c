/**
 * What `thinking` means for the models that set their reasoning by effort instead of a token budget (Amazon
 * Nova 2, OpenAI gpt-oss, DeepSeek; which ones, and where the effort goes, is options/map-effort.ts): a budget
 * is refused, and `thinking: true` asks for effort "medium" unless `effort` is given.
 */
import type { GenerateOptions } from "../../llm-provider.js";
import { InvalidRequestError } from "../../../schema/errors.js";
import type { Effort } from "../options/request-knobs.js";

const DEFAULT_REASONING_EFFORT: Effort = "medium";

/** The effort asked of such a model (undefined: none); InvalidRequestError for `thinking: { budgetTokens }`. */
export function effortOfThinking(model: string, thinking: GenerateOptions["thinking"], effort: Effort | undefined): Effort | undefined {
  if (typeof thinking === "object" && thinking !== null) {
    throw new InvalidRequestError(`${model} sets its reasoning by effort, not by a token budget: use effort: "low" | "medium" | "high" (or thinking: true) instead of thinking.budgetTokens.`);
  }
  return effort ?? (thinking === true ? DEFAULT_REASONING_EFFORT : undefined);
}
