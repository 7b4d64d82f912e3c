/**
 * Resolves a model's `fallbacks` (names of other models of the same config) into the ordered list of configs
 * to try: the model itself, then each fallback. Every mistake is a ConfigError that says how to fix it:
 * an unknown or unusable name, a name listed twice, the model naming itself, or a fallback with fallbacks of
 * its own (chains do not nest: list every model in the first one's `fallbacks`).
 */
import { editDistance } from "../../config/edit-distance.js";
import type { LLMConfig } from "../../config/llm-config.js";
import type { ModelSiblings } from "../../config/model-siblings.js";
import { ConfigError } from "../../schema/errors.js";

export interface ChainEntry {
  /** The model's name in the config (the primary's may be unset for a config built in code). */
  name: string;
  config: LLMConfig;
}

export function resolveFallbackChain(primary: LLMConfig, group: ModelSiblings | undefined): ChainEntry[] {
  const names = primary.fallbacks ?? [];
  const owner = primary.name ?? "(unnamed)";
  const what = `fallbacks of model '${owner}'`;
  if (!group) {
    throw new ConfigError(
      `Model '${owner}' lists fallbacks (${names.join(", ")}) but there are no other models to find them in. ` +
        "Load the config with loadConfig() and pass config.models[name] (or the model's name) to createLlmProvider, or pass { models } in its options.",
    );
  }
  const chain: ChainEntry[] = [{ name: owner, config: primary }];
  const seen = new Set<string>();
  for (const name of names) {
    if (name === primary.name) throw new ConfigError(`${what}: '${name}' is the model itself. Remove it from fallbacks.`);
    if (seen.has(name)) throw new ConfigError(`${what}: '${name}' is listed twice. Each fallback is tried once; remove the repeat.`);
    seen.add(name);
    const config = findModel(group, name, what);
    if (config.fallbacks !== undefined && config.fallbacks.length > 0) {
      throw new ConfigError(
        `${what}: '${name}' lists fallbacks of its own (${config.fallbacks.join(", ")}); fallback chains do not nest. ` +
          `Remove fallbacks from '${name}' and list every model to try, in order, in the fallbacks of '${owner}'.`,
      );
    }
    chain.push({ name, config });
  }
  return chain;
}

function findModel(group: ModelSiblings, name: string, what: string): LLMConfig {
  const model = Object.hasOwn(group.models, name) ? group.models[name] : undefined;
  if (model) return model;
  const invalid = group.invalidModels && Object.hasOwn(group.invalidModels, name) ? group.invalidModels[name] : undefined;
  if (invalid) throw new ConfigError(`${what}: '${name}' cannot be used: ${invalid.message}`, { cause: invalid });
  const known = Object.keys(group.models);
  const hint = closest(name, known);
  throw new ConfigError(
    `${what}: there is no model named '${name}'${hint ? ` (did you mean '${hint}'?)` : ""}. ` +
      `Fallbacks name other models of the same config; known models: ${known.join(", ") || "(none)"}.`,
  );
}

function closest(name: string, known: string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of known) {
    const distance = editDistance(name.toLowerCase(), candidate.toLowerCase());
    if (distance < bestDistance) [best, bestDistance] = [candidate, distance];
  }
  return bestDistance <= Math.max(1, Math.floor(name.length / 4)) ? best : undefined;
}
