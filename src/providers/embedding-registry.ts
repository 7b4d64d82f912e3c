/**
 * The embedding provider registry: `api_type` -> factory. `createEmbeddingProvider(config)` builds the provider
 * a config names. Built in: `bedrock_embedding` (and `bedrock` / `bedrock_async`, so a minion Bedrock config
 * naming an embedding model works).
 */
import { assertResolved } from "../config/assert-resolved.js";
import { LLMConfig, type LLMConfigInput } from "../config/llm-config.js";
import { getModelConfig, loadConfigSync, type LoadConfigOptions } from "../config/load-config.js";
import { ConfigError } from "../schema/errors.js";
import { BedrockEmbeddingProvider } from "./bedrock/embeddings/bedrock-embedding-provider.js";
import type { EmbeddingProvider } from "./embedding-provider.js";
import { providerOptionsOf, type CreateProviderOptions, type ProviderOptions } from "./provider-options.js";

/** Builds an embedding provider from a validated config and the provider options (hooks, cost manager). */
export type EmbeddingProviderFactory = (config: LLMConfig, options: ProviderOptions) => EmbeddingProvider;

const factories = new Map<string, EmbeddingProviderFactory>();

const normalize = (apiType: string): string => apiType.trim().toLowerCase();

/** Registers (or replaces) the embedding provider for an `api_type`. */
export function registerEmbeddingProvider(apiType: string, factory: EmbeddingProviderFactory): void {
  if (typeof apiType !== "string" || apiType.trim() === "") throw new ConfigError("registerEmbeddingProvider needs a non-empty api_type name.");
  if (typeof factory !== "function") throw new ConfigError(`registerEmbeddingProvider("${apiType}") needs a factory function.`);
  factories.set(normalize(apiType), factory);
}

export function registeredEmbeddingApiTypes(): string[] {
  return [...factories.keys()].sort();
}

for (const apiType of ["bedrock_embedding", "bedrock_async", "bedrock"]) registerEmbeddingProvider(apiType, (config, options) => new BedrockEmbeddingProvider(config, options));

/**
 * Builds the embedding (or rerank) provider for a model config: an `LLMConfig`, a plain object of settings
 * (snake_case or camelCase, `${VAR}` substituted), or the name of a model in the loaded config files.
 * `options` holds the config-loading options and the provider's: telemetry hooks (`onRequest`, `onResponse`,
 * `onError`, `onUsage`) and a `costManager` to share.
 */
export function createEmbeddingProvider(config: LLMConfig | LLMConfigInput | string, options: CreateProviderOptions = {}): EmbeddingProvider {
  const providerOptions = providerOptionsOf(options);
  const resolved = toConfig(config, options);
  assertResolved(resolved, ["apiType"]);
  const factory = factories.get(normalize(resolved.apiType));
  if (!factory) {
    throw new ConfigError(
      `Unknown embedding api_type "${resolved.apiType}"${resolved.name ? ` of model '${resolved.name}'` : ""}. Known: ${registeredEmbeddingApiTypes().join(", ")}. ` +
        "Use api_type: bedrock_embedding, or register the provider with registerEmbeddingProvider().",
    );
  }
  assertResolved(resolved);
  if (resolved.endpoint === "emulator") {
    throw new ConfigError(
      'endpoint: emulator is understood by the minion CLI only. In code, start the emulator (import { startEmulator, EXAMPLE_CREDENTIALS } from "minion-ts/emulator") and pass its url as endpoint, with its example credentials.',
    );
  }
  return factory(resolved, providerOptions);
}

function toConfig(config: LLMConfig | LLMConfigInput | string, options: LoadConfigOptions): LLMConfig {
  if (config instanceof LLMConfig) return config;
  if (typeof config === "string") return getModelConfig(loadConfigSync(options), config);
  if (config === null || typeof config !== "object") {
    throw new ConfigError("createEmbeddingProvider needs an LLMConfig, a plain object of settings, or a model name from the config.");
  }
  return new LLMConfig(config, { env: options.env, warn: options.warn });
}
