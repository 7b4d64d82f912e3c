/**
 * Which Bedrock API a model id goes through. Anthropic Claude models use InvokeModel with the Anthropic
 * Messages body (full parity: stop_sequence, cache_control, thinking signatures); every other model uses
 * Converse/ConverseStream. There is no allow-list: an unknown id is sent as given, on Converse.
 */
import { ConfigError } from "../../schema/errors.js";

export type BedrockApi = "invoke" | "converse";

/**
 * True for ids of the Anthropic family: a base id (`anthropic.claude-...`), an inference profile id
 * (`us.anthropic.claude-...`, `global.anthropic.claude-...`) or an ARN whose resource names one
 * (`arn:aws:bedrock:...:inference-profile/us.anthropic.claude-...`).
 */
export function isAnthropicModel(modelId: string): boolean {
  return /(^|[.:/])anthropic\.claude/i.test(modelId);
}

/**
 * The API for a model. `requested` is the config's `api` setting: "converse" opts a Claude model into
 * Converse; "invoke" forces the Anthropic body (for an application inference profile ARN of a Claude model,
 * whose id does not name the model). Anything else is a ConfigError.
 */
export function selectBedrockApi(modelId: string, requested?: unknown): BedrockApi {
  if (requested === undefined || requested === null || requested === "" || requested === "auto") {
    return isAnthropicModel(modelId) ? "invoke" : "converse";
  }
  if (requested === "converse" || requested === "invoke") return requested;
  throw new ConfigError(`api must be "converse", "invoke" or "auto" (got ${JSON.stringify(String(requested))}).`);
}
