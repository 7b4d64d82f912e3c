/**
 * One model's configuration: validated, normalized to camelCase, immutable, and safe to print.
 *
 * Input may use minion's snake_case keys (`api_type`, `access_key_id`, `max_tokens`, ...), camelCase, or the
 * aliases `provider` (for api_type) and `base_url` (for endpoint). `${VAR}` references in values are
 * substituted from the environment; a reference to an unset variable leaves the field unset and is remembered
 * (`unresolvedVariables()`), so the literal text is never sent anywhere. Unknown keys are kept in `extra` and
 * reported once per key name with a warning (minion's own `api_version` / `vision_enabled` silently).
 */
import { inspect } from "node:util";
import { ConfigError } from "../schema/errors.js";
import { LLM_CONFIG_FIELD_NAMES, SECRET_FIELD_NAMES, type LLMConfigFieldName, type LLMConfigFields } from "./llm-config-fields.js";
import { validateFields } from "./llm-config-schema.js";
import { fieldForKey, normalizeConfigKeys, renamedKey, suggestKey, toSnakeCase } from "./normalize-config-keys.js";
import { REDACTED, redactExtra, redactSecret, redactUrl } from "./redact.js";
import { substituteEnv, type EnvMap } from "./substitute-env.js";
import { warnOnce } from "./warn-once.js";

type SnakeCase<S extends string> = S extends `${infer Head}${infer Tail}`
  ? `${Head extends Lowercase<Head> ? Head : `_${Lowercase<Head>}`}${SnakeCase<Tail>}`
  : S;

/** Numbers may also be given as numeric strings (they often come from `${VAR}` substitution). */
type Loose<T> = T extends number ? number | string : T;
type CamelCaseFields = { [K in keyof LLMConfigFields]?: Loose<LLMConfigFields[K]> };
type SnakeCaseFields = { [K in keyof LLMConfigFields as SnakeCase<K & string>]?: Loose<LLMConfigFields[K]> };

/** What `new LLMConfig(...)` accepts: camelCase or snake_case fields (numbers may be numeric strings), plus aliases. */
export type LLMConfigInput = CamelCaseFields &
  SnakeCaseFields & {
    /** Alias of `api_type` / `apiType`. */
    provider?: string;
    /** Alias of `endpoint` (minion's name). */
    base_url?: string;
    [key: string]: unknown;
  };

export interface LLMConfigOptions {
  /** The model's name in the config's `models:` map, used in messages. */
  name?: string;
  /** Where the config came from (a file path), used in messages. */
  source?: string;
  /** Environment used for `${VAR}` substitution. Default: `process.env`. */
  env?: EnvMap;
  /** Receives the unknown-key warning instead of `process.emitWarning`. */
  warn?: (message: string) => void;
}

/** A `${VAR}` that was not set when the config was created. */
export interface UnresolvedVariable {
  /** The field (camelCase for fields, the key as written for extra settings). */
  field: string;
  /** The key as the user wrote it, e.g. `access_key_id`. */
  key: string;
  variable: string;
}

type SecretFields = Pick<LLMConfigFields, "accessKeyId" | "secretAccessKey" | "sessionToken" | "apiKey">;

export class LLMConfig implements LLMConfigFields {
  readonly name: string | undefined;
  readonly source: string | undefined;
  readonly apiType: string;
  readonly model: string;
  readonly region?: string;
  readonly profile?: string;
  readonly endpoint?: string;
  readonly ca?: string;
  readonly temperature?: number;
  readonly maxTokens?: number;
  readonly topP?: number;
  readonly topK?: number;
  readonly maxAttempts?: number;
  readonly timeout?: number;
  readonly idleTimeout?: number;
  readonly connectTimeout?: number;
  readonly maxConcurrency?: number;
  readonly transport?: "http1" | "http2";
  readonly api?: string;
  readonly serviceTier?: string;
  readonly performanceConfig?: { latency: string };
  readonly requestMetadata?: Record<string, string>;
  readonly effort?: string;
  readonly cacheTtl?: string;
  readonly citations?: boolean;
  readonly priceAs?: string;
  readonly rpm?: number;
  readonly tpm?: number;
  readonly rateLimit?: string;
  readonly fallbacks?: readonly string[];
  readonly #secrets: SecretFields;
  readonly #extra: Readonly<Record<string, unknown>>;
  readonly #unresolved: readonly UnresolvedVariable[];
  readonly #keyNames: ReadonlyMap<LLMConfigFieldName, string>;
  /** The input as given (before substitution), so `with()` and copies re-resolve `${VAR}` the same way. */
  readonly #raw: LLMConfigInput;
  readonly #options: LLMConfigOptions;

  constructor(input: LLMConfigInput | LLMConfig, options: LLMConfigOptions = {}) {
    if (input instanceof LLMConfig) {
      options = { ...input.#options, ...options };
      input = input.#raw;
    }
    if (input === null || typeof input !== "object" || Array.isArray(input)) {
      throw new ConfigError(`${describe(options)} must be a mapping of settings (api_type, model, region, ...), got ${Array.isArray(input) ? "a list" : typeof input}.`);
    }
    const env = options.env ?? process.env;
    const normalized = normalizeConfigKeys(input);
    const unresolved: UnresolvedVariable[] = [];
    const substituted = new Map<LLMConfigFieldName, string>();
    for (const field of LLM_CONFIG_FIELD_NAMES) {
      const value = normalized.values[field];
      if (typeof value !== "string") continue;
      const result = substituteEnv(value, env);
      if (result.value !== value) substituted.set(field, value);
      const key = normalized.keyNames.get(field) ?? toSnakeCase(field);
      for (const variable of result.unresolved) unresolved.push({ field, key, variable });
      normalized.values[field] = result.unresolved.length > 0 ? undefined : result.value;
    }
    const problems = normalized.conflicts.map(({ keys: [a, b] }) => `${a} and ${b} are two names for the same setting and disagree; keep one of them`);
    for (const key of normalized.unknownKeys) {
      const renamed = renamedKey(key);
      if (renamed) problems.push(`${key} is no longer a setting. Did you mean ${renamed}? (one effort option now covers every model family)`);
    }
    const unresolvedFields = new Set(unresolved.map((entry) => entry.field as LLMConfigFieldName));
    const outcome = validateFields(normalized.values, normalized.keyNames, unresolvedFields, substituted);
    problems.push(...outcome.problems);
    if (problems.length > 0) {
      throw new ConfigError(`${describe(options)} is invalid:\n${problems.map((line) => `  - ${line}`).join("\n")}`);
    }
    const fields = outcome.fields;
    this.name = options.name;
    this.source = options.source;
    this.apiType = fields.apiType ?? "";
    this.model = fields.model ?? "";
    for (const field of LLM_CONFIG_FIELD_NAMES) {
      if (field === "apiType" || field === "model" || SECRET_FIELD_NAMES.has(field) || fields[field] === undefined) continue;
      (this as Record<string, unknown>)[field] = fields[field];
    }
    this.#secrets = Object.freeze({
      accessKeyId: fields.accessKeyId,
      secretAccessKey: fields.secretAccessKey,
      sessionToken: fields.sessionToken,
      apiKey: fields.apiKey,
    });
    this.#extra = Object.freeze({ ...normalized.extra });
    this.#unresolved = Object.freeze(unresolved);
    this.#keyNames = normalized.keyNames;
    this.#raw = Object.freeze({ ...input });
    this.#options = { ...options };
    for (const key of normalized.unknownKeys) {
      const hint = suggestKey(key);
      warnOnce(
        `unknown-key:${key}`,
        `Unknown key "${key}" in ${describe(options)} is ignored (kept in config.extra)${hint ? `; did you mean "${hint}"?` : "."}`,
        "MINION_CONFIG_UNKNOWN_KEY",
        options.warn,
      );
    }
    if (new.target === LLMConfig) Object.freeze(this);
  }

  get accessKeyId(): string | undefined {
    return this.#secrets.accessKeyId;
  }

  get secretAccessKey(): string | undefined {
    return this.#secrets.secretAccessKey;
  }

  get sessionToken(): string | undefined {
    return this.#secrets.sessionToken;
  }

  get apiKey(): string | undefined {
    return this.#secrets.apiKey;
  }

  /** Settings that are not LLMConfig fields (minion's api_version, vision_enabled, or unknown keys). */
  get extra(): Readonly<Record<string, unknown>> {
    return this.#extra;
  }

  /** `${VAR}` references whose variable was not set when this config was created. */
  unresolvedVariables(): UnresolvedVariable[] {
    return this.#unresolved.map((entry) => ({ ...entry }));
  }

  /** The key the user wrote for a field (e.g. `access_key_id`), for messages. */
  keyNameOf(field: LLMConfigFieldName): string {
    return this.#keyNames.get(field) ?? toSnakeCase(field);
  }

  /**
   * A new config with some settings replaced (this one is immutable). Credentials carry over; a `null`
   * value removes a setting, e.g. `config.with({ apiKey: null })`.
   */
  with(overrides: { [K in keyof LLMConfigInput]: LLMConfigInput[K] | null }): LLMConfig {
    const base = normalizeConfigKeys(this.#raw);
    const changes = normalizeConfigKeys(overrides);
    const merged: Record<string, unknown> = { ...base.extra, ...base.values, ...changes.extra, ...changes.values };
    for (const [key, value] of Object.entries(overrides)) {
      if (value === null) delete merged[fieldForKey(key) ?? key];
    }
    return new LLMConfig(merged as LLMConfigInput, this.#options);
  }

  /** Every field (credentials redacted) plus `name` and `extra` (secret-looking keys redacted). */
  toJSON(): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    if (this.name !== undefined) out["name"] = this.name;
    for (const field of LLM_CONFIG_FIELD_NAMES) {
      const value = SECRET_FIELD_NAMES.has(field)
        ? redactSecret(field, this.#secrets[field as keyof SecretFields])
        : field === "endpoint" && this.endpoint !== undefined
          ? redactUrl(this.endpoint)
          : field === "requestMetadata" && this.requestMetadata !== undefined
            ? Object.fromEntries(Object.keys(this.requestMetadata).map((key) => [key, REDACTED]))
            : this[field];
      if (value !== undefined) out[field] = value;
    }
    if (Object.keys(this.#extra).length > 0) out["extra"] = redactExtra(this.#extra);
    return out;
  }

  toString(): string {
    return `LLMConfig(${[this.name && `name=${this.name}`, `apiType=${this.apiType}`, `model=${this.model}`, this.region && `region=${this.region}`]
      .filter(Boolean)
      .join(", ")})`;
  }

  [inspect.custom](_depth: number, options: object): string {
    return `LLMConfig ${inspect(this.toJSON(), options)}`;
  }
}

function describe(options: LLMConfigOptions): string {
  const where = options.source ? ` (${options.source})` : "";
  return options.name ? `the config of model '${options.name}'${where}` : `the LLMConfig${where}`;
}
