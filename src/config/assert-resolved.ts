/**
 * The check a provider runs when it is created: every `${VAR}` its config used must have been set. A missing
 * variable is reported by name (never sent to the service as literal text).
 */
import { ConfigError } from "../schema/errors.js";
import type { LLMConfigFieldName } from "./llm-config-fields.js";
import type { LLMConfig, UnresolvedVariable } from "./llm-config.js";

const CREDENTIAL_FIELDS: ReadonlySet<string> = new Set(["accessKeyId", "secretAccessKey", "sessionToken", "apiKey", "profile"]);

/**
 * Throws a ConfigError naming every unset variable used by the given fields (camelCase or snake_case names;
 * default: all fields). Does nothing when all were set.
 */
export function assertResolved(config: LLMConfig, fields?: readonly (LLMConfigFieldName | string)[]): void {
  const wanted = fields ? new Set(fields.map(toCamelCase)) : undefined;
  const missing = config.unresolvedVariables().filter((entry) => !wanted || wanted.has(entry.field));
  if (missing.length === 0) return;
  const owner = config.name ? `model '${config.name}'` : "this LLMConfig";
  const lines = groupByVariable(missing).map(({ variable, keys }) => `${variable} is not set (used by ${keys.join(", ")} of ${owner})`);
  const credentialsOnly = missing.every((entry) => CREDENTIAL_FIELDS.has(entry.field));
  const fix = credentialsOnly
    ? "export it, or remove the key to use the default AWS credential chain"
    : "export it, give a default with ${VAR:-default}, or remove the key";
  const where = config.source ? ` Config file: ${config.source}.` : "";
  throw new ConfigError(`${lines.join("; ")}; ${missing.length > 1 ? "export them" : "export it"}${fix.slice("export it".length)}.${where}`);
}

function groupByVariable(entries: UnresolvedVariable[]): { variable: string; keys: string[] }[] {
  const groups = new Map<string, string[]>();
  for (const entry of entries) groups.set(entry.variable, [...(groups.get(entry.variable) ?? []), entry.key]);
  return [...groups].map(([variable, keys]) => ({ variable, keys }));
}

function toCamelCase(name: string): string {
  return name.includes("_") ? name.replace(/_([a-z])/g, (_, letter: string) => letter.toUpperCase()) : name;
}

