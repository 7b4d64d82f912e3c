/**
 * Which model id CountTokens is asked for, and when not to ask. Bedrock counts tokens for Anthropic Claude
 * models only, called by their model id: a cross-region profile id (`us.anthropic.claude-...`) or a profile ARN
 * is answered "The provided model doesn't support counting tokens." So a profile id is counted as its base id
 * (the same model and tokenizer); other families, and application inference profile ARNs (which do not name
 * their model), are estimated without a call.
 */
import { BedrockServiceError } from "../../../schema/errors.js";
import { isAnthropicModel } from "../select-bedrock-api.js";

const PROFILE_PREFIX = /^(us-gov|us|eu|apac|au|jp|ca|global)\.(?=anthropic\.)/;

export type CountTokensTarget = { modelId: string } | { unsupported: string };

export function countTokensTarget(model: string): CountTokensTarget {
  if (/^arn:[^:]+:bedrock:[^:]*:[^:]*:application-inference-profile\//.test(model)) {
    return { unsupported: "Bedrock's CountTokens does not take application inference profile ARNs" };
  }
  if (!isAnthropicModel(model)) return { unsupported: `Bedrock's CountTokens supports Anthropic Claude models only, not ${model}` };
  const id = model.startsWith("arn:") && /:inference-profile\//.test(model) ? model.slice(model.lastIndexOf("/") + 1) : model;
  return { modelId: id.replace(PROFILE_PREFIX, "") };
}

/** The service's answer for a model it cannot count tokens for. */
export function isCountTokensUnsupported(error: unknown): boolean {
  return error instanceof BedrockServiceError && error.awsName === "ValidationException" && /doesn'?t support counting tokens|does not support counting tokens/i.test(error.message);
}

/** What `countTokens` resolves to. */
export interface TokenCount {
  /** Input tokens the request would be billed for (uncached). */
  inputTokens: number;
  /** True when the figure is the library's estimate (see estimate-input-tokens.ts), not Bedrock's count. */
  estimated: boolean;
  /** Why it is an estimate (only when `estimated`). */
  reason?: string;
}
