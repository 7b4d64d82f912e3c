/**
 * The schema sent for native structured output and strict tools. Constrained decoding on Bedrock takes a
 * subset of JSON Schema: for Claude, every object has `additionalProperties: false`, and numeric, string and
 * array limits (minimum, maxLength, pattern, minItems, ...) are refused. Those limits move into the
 * description (so the model still reads them) and are checked on the client against the full schema, as
 * Anthropic's and the AI SDK's clients do. `oneOf` is sent as `anyOf`; unknown string formats are dropped.
 */
import type { JsonSchema } from "./object-schema.js";

const LIMIT_KEYS = [
  "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf", "minLength", "maxLength", "pattern",
  "minItems", "maxItems", "uniqueItems", "minProperties", "maxProperties", "not",
] as const;

const STRING_FORMATS: ReadonlySet<string> = new Set(["date-time", "time", "date", "duration", "email", "hostname", "uri", "ipv4", "ipv6", "uuid"]);
const SCHEMA_MAPS = ["properties", "$defs", "definitions"] as const;
const SCHEMA_LISTS = ["anyOf", "allOf", "prefixItems"] as const;

function isObject(value: unknown): value is JsonSchema {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export function toWireSchema(schema: JsonSchema): JsonSchema {
  return wire(schema) as JsonSchema;
}

function wire(node: unknown): unknown {
  if (!isObject(node)) return node;
  const out: JsonSchema = {};
  const limits: string[] = [];
  for (const [key, value] of Object.entries(node)) {
    if ((LIMIT_KEYS as readonly string[]).includes(key)) {
      // zod's int() adds the safe-integer bounds: no news to the model.
      if (Math.abs(value as number) !== Number.MAX_SAFE_INTEGER) limits.push(`${key}: ${JSON.stringify(value)}`);
    }
    else if (key === "oneOf") out.anyOf = (value as unknown[]).map(wire);
    else if (key === "format" && !(typeof value === "string" && STRING_FORMATS.has(value))) limits.push(`format: ${JSON.stringify(value)}`);
    else if ((SCHEMA_MAPS as readonly string[]).includes(key) && isObject(value)) out[key] = Object.fromEntries(Object.entries(value).map(([name, child]) => [name, wire(child)]));
    else if ((SCHEMA_LISTS as readonly string[]).includes(key) && Array.isArray(value)) out[key] = value.map(wire);
    else if (key === "items" || key === "additionalProperties") out[key] = wire(value);
    else out[key] = value;
  }
  if (out.type === "object" || out.properties !== undefined) out.additionalProperties = false;
  if (limits.length > 0) out.description = [typeof out.description === "string" ? out.description : "", `(${limits.join(", ")})`].filter(Boolean).join(" ");
  return out;
}
