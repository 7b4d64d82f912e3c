/**
 * Maps the keys of one model's config (minion's snake_case, camelCase, and a few aliases) onto the
 * normalized `LLMConfigFields` names. Everything else is kept aside as `extra`.
 */
import { editDistance } from "./edit-distance.js";
import { LLM_CONFIG_FIELD_NAMES, type LLMConfigFieldName } from "./llm-config-fields.js";

/** Alternative spellings accepted for a field, besides its camelCase and snake_case names. */
const ALIASES: Record<string, LLMConfigFieldName> = {
  provider: "apiType",
  base_url: "endpoint",
  baseUrl: "endpoint",
  endpoint_url: "endpoint",
  endpointUrl: "endpoint",
  region_name: "region",
  regionName: "region",
  aws_access_key_id: "accessKeyId",
  aws_secret_access_key: "secretAccessKey",
  aws_session_token: "sessionToken",
  profile_name: "profile",
};

/** Keys minion's LLMConfig defines that have no meaning here: kept in `extra` without a warning. */
export const MINION_IGNORED_KEYS: ReadonlySet<string> = new Set(["api_version", "apiVersion", "vision_enabled", "visionEnabled"]);

export function toSnakeCase(name: string): string {
  return name.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);
}

const KEY_TO_FIELD: ReadonlyMap<string, LLMConfigFieldName> = new Map<string, LLMConfigFieldName>([
  ...LLM_CONFIG_FIELD_NAMES.flatMap((field) => [[field, field] as const, [toSnakeCase(field), field] as const]),
  ...Object.entries(ALIASES),
]);

/** The field a key names (any accepted spelling), if it is one. */
export function fieldForKey(key: string): LLMConfigFieldName | undefined {
  return KEY_TO_FIELD.get(key);
}

/** Every key name accepted for a field (used for "did you mean" hints). */
export const ACCEPTED_KEYS: readonly string[] = [...KEY_TO_FIELD.keys()];

export interface NormalizedKeys {
  values: Partial<Record<LLMConfigFieldName, unknown>>;
  /** The key the user wrote for each field (for messages in the user's own spelling). */
  keyNames: Map<LLMConfigFieldName, string>;
  extra: Record<string, unknown>;
  /** Keys in `extra` that are neither fields nor minion's known-but-unused keys. */
  unknownKeys: string[];
  /** Two spellings of one field with different values, e.g. `api_type` and `provider`. */
  conflicts: { field: LLMConfigFieldName; keys: [string, string] }[];
}

export function normalizeConfigKeys(input: Record<string, unknown>): NormalizedKeys {
  const result: NormalizedKeys = { values: {}, keyNames: new Map(), extra: {}, unknownKeys: [], conflicts: [] };
  for (const [key, value] of Object.entries(input)) {
    const field = KEY_TO_FIELD.get(key);
    if (!field) {
      result.extra[key] = value;
      if (!MINION_IGNORED_KEYS.has(key)) result.unknownKeys.push(key);
      continue;
    }
    if (value === undefined || value === null) continue;
    const earlierKey = result.keyNames.get(field);
    if (earlierKey !== undefined && result.values[field] !== value) {
      result.conflicts.push({ field, keys: [earlierKey, key] });
      continue;
    }
    result.values[field] = value;
    result.keyNames.set(field, key);
  }
  return result;
}

/** Settings that were replaced by another: giving the old key is an error naming the new one. */
const RENAMED_KEYS: Record<string, string> = { reasoningeffort: "effort" };

/** The setting that replaced a key, if the key is an old one (any spelling: reasoning_effort, reasoningEffort). */
export function renamedKey(key: string): string | undefined {
  return RENAMED_KEYS[key.toLowerCase().replace(/[_-]/g, "")];
}

/** The closest accepted key to a misspelt one, if it is close enough to be a likely typo. */
export function suggestKey(unknown: string): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of ACCEPTED_KEYS) {
    const distance = editDistance(unknown.toLowerCase(), candidate.toLowerCase());
    if (distance < bestDistance) [best, bestDistance] = [candidate, distance];
  }
  return bestDistance <= Math.max(1, Math.floor(unknown.length / 4)) ? best : undefined;
}
