/**
 * Which loaded config a model config came from, so that names in its `fallbacks` can be found among the
 * other models of the same file set. Configs built in code have none (pass `models` to createLlmProvider).
 */
import type { ConfigError } from "../schema/errors.js";
import type { LLMConfig } from "./llm-config.js";

export interface ModelSiblings {
  readonly models: Readonly<Record<string, LLMConfig>>;
  readonly invalidModels?: Readonly<Record<string, ConfigError>>;
}

const siblings = new WeakMap<LLMConfig, ModelSiblings>();

export function rememberSiblings(group: ModelSiblings): void {
  for (const model of Object.values(group.models)) siblings.set(model, group);
}

export function siblingsOf(config: LLMConfig): ModelSiblings | undefined {
  return siblings.get(config);
}
