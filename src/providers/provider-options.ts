/**
 * What the factories (`createLlmProvider`, `createEmbeddingProvider`) pass to a provider beside its config:
 * telemetry hooks and a cost manager to share. They arrive mixed with the config-loading options; this splits
 * them off and checks them, so a typo'd hook or a wrong cost manager fails at creation, not at the first call.
 */
import type { LoadConfigOptions } from "../config/load-config.js";
import { ConfigError } from "../schema/errors.js";
import { CostManager } from "./cost-manager.js";
import { pickHooks, type TelemetryHooks } from "./telemetry/telemetry-hooks.js";

export interface ProviderOptions extends TelemetryHooks {
  /** Share one cost manager between providers (default: each provider has its own). */
  costManager?: CostManager;
}

/** The options of createLlmProvider / createEmbeddingProvider: config loading plus the provider's own. */
export interface CreateProviderOptions extends LoadConfigOptions, ProviderOptions {}

/** The provider's own options out of a factory's options (only those set). */
export function providerOptionsOf(options: CreateProviderOptions): ProviderOptions {
  const picked: ProviderOptions = { ...pickHooks(options) };
  const { costManager } = options;
  if (costManager !== undefined) {
    if (!(costManager instanceof CostManager)) throw new ConfigError("costManager must be a CostManager (import { CostManager } from \"minion-ts\"), shared by the providers that should add up their cost.");
    picked.costManager = costManager;
  }
  return picked;
}

