/**
 * Picks the model a CLI command uses and makes it callable. A model whose `endpoint` is the literal
 * `emulator` runs against a Bedrock Runtime emulator started in this process (on a free loopback port, with
 * the emulator's example credentials), so the shipped default answers with no AWS account. This stays in the
 * CLI: providers only ever see a real URL.
 */
import { getModelConfig, loadConfig, type Config } from "../config/load-config.js";
import type { LLMConfig } from "../config/llm-config.js";
import { EXAMPLE_CREDENTIALS, startEmulator } from "../emulator/index.js";

export const EMULATOR_ENDPOINT = "emulator";

export interface ResolvedModel {
  /** The model's name in the config (undefined for an inline `llm:`). */
  name: string | undefined;
  /** The config to build the provider from (endpoint replaced by the emulator's URL when needed). */
  config: LLMConfig;
  /** The models the config's `fallbacks` are looked up in, when they had to be pointed at the emulator too. */
  models?: Record<string, LLMConfig>;
  /** The in-process emulator's URL, when one was started. */
  emulatorUrl?: string;
  /** Stops the in-process emulator, if any. */
  close(): Promise<void>;
}

export interface ResolveModelOptions {
  /** A model name from the config; default: the config's default model (`llm`). */
  model?: string;
  /** An explicit config file (else MINION_CONFIG, else config/config.yaml). */
  configPath?: string;
  cwd?: string;
  /** The directory holding `.minion/config.yaml`; default: `os.homedir()`. */
  home?: string;
  env?: NodeJS.ProcessEnv;
}

export async function resolveModel(options: ResolveModelOptions = {}): Promise<ResolvedModel> {
  const config = await loadConfig({ cwd: options.cwd, homeDir: options.home, env: options.env, configPath: options.configPath });
  return useModel(config, options.model);
}

/** Same as resolveModel, from an already loaded config. */
export async function useModel(config: Config, modelName?: string): Promise<ResolvedModel> {
  const llm = modelName ? getModelConfig(config, modelName) : config.llm;
  const name = modelName ?? config.llmName;
  const fallbacks = (llm.fallbacks ?? []).filter((fallback) => Object.hasOwn(config.models, fallback));
  const onEmulator = [llm, ...fallbacks.map((fallback) => config.models[fallback]!)].some((model) => model.endpoint === EMULATOR_ENDPOINT);
  if (!onEmulator) return { name, config: llm, close: async () => {} };
  // No request log: a long `minion chat` would otherwise keep every body in memory.
  const emulator = await startEmulator({ port: 0, recordRequests: false });
  const point = (model: LLMConfig): LLMConfig =>
    model.endpoint !== EMULATOR_ENDPOINT
      ? model
      : model.with({
          endpoint: emulator.url,
          accessKeyId: EXAMPLE_CREDENTIALS.accessKeyId,
          secretAccessKey: EXAMPLE_CREDENTIALS.secretAccessKey,
          sessionToken: null,
          apiKey: null,
          profile: null,
          ...(emulator.ca ? { ca: emulator.ca } : {}),
        });
  const pointed = point(llm);
  // A pointed config is a new object: its fallbacks are found in `models`, pointed the same way.
  const models = fallbacks.length > 0 ? { ...config.models, ...Object.fromEntries(fallbacks.map((fallback) => [fallback, point(config.models[fallback]!)])) } : undefined;
  return { name, config: pointed, ...(models ? { models } : {}), emulatorUrl: emulator.url, close: () => emulator.close() };
}
