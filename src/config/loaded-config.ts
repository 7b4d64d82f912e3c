/** The result of loadConfig: the models by name, the default model, and what was read. Safe to print. */
import { inspect } from "node:util";
import { ConfigError } from "../schema/errors.js";
import type { LLMConfig } from "./llm-config.js";
import { redactExtra } from "./redact.js";

export interface Config {
  /** Every valid model of the `models:` map, by name. */
  readonly models: Readonly<Record<string, LLMConfig>>;
  /**
   * Models that could not be used (invalid settings, or refused by the trust rules), by name, with the error
   * that using them throws. They are reported with a warning when the config is loaded.
   */
  readonly invalidModels: Readonly<Record<string, ConfigError>>;
  /** The default model: `llm:` (a model name or an inline model), else `models.default`, else the first model. Throws a ConfigError when no model is configured or the default is invalid. */
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

export interface LoadedConfigParts extends Omit<Config, "llm"> {
  llm: LLMConfig | undefined;
  /** Why the default model cannot be used, when it is invalid. */
  llmError: ConfigError | undefined;
}

export class LoadedConfig implements Config {
  readonly models: Readonly<Record<string, LLMConfig>>;
  readonly invalidModels: Readonly<Record<string, ConfigError>>;
  readonly llmName: string | undefined;
  readonly environment: Readonly<Record<string, string>>;
  readonly envFile: readonly string[];
  readonly files: readonly string[];
  readonly settings: Readonly<Record<string, unknown>>;
  readonly #llm: LLMConfig | undefined;
  readonly #llmError: ConfigError | undefined;

  constructor(parts: LoadedConfigParts) {
    this.models = Object.freeze({ ...parts.models });
    this.invalidModels = Object.freeze({ ...parts.invalidModels });
    this.#llm = parts.llm;
    this.#llmError = parts.llmError;
    this.llmName = parts.llmName;
    this.environment = Object.freeze({ ...parts.environment });
    this.envFile = Object.freeze([...parts.envFile]);
    this.files = Object.freeze([...parts.files]);
    this.settings = Object.freeze({ ...parts.settings });
  }

  get llm(): LLMConfig {
    if (this.#llm) return this.#llm;
    if (this.#llmError) throw this.#llmError;
    const where = this.files.length > 0 ? `${this.files.join(", ")} define no models` : "no config file was found (config/config.yaml, ~/.minion/config.yaml)";
    throw new ConfigError(`No default model: ${where}. Add a models: section (see docs/configuration.md).`);
  }

  toJSON(): Record<string, unknown> {
    return {
      models: this.models,
      invalidModels: Object.fromEntries(Object.entries(this.invalidModels).map(([name, error]) => [name, error.message])),
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
