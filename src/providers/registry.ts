/**
 * The provider registry: `api_type` -> provider factory. `createLlmProvider(config)` builds the provider a
 * config names; other providers join with `registerProvider`. Built in: `bedrock_async` and `bedrock`.
 */
import { assertResolved } from "../config/assert-resolved.js";
import { LLMConfig, type LLMConfigInput } from "../config/llm-config.js";
import { getModelConfig, loadConfigSync, type LoadConfigOptions } from "../config/load-config.js";
import { ConfigError } from "../schema/errors.js";
import { BedrockAsyncProvider, BedrockProvider } from "./bedrock/index.js";
import type { LlmProvider } from "./llm-provider.js";

/** Builds a provider from a validated config. A class with a `(config: LLMConfig)` constructor also works. */
export type ProviderFactory = (config: LLMConfig) => LlmProvider;
export type ProviderClass = new (config: LLMConfig) => LlmProvider;

const factories = new Map<string, ProviderFactory>();

function normalizeApiType(apiType: string): string {
  return apiType.trim().toLowerCase();
}

function isClass(value: Function): value is ProviderClass {
  return /^class[\s{]/.test(Function.prototype.toString.call(value));
}

/** Registers (or replaces) the provider for an `api_type`. */
export function registerProvider(apiType: string, factory: ProviderFactory | ProviderClass): void {
  if (typeof apiType !== "string" || apiType.trim() === "") throw new ConfigError("registerProvider needs a non-empty api_type name.");
  if (typeof factory !== "function") throw new ConfigError(`registerProvider("${apiType}") needs a factory function or a provider class.`);
  const build: ProviderFactory = isClass(factory) ? (config) => new factory(config) : factory;
  factories.set(normalizeApiType(apiType), build);
}

/** Removes a registration (mainly for tests). Returns whether one existed. */
export function unregisterProvider(apiType: string): boolean {
  return factories.delete(normalizeApiType(apiType));
}

/** The registered `api_type` names, sorted. */
export function registeredApiTypes(): string[] {
  return [...factories.keys()].sort();
}

// Built-in providers. In Node both Bedrock types are non-blocking; `bedrock` is kept so minion configs work.
registerProvider("bedrock_async", (config) => new BedrockAsyncProvider(config));
registerProvider("bedrock", (config) => new BedrockProvider(config));

/**
 * Builds the provider for a model config: an `LLMConfig`, a plain object of settings (snake_case or
 * camelCase), the name of a model in the loaded config files, or nothing for the config's default model.
 * Throws a ConfigError for an unknown `api_type` (listing the known ones) and for `${VAR}` references whose
 * variable is not set.
 */
export function createLlmProvider(config?: LLMConfig | LLMConfigInput | string, options: LoadConfigOptions = {}): LlmProvider {
  const resolved = toLlmConfig(config, options);
  assertResolved(resolved, ["apiType"]);
  const factory = factories.get(normalizeApiType(resolved.apiType));
  if (!factory) {
    const owner = resolved.name ? ` of model '${resolved.name}'` : "";
    throw new ConfigError(
      `Unknown api_type "${resolved.apiType}"${owner}. Known api types: ${registeredApiTypes().join(", ") || "(none registered)"}. ` +
        "Fix the api_type (or provider) value, or register the provider with registerProvider().",
    );
  }
  assertResolved(resolved);
  if (resolved.endpoint === "emulator") {
    throw new ConfigError(
      `endpoint: emulator${resolved.name ? ` (model '${resolved.name}')` : ""} is understood by the minion CLI only. In code, start the emulator ` +
        '(import { startEmulator, EXAMPLE_CREDENTIALS } from "minion-ts/emulator") and pass its url as endpoint, with its example credentials.',
    );
  }
  return factory(resolved);
}

function toLlmConfig(config: LLMConfig | LLMConfigInput | string | undefined, options: LoadConfigOptions): LLMConfig {
  if (config instanceof LLMConfig) return config;
  if (config === undefined) return loadConfigSync(options).llm;
  if (typeof config === "string") return getModelConfig(loadConfigSync(options), config);
  if (config === null || typeof config !== "object") {
    throw new ConfigError("createLlmProvider needs an LLMConfig, a plain object of settings, or a model name from the config.");
  }
  return new LLMConfig(config, { env: options.env, warn: options.warn });
}
