/**
 * Loads minion's YAML configuration.
 *
 * Files, lowest precedence first: `~/.minion/config.yaml`, then the project's file — `$MINION_CONFIG` or the
 * `configPath` option if given, else `<cwd>/config/config.yaml` (cwd: option, else `$MINION_ROOT`, else
 * `process.cwd()`). Merge: `models` per model name (the project's entry replaces the user's entry of the same
 * name as a whole), `environment` per variable; every other top-level key (`llm`, `override_env`, ...) is
 * taken from the project file when it has it. Each file's `env_file` entries are loaded right after that file.
 */
import { homedir } from "node:os";
import { inspect } from "node:util";
import { join, resolve } from "node:path";
import { ConfigError } from "../schema/errors.js";
import { applyEnvFiles, applyEnvironment } from "./apply-env-files.js";
import { LLMConfig } from "./llm-config.js";
import { readConfigFile, type RawConfig } from "./read-config-file.js";
import { redactExtra } from "./redact.js";
import { substituteEnv, type EnvMap } from "./substitute-env.js";

export interface LoadConfigOptions {
  /** Project directory holding `config/config.yaml`. Default: `$MINION_ROOT`, else `process.cwd()`. */
  cwd?: string;
  /** Home directory holding `.minion/config.yaml`. Default: `os.homedir()`. */
  homeDir?: string;
  /** Explicit project config file (replaces `<cwd>/config/config.yaml`). Default: `$MINION_CONFIG`. */
  configPath?: string;
  /** Environment read for `${VAR}` and written by `env_file` / `environment:`. Default: `process.env`. */
  env?: EnvMap;
  /** Receives config warnings (unknown keys) instead of `process.emitWarning`. */
  warn?: (message: string) => void;
}

export interface Config {
  /** Every model of the `models:` map, by name. */
  readonly models: Readonly<Record<string, LLMConfig>>;
  /** The default model: `llm:` (a model name or an inline model), else `models.default`, else the first model. Throws a ConfigError when no model is configured. */
  readonly llm: LLMConfig;
  /** Name of the default model in `models` (undefined for an inline `llm:` or when there is none). */
  readonly llmName: string | undefined;
  /** The `environment:` section after substitution. */
  readonly environment: Readonly<Record<string, string>>;
  /** The dotenv files that were loaded (absolute paths). */
  readonly envFile: readonly string[];
  /** The config files that were read, lowest precedence first. */
  readonly files: readonly string[];
  /** Other top-level keys (minion's `ell`, `mem0`, ...), untouched. */
  readonly settings: Readonly<Record<string, unknown>>;
}

const KNOWN_TOP_LEVEL = new Set(["models", "llm", "environment", "env_file", "override_env"]);

export async function loadConfig(options: LoadConfigOptions = {}): Promise<Config> {
  return loadConfigSync(options);
}

export function loadConfigSync(options: LoadConfigOptions = {}): Config {
  const env = options.env ?? process.env;
  const home = join(options.homeDir ?? homedir(), ".minion", "config.yaml");
  const explicit = options.configPath ?? env["MINION_CONFIG"];
  const project = explicit ? resolve(explicit) : join(resolve(options.cwd ?? env["MINION_ROOT"] ?? process.cwd()), "config", "config.yaml");
  const layers: { file: string; raw: RawConfig }[] = [];
  const envFile: string[] = [];
  for (const file of home === project ? [project] : [home, project]) {
    const raw = readConfigFile(file, { required: file === project && explicit !== undefined });
    if (!raw) continue;
    layers.push({ file, raw });
    envFile.push(...applyEnvFiles(raw["env_file"], file, env, raw["override_env"] === true));
  }
  const override = layers.some((layer) => layer.raw["override_env"] === true);
  const environment: Record<string, string> = {};
  for (const { file, raw } of layers) Object.assign(environment, applyEnvironment(raw["environment"], env, override, file));

  const models: Record<string, LLMConfig> = {};
  for (const { file, raw } of layers) {
    for (const [name, entry] of Object.entries(modelsSection(raw, file))) {
      models[name] = buildModel(name, entry, file, env, options.warn);
    }
  }
  const settings: Record<string, unknown> = {};
  let llmEntry: { value: unknown; file: string } | undefined;
  for (const { file, raw } of layers) {
    if (raw["llm"] !== undefined && raw["llm"] !== null) llmEntry = { value: raw["llm"], file };
    for (const [key, value] of Object.entries(raw)) if (!KNOWN_TOP_LEVEL.has(key)) settings[key] = value;
  }
  const { llm, llmName } = pickDefault(models, llmEntry, env, options.warn);
  return new LoadedConfig({ models, llm, llmName, environment, envFile, files: layers.map((layer) => layer.file), settings });
}

/** The config of one model by name, or a ConfigError listing the names that exist. */
export function getModelConfig(config: Pick<Config, "models" | "files">, name: string): LLMConfig {
  const model = Object.hasOwn(config.models, name) ? config.models[name] : undefined;
  if (model) return model;
  const known = Object.keys(config.models);
  const where = config.files.length > 0 ? config.files.join(", ") : "no config file was found (looked for config/config.yaml and ~/.minion/config.yaml)";
  throw new ConfigError(
    known.length > 0
      ? `Unknown model '${name}'. Known models: ${known.join(", ")} (from ${where}).`
      : `Unknown model '${name}': no models are configured; ${where}. Add a models: section (see docs/configuration.md).`,
  );
}

function modelsSection(raw: RawConfig, file: string): Record<string, unknown> {
  const section = raw["models"];
  if (section === undefined || section === null) return {};
  if (typeof section !== "object" || Array.isArray(section)) {
    throw new ConfigError(`models in ${file} must be a mapping of model name to settings (api_type, model, region, ...).`);
  }
  return section as Record<string, unknown>;
}

function buildModel(name: string, entry: unknown, file: string, env: EnvMap, warn?: (message: string) => void): LLMConfig {
  if (entry === null || typeof entry !== "object" || Array.isArray(entry)) {
    throw new ConfigError(`models.${name} in ${file} must be a mapping of settings (api_type, model, region, ...).`);
  }
  const settings = entry as Record<string, unknown>;
  // minion: a model entry without `model` uses its key as the model id.
  const withModel = settings["model"] === undefined || settings["model"] === null ? { ...settings, model: name } : settings;
  return new LLMConfig(withModel, { name, source: file, env, warn });
}

function pickDefault(
  models: Record<string, LLMConfig>,
  entry: { value: unknown; file: string } | undefined,
  env: EnvMap,
  warn?: (message: string) => void,
): { llm: LLMConfig | undefined; llmName: string | undefined } {
  if (entry && typeof entry.value === "string") {
    const name = substituteEnv(entry.value, env).value;
    if (!Object.hasOwn(models, name)) {
      const known = Object.keys(models);
      throw new ConfigError(`llm in ${entry.file} names model '${name}', which is not in models${known.length ? ` (known: ${known.join(", ")})` : ""}.`);
    }
    return { llm: models[name], llmName: name };
  }
  if (entry && typeof entry.value === "object" && !Array.isArray(entry.value)) {
    return { llm: new LLMConfig(entry.value as Record<string, unknown>, { name: "llm", source: entry.file, env, warn }), llmName: undefined };
  }
  if (entry) throw new ConfigError(`llm in ${entry.file} must be a model name or a mapping of settings.`);
  const name = Object.hasOwn(models, "default") ? "default" : Object.keys(models)[0];
  return { llm: name === undefined ? undefined : models[name], llmName: name };
}

class LoadedConfig implements Config {
  readonly models: Readonly<Record<string, LLMConfig>>;
  readonly llmName: string | undefined;
  readonly environment: Readonly<Record<string, string>>;
  readonly envFile: readonly string[];
  readonly files: readonly string[];
  readonly settings: Readonly<Record<string, unknown>>;
  readonly #llm: LLMConfig | undefined;

  constructor(parts: Omit<Config, "llm"> & { llm: LLMConfig | undefined }) {
    this.models = Object.freeze({ ...parts.models });
    this.#llm = parts.llm;
    this.llmName = parts.llmName;
    this.environment = Object.freeze({ ...parts.environment });
    this.envFile = Object.freeze([...parts.envFile]);
    this.files = Object.freeze([...parts.files]);
    this.settings = Object.freeze({ ...parts.settings });
  }

  get llm(): LLMConfig {
    if (this.#llm) return this.#llm;
    const where = this.files.length > 0 ? `${this.files.join(", ")} define no models` : "no config file was found (config/config.yaml, ~/.minion/config.yaml)";
    throw new ConfigError(`No default model: ${where}. Add a models: section (see docs/configuration.md).`);
  }

  toJSON(): Record<string, unknown> {
    return {
      models: this.models,
      llm: this.#llm,
      llmName: this.llmName,
      environment: redactExtra(this.environment),
      envFile: this.envFile,
      files: this.files,
      settings: redactExtra(this.settings),
    };
  }

  [inspect.custom](_depth: number, options: object): string {
    return `Config ${inspect(this.toJSON(), options)}`;
  }
}
