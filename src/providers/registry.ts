/**
 * The provider registry: `api_type` -> provider factory. `createLlmProvider(config, options)` builds the
 * provider a config names, with the options' telemetry hooks and cost manager; other providers join with
 * `registerProvider`. Built in: `bedrock_async` and `bedrock`.
 */
import { assertResolved } from "../config/assert-resolved.js";
import { LLMConfig, type LLMConfigInput } from "../config/llm-config.js";
import { getModelConfig, loadConfigSync, type LoadConfigOptions } from "../config/load-config.js";
import { ConfigError } from "../schema/errors.js";
import { BedrockAsyncProvider, BedrockProvider } from "./bedrock/index.js";
import type { LlmProvider } from "./llm-provider.js";
import { providerOptionsOf, type CreateProviderOptions, type ProviderOptions } from "./provider-options.js";

/**
 * Builds a provider from a validated config and the provider options given to createLlmProvider (hooks, cost
 * manager). A class with a `(config: LLMConfig, options?: ProviderOptions)` constructor also works.
 */
export type ProviderFactory = (config: LLMConfig, options: ProviderOptions) => LlmProvider;
export type ProviderClass = new (config: LLMConfig, options?: ProviderOptions) => LlmProvider;

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
  const build: ProviderFactory = isClass(factory) ? (config, options) => new factory(config, options) : factory;
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
registerProvider("bedrock_async", (config, options) => new BedrockAsyncProvider(config, options));
registerProvider("bedrock", (config, options) => new BedrockProvider(config, options));

/**
 * Builds the provider for a model config: an `LLMConfig`, a plain object of settings (snake_case or
 * camelCase), the name of a model in the loaded config files, or nothing for the config's default model.
 * `options` holds the config-loading options and the provider's: telemetry hooks (`onRequest`, `onResponse`,
 * `onError`, `onUsage`) and a `costManager` to share. Throws a ConfigError for an unknown `api_type` (listing
 * the known ones), for `${VAR}` references whose variable is not set, and for a hook that is not a function.
 */
export function createLlmProvider(config?: LLMConfig | LLMConfigInput | string, options: CreateProviderOptions = {}): LlmProvider {
  const providerOptions = providerOptionsOf(options);
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
  return factory(resolved, providerOptions);
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
