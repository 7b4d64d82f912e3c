/**
 * The provider registry: `api_type` -> provider factory. `createLlmProvider(config, options)` builds the
 * provider a config names, with the options' telemetry hooks and cost manager; other providers join with
 * `registerProvider`. Built in: `bedrock_async` and `bedrock`.
 */
import { assertResolved } from "../config/assert-resolved.js";
import { LLMConfig, type LLMConfigInput } from "../config/llm-config.js";
import { getModelConfig, loadConfigSync, type LoadConfigOptions } from "../config/load-config.js";
import { siblingsOf, type ModelSiblings } from "../config/model-siblings.js";
import { ConfigError } from "../schema/errors.js";
import { BedrockAsyncProvider, BedrockProvider } from "./bedrock/index.js";
import type { LlmProvider } from "./llm-provider.js";
import { providerOptionsOf, type CreateProviderOptions, type ProviderOptions } from "./provider-options.js";
import { resolveFallbackChain } from "./routing/fallback-chain.js";
import { FallbackProvider, type FallbackProviderOptions } from "./routing/fallback-provider.js";

export interface CreateLlmProviderOptions extends CreateProviderOptions, FallbackProviderOptions {
  /**
   * The models a config's `fallbacks` names are looked up in, by name. Default: the other models of the
   * loaded config the model came from. Needed for configs built in code.
   */
  models?: Readonly<Record<string, LLMConfig | LLMConfigInput>>;
}

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
 * camelCase), the name of a model in the loaded config files (or in `options.models`), or nothing for the
 * config's default model. `options` holds the config-loading options and the provider's: telemetry hooks
 * (`onRequest`, `onResponse`, `onError`, `onUsage`) and a `costManager` to share. A model with `fallbacks`
 * gets a FallbackProvider over it and the models it names (each built with the same provider options).
 * Throws a ConfigError for an unknown `api_type` (listing the known ones), for `${VAR}` references whose
 * variable is not set, for a hook that is not a function, and for fallbacks that name no usable model,
 * repeat, name the model itself or nest.
 */
export function createLlmProvider(config?: LLMConfig | LLMConfigInput | string, options: CreateLlmProviderOptions = {}): LlmProvider {
  const providerOptions = providerOptionsOf(options);
  const group = options.models === undefined ? undefined : modelsGroup(options.models, options);
  const resolved = toLlmConfig(config, options, group);
  if (resolved.fallbacks === undefined || resolved.fallbacks.length === 0) return buildProvider(resolved, providerOptions);
  const chain = resolveFallbackChain(resolved, group ?? siblingsOf(resolved));
  const entries: { name: string; provider: LlmProvider }[] = [];
  try {
    for (const [index, { name, config: entry }] of chain.entries()) {
      entries.push({ name, provider: index === 0 ? buildProvider(entry, providerOptions) : buildFallback(entry, providerOptions, name, chain[0]!.name) });
    }
  } catch (error) {
    for (const { provider } of entries) void provider.close().catch(() => undefined);
    throw error;
  }
  return new FallbackProvider(entries, {
    ...(options.onFallback !== undefined ? { onFallback: options.onFallback } : {}),
    ...(providerOptions.costManager ? { costManager: providerOptions.costManager } : {}),
  });
}

function buildProvider(resolved: LLMConfig, providerOptions: ProviderOptions): LlmProvider {
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

function buildFallback(config: LLMConfig, providerOptions: ProviderOptions, name: string, owner: string): LlmProvider {
  try {
    return buildProvider(config, providerOptions);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    throw new ConfigError(`Fallback '${name}' of model '${owner}' cannot be used: ${error.message}`, { cause: error });
  }
}

/** The `models` option as configs; an invalid one is kept with its error, reported only if a call names it. */
function modelsGroup(models: Readonly<Record<string, LLMConfig | LLMConfigInput>>, options: LoadConfigOptions): ModelSiblings {
  if (models === null || typeof models !== "object" || Array.isArray(models)) {
    throw new ConfigError("options.models of createLlmProvider must be a mapping of model name to config, e.g. { models: config.models }.");
  }
  const built: Record<string, LLMConfig> = {};
  const invalidModels: Record<string, ConfigError> = {};
  for (const [name, model] of Object.entries(models)) {
    try {
      built[name] = model instanceof LLMConfig ? model : new LLMConfig(model, { name, env: options.env, warn: options.warn });
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      invalidModels[name] = error;
    }
  }
  return { models: built, invalidModels };
}

function toLlmConfig(config: LLMConfig | LLMConfigInput | string | undefined, options: LoadConfigOptions, group: ModelSiblings | undefined): LLMConfig {
  if (config instanceof LLMConfig) return config;
  if (config === undefined) return loadConfigSync(options).llm;
  if (typeof config === "string") {
    if (group && (Object.hasOwn(group.models, config) || Object.hasOwn(group.invalidModels ?? {}, config))) return getModelConfig({ ...group, files: [] }, config);
    return getModelConfig(loadConfigSync(options), config);
  }
  if (config === null || typeof config !== "object") {
    throw new ConfigError("createLlmProvider needs an LLMConfig, a plain object of settings, or a model name from the config.");
  }
  return new LLMConfig(config, { env: options.env, warn: options.warn });
}
