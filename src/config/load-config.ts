/**
 * Loads minion's YAML configuration.
 *
 * Files, lowest precedence first: `~/.minion/config.yaml`, then the project's file — `$MINION_CONFIG` or the
 * `configPath` option if given, else `<cwd>/config/config.yaml` (cwd: option, else `$MINION_ROOT`, else
 * `process.cwd()`). When neither exists, the package's own `config/config.yaml` serves. Merge: `models` per
 * model name (the project's entry replaces the user's entry of the same name as a whole), `environment` per
 * variable; every other top-level key (`llm`, `override_env`, ...) is taken from the project file when it has
 * it. Each file's `env_file` entries are loaded right after that file. The project's file is held to the trust
 * rules of config-trust.ts unless the user opted in.
 */
import { homedir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { ConfigError } from "../schema/errors.js";
import { applyEnvFiles, applyEnvironment } from "./apply-env-files.js";
import { assertTrustedModel, isInside, trustedProjects, type LayerTrust } from "./config-trust.js";
import { LLMConfig } from "./llm-config.js";
import { LoadedConfig, type Config } from "./loaded-config.js";
import { rememberSiblings } from "./model-siblings.js";
import { normalizeConfigKeys } from "./normalize-config-keys.js";
import { readConfigFile, type RawConfig } from "./read-config-file.js";
import { substituteEnv, type EnvMap } from "./substitute-env.js";
import { warnOnce } from "./warn-once.js";

export type { Config } from "./loaded-config.js";

export interface LoadConfigOptions {
  /** Project directory holding `config/config.yaml`. Default: `$MINION_ROOT`, else `process.cwd()`. */
  cwd?: string;
  /** Home directory holding `.minion/config.yaml`. Default: `os.homedir()`. */
  homeDir?: string;
  /** Explicit project config file (replaces `<cwd>/config/config.yaml`). Default: `$MINION_CONFIG`. */
  configPath?: string;
  /** Environment read for `${VAR}` and written by `env_file` / `environment:`. Default: `process.env`. */
  env?: EnvMap;
  /** Receives config warnings (unknown keys, unusable models) instead of `process.emitWarning`. */
  warn?: (message: string) => void;
  /** Trust the project's config with your credentials. Default: `MINION_TRUST_PROJECT_CONFIG=1` in `env`. */
  trustProjectConfig?: boolean;
  /** Use the package's own config/config.yaml when no other config file exists. Default true. */
  packageDefault?: boolean;
}

/** The config shipped with the package, used when neither the project nor the user has one. */
export const PACKAGE_CONFIG_PATH = fileURLToPath(new URL("../../config/config.yaml", import.meta.url));

const KNOWN_TOP_LEVEL = new Set(["models", "llm", "environment", "env_file", "override_env", "trusted_projects"]);

interface Layer {
  file: string;
  raw: RawConfig;
  trust: LayerTrust;
}

type Warn = ((message: string) => void) | undefined;

export async function loadConfig(options: LoadConfigOptions = {}): Promise<Config> {
  return loadConfigSync(options);
}

export function loadConfigSync(options: LoadConfigOptions = {}): Config {
  const env = options.env ?? process.env;
  const home = options.homeDir ?? homedir();
  const layers = readLayers(options, env, home);
  // An untrusted project may add variables, never replace yours (HOME, PATH, AWS_REGION ...).
  for (const { file, raw, trust } of layers) {
    if (!trust.trusted && raw["override_env"] === true) {
      warnOnce(`override-env:${file}`, `override_env in ${file} is ignored: a project's config may not replace variables already set (trust the project to allow it).`, "MINION_CONFIG_TRUST", options.warn);
    }
  }
  const overrides = (layer: Layer): boolean => layer.trust.trusted && layer.raw["override_env"] === true;
  const override = layers.some(overrides);
  // Variables an untrusted project set (it may not bring its own credentials through them).
  const projectVariables = new Set<string>();
  const recording = (layer: Layer, apply: () => void): void => {
    const before = layer.trust.trusted ? undefined : new Set(Object.keys(env));
    apply();
    if (before) for (const key of Object.keys(env)) if (!before.has(key)) projectVariables.add(key);
  };
  const envFile: string[] = [];
  for (const layer of layers) {
    recording(layer, () => envFile.push(...applyEnvFiles(layer.raw["env_file"], layer.file, { env, override: overrides(layer), trust: layer.trust, home, warn: options.warn })));
  }
  const environment: Record<string, string> = {};
  for (const layer of layers) {
    const target = { env, override: override && layer.trust.trusted, trust: layer.trust, home, warn: options.warn };
    recording(layer, () => Object.assign(environment, applyEnvironment(layer.raw["environment"], layer.file, target)));
  }

  const models: Record<string, LLMConfig> = {};
  const invalidModels: Record<string, ConfigError> = {};
  for (const layer of layers) {
    for (const [name, entry] of Object.entries(modelsSection(layer.raw, layer.file))) {
      const built = tryBuild(() => buildModel(name, entry, { ...layer, projectVariables }, env, options.warn));
      if (built instanceof LLMConfig) {
        delete invalidModels[name];
        models[name] = built;
      } else {
        delete models[name];
        invalidModels[name] = reportInvalid(built, `models.${name}`, layer.file, options.warn);
      }
    }
  }
  const settings: Record<string, unknown> = {};
  let llmEntry: { value: unknown; layer: ModelSource } | undefined;
  for (const layer of layers) {
    if (layer.raw["llm"] !== undefined && layer.raw["llm"] !== null) llmEntry = { value: layer.raw["llm"], layer: { ...layer, projectVariables } };
    for (const [key, value] of Object.entries(layer.raw)) if (!KNOWN_TOP_LEVEL.has(key)) settings[key] = value;
  }
  rememberSiblings({ models, invalidModels });
  const choice = pickDefault({ models, invalidModels }, llmEntry, env, options.warn);
  return new LoadedConfig({ models, invalidModels, ...choice, environment, envFile, files: layers.map((layer) => layer.file), settings });
}

/** The user's file, the project's file, or the package's default when neither exists, with each one's trust. */
function readLayers(options: LoadConfigOptions, env: EnvMap, home: string): Layer[] {
  const trustAll = options.trustProjectConfig ?? env["MINION_TRUST_PROJECT_CONFIG"] === "1";
  const userDir = join(home, ".minion");
  const userFile = join(userDir, "config.yaml");
  const explicit = options.configPath ?? env["MINION_CONFIG"];
  const projectDir = resolve(options.cwd ?? env["MINION_ROOT"] ?? process.cwd());
  const projectFile = explicit ? resolve(explicit) : join(projectDir, "config", "config.yaml");
  const layers: Layer[] = [];
  const userRaw = userFile === projectFile ? undefined : readConfigFile(userFile);
  if (userRaw) layers.push({ file: userFile, raw: userRaw, trust: { trusted: true, root: userDir } });
  const projectRaw = readConfigFile(projectFile, { required: explicit !== undefined });
  if (projectRaw) {
    if (projectRaw["trusted_projects"] !== undefined && projectFile !== userFile) {
      warnOnce(`trusted-projects:${projectFile}`, `trusted_projects in ${projectFile} is ignored: only ~/.minion/config.yaml may list trusted projects.`, "MINION_CONFIG_TRUST", options.warn);
    }
    const trusted =
      trustAll ||
      isInside(projectFile, userDir) ||
      trustedProjects(userRaw?.["trusted_projects"], userFile, home).some((dir) => isInside(projectFile, dir));
    layers.push({ file: projectFile, raw: projectRaw, trust: { trusted, root: explicit ? dirname(projectFile) : projectDir } });
  }
  if (layers.length === 0 && options.packageDefault !== false) {
    const raw = readConfigFile(PACKAGE_CONFIG_PATH);
    if (raw) layers.push({ file: PACKAGE_CONFIG_PATH, raw, trust: { trusted: true, root: dirname(PACKAGE_CONFIG_PATH) } });
  }
  return layers;
}

/** The config of one model by name, or a ConfigError: why the model is unusable, or the names that exist. */
export function getModelConfig(config: Pick<Config, "models" | "files"> & { invalidModels?: Config["invalidModels"] }, name: string): LLMConfig {
  const model = Object.hasOwn(config.models, name) ? config.models[name] : undefined;
  if (model) return model;
  const invalid = config.invalidModels && Object.hasOwn(config.invalidModels, name) ? config.invalidModels[name] : undefined;
  if (invalid) throw invalid;
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

/** A layer, and the variables untrusted layers set. */
type ModelSource = Layer & { projectVariables: ReadonlySet<string> };

function buildModel(name: string, entry: unknown, layer: ModelSource, env: EnvMap, warn: Warn): LLMConfig {
  if (entry === null || typeof entry !== "object" || Array.isArray(entry)) {
    throw new ConfigError(`models.${name} in ${layer.file} must be a mapping of settings (api_type, model, region, ...).`);
  }
  const settings = entry as Record<string, unknown>;
  // minion: a model entry without `model` uses its key as the model id.
  const withModel = settings["model"] === undefined || settings["model"] === null ? { ...settings, model: name } : settings;
  return checked(new LLMConfig(withModel, { name, source: layer.file, env, warn }), settings, `model '${name}' of ${layer.file}`, layer, env);
}

function checked(model: LLMConfig, settings: Record<string, unknown>, where: string, layer: ModelSource, env: EnvMap): LLMConfig {
  if (!layer.trust.trusted) assertTrustedModel(model, normalizeConfigKeys(settings).values, layer.projectVariables, where, env);
  return model;
}

function tryBuild(build: () => LLMConfig): LLMConfig | ConfigError {
  try {
    return build();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
}

function reportInvalid(error: ConfigError, what: string, file: string, warn: Warn): ConfigError {
  warnOnce(`invalid-model:${file}:${what}`, `${what} cannot be used and was skipped (the other models still work): ${error.message}`, "MINION_CONFIG_INVALID_MODEL", warn);
  return error;
}

function pickDefault(
  known: { models: Record<string, LLMConfig>; invalidModels: Record<string, ConfigError> },
  entry: { value: unknown; layer: ModelSource } | undefined,
  env: EnvMap,
  warn: Warn,
): { llm: LLMConfig | undefined; llmName: string | undefined; llmError: ConfigError | undefined } {
  const { models, invalidModels } = known;
  const pick = (name: string | undefined) => ({ llm: name === undefined ? undefined : models[name], llmName: name, llmError: name === undefined ? undefined : invalidModels[name] });
  if (entry && typeof entry.value === "string") {
    const name = substituteEnv(entry.value, env).value;
    if (!Object.hasOwn(models, name) && !Object.hasOwn(invalidModels, name)) {
      const names = Object.keys(models);
      // The text as written: a variable's value (which may be a secret) is not shown.
      throw new ConfigError(`llm in ${entry.layer.file} names model '${entry.value}', which is not in models${names.length ? ` (known: ${names.join(", ")})` : ""}.`);
    }
    return pick(name);
  }
  if (entry && typeof entry.value === "object" && !Array.isArray(entry.value)) {
    const settings = entry.value as Record<string, unknown>;
    const built = tryBuild(() => checked(new LLMConfig(settings, { name: "llm", source: entry.layer.file, env, warn }), settings, `llm of ${entry.layer.file}`, entry.layer, env));
    if (built instanceof LLMConfig) return { llm: built, llmName: undefined, llmError: undefined };
    return { llm: undefined, llmName: undefined, llmError: reportInvalid(built, "llm", entry.layer.file, warn) };
  }
  if (entry) throw new ConfigError(`llm in ${entry.layer.file} must be a model name or a mapping of settings.`);
  const names = [...Object.keys(models), ...Object.keys(invalidModels)];
  return pick(names.includes("default") ? "default" : names[0]);
}
