/**
 * The per-call options object, checked before any network call: an unknown key (a typo, another library's
 * option name) is an InvalidRequestError naming it and the likely intended key, never silently ignored; and
 * minion's snake_case spellings (`top_p`, `top_k`, `max_tokens`, `stop_sequences`) are folded into the
 * camelCase ones.
 */
import { InvalidRequestError } from "../schema/errors.js";
import type { GenerateOptions } from "./llm-provider.js";

const OPTION_KEYS = [
  "temperature", "topP", "topK", "maxTokens", "stop", "signal", "timeout", "idleTimeout", "tools", "toolChoice",
  "thinking", "cache", "guardrail", "responseFormat", "top_p", "top_k", "max_tokens", "stop_sequences",
  "serviceTier", "performanceConfig", "requestMetadata", "effort", "cacheTtl", "citations",
] as const satisfies readonly (keyof GenerateOptions)[];

// Compile-time check that OPTION_KEYS lists every key of GenerateOptions: add a new option to both.
type Unlisted = Exclude<keyof GenerateOptions, (typeof OPTION_KEYS)[number]>;
const everyKeyListed: [Unlisted] extends [never] ? true : Unlisted = true;
void everyKeyListed;

const KNOWN: ReadonlySet<string> = new Set(OPTION_KEYS);
const ALIASES = [
  ["top_p", "topP"],
  ["top_k", "topK"],
  ["max_tokens", "maxTokens"],
  ["stop_sequences", "stop"],
] as const;
/** Names other APIs use for an option of ours. */
const OTHER_NAMES: Record<string, string> = {
  max_completion_tokens: "maxTokens", maxcompletiontokens: "maxTokens", stopsequence: "stop", abortsignal: "signal",
  service_tier: "serviceTier", servicetier: "serviceTier", performanceconfiglatency: "performanceConfig", latency: "performanceConfig",
  metadata: "requestMetadata", cachettl: "cacheTtl", ttl: "cacheTtl",
  reasoningeffort: "effort", maxreasoningeffort: "effort", outputconfig: "effort",
};

/** The options with snake_case aliases resolved to the camelCase keys; throws on unknown or conflicting keys. */
export function checkGenerateOptions(options: GenerateOptions): GenerateOptions {
  for (const [key, value] of Object.entries(options)) {
    if (value !== undefined && !KNOWN.has(key)) throw unknownOption(key);
  }
  let resolved = options;
  for (const [alias, key] of ALIASES) {
    const aliased = options[alias];
    if (aliased === undefined) continue;
    const own = options[key];
    if (own !== undefined && JSON.stringify(own) !== JSON.stringify(aliased)) {
      throw new InvalidRequestError(`Both ${key} and ${alias} are set, to different values; give only one (${alias} is minion's spelling of ${key}).`);
    }
    resolved = { ...resolved, [key]: aliased };
  }
  return resolved;
}

function unknownOption(key: string): InvalidRequestError {
  const normalized = key.toLowerCase().replace(/[_-]/g, "");
  const guess = OTHER_NAMES[key] ?? OTHER_NAMES[normalized] ?? OPTION_KEYS.find((known) => known.toLowerCase().replace(/_/g, "") === normalized || known.toLowerCase() === `${normalized}s`);
  const hint = guess ? ` Did you mean "${guess}"?` : "";
  return new InvalidRequestError(
    `Unknown option "${key}".${hint} The options are: ${OPTION_KEYS.filter((k) => !k.includes("_")).join(", ")} (and minion's top_p, top_k, max_tokens, stop_sequences).`,
  );
}
