/**
 * Validation of one model's normalized fields (zod), with messages that name the field as the user wrote it,
 * say what is expected, and never echo a credential.
 */
import { z } from "zod";
import { CACHE_TTLS, EFFORTS, LATENCIES, REQUEST_METADATA_MAX_LENGTH, REQUEST_METADATA_MAX_PAIRS, REQUEST_METADATA_TEXT as METADATA_TEXT, SERVICE_TIERS } from "./bedrock-knob-values.js";
import { LLM_CONFIG_FIELD_NAMES, SECRET_FIELD_NAMES, type LLMConfigFieldName, type LLMConfigFields } from "./llm-config-fields.js";

interface FieldRule {
  schema: z.ZodType;
  /** What a valid value looks like, phrased to follow "must be". */
  expect: string;
  /** Numbers may arrive as strings from `${VAR}` substitution. */
  numeric?: boolean;
}

const REGION_NAME = /^[a-z]{2,3}(-[a-z]+)+-\d{1,2}$/;
const secret = (): FieldRule => ({ schema: z.string().min(1), expect: "a non-empty string" });
const unit = (): FieldRule => ({ schema: z.number().min(0).max(1), expect: "a number from 0 to 1", numeric: true });
const count = (min: number): FieldRule => ({ schema: z.number().int().min(min), expect: `a whole number of at least ${min}`, numeric: true });
const millis = (): FieldRule => ({ schema: z.number().nonnegative().finite(), expect: "a number of milliseconds (0 turns the timeout off)", numeric: true });

function isEndpoint(value: string): boolean {
  if (value === "emulator") return true;
  try {
    const url = new URL(value);
    return url.protocol === "http:" || url.protocol === "https:";
  } catch {
    return false;
  }
}

const RULES: Record<LLMConfigFieldName, FieldRule> = {
  apiType: { schema: z.string().min(1), expect: 'a provider name such as "bedrock_async" or "bedrock"' },
  model: { schema: z.string().min(1), expect: 'a model id such as "anthropic.claude-3-5-sonnet-20240620-v1:0"' },
  region: { schema: z.string().regex(REGION_NAME), expect: 'an AWS region name such as "us-east-1"' },
  accessKeyId: secret(),
  secretAccessKey: secret(),
  sessionToken: secret(),
  apiKey: secret(),
  profile: { schema: z.string().min(1), expect: "the name of a profile in ~/.aws/config or ~/.aws/credentials" },
  endpoint: { schema: z.string().refine(isEndpoint), expect: 'an http(s) URL such as "http://127.0.0.1:4000", or "emulator"' },
  ca: { schema: z.string().includes("-----BEGIN"), expect: "PEM certificate text (starting with -----BEGIN CERTIFICATE-----)" },
  temperature: unit(),
  maxTokens: count(1),
  topP: unit(),
  topK: count(0),
  maxAttempts: count(1),
  timeout: millis(),
  idleTimeout: millis(),
  connectTimeout: millis(),
  maxConcurrency: count(1),
  transport: { schema: z.enum(["http1", "http2"]), expect: '"http1" or "http2"' },
  api: { schema: z.enum(["auto", "converse", "invoke"]), expect: '"auto", "converse" or "invoke"' },
  serviceTier: { schema: z.enum(SERVICE_TIERS), expect: '"priority", "default", "flex" or "reserved"' },
  performanceConfig: { schema: z.object({ latency: z.enum(LATENCIES) }).strict(), expect: 'a mapping with latency "standard" or "optimized", e.g. {latency: optimized}' },
  requestMetadata: {
    schema: z
      .record(z.string().min(1).max(REQUEST_METADATA_MAX_LENGTH).regex(METADATA_TEXT), z.string().max(REQUEST_METADATA_MAX_LENGTH).regex(METADATA_TEXT))
      .refine((map) => Object.keys(map).length >= 1 && Object.keys(map).length <= REQUEST_METADATA_MAX_PAIRS),
    expect: `a mapping of 1 to ${REQUEST_METADATA_MAX_PAIRS} string keys to string values, each at most ${REQUEST_METADATA_MAX_LENGTH} letters, digits, spaces and : _ @ $ # = / + , - .`,
  },
  effort: { schema: z.enum(EFFORTS), expect: '"low", "medium", "high", "xhigh" or "max"' },
  cacheTtl: { schema: z.enum(CACHE_TTLS), expect: '"5m" or "1h"' },
  citations: { schema: z.boolean(), expect: "true or false" },
  priceAs: { schema: z.string().min(1), expect: 'the model id to price calls by, such as "anthropic.claude-sonnet-4-5-20250929-v1:0"' },
  rpm: { schema: z.number().positive().finite(), expect: "a positive number of requests per minute", numeric: true },
  tpm: { schema: z.number().positive().finite(), expect: "a positive number of tokens per minute", numeric: true },
  rateLimit: { schema: z.enum(["adaptive", "fixed", "off"]), expect: '"adaptive", "fixed" or "off"' },
  fallbacks: { schema: z.array(z.string().trim().min(1)), expect: 'a list of model names from the same config, e.g. ["claude-eu", "nova-lite"]' },
};

const REQUIRED: ReadonlySet<LLMConfigFieldName> = new Set(["apiType", "model"]);

export interface ValidationOutcome {
  fields: LLMConfigFields;
  /** One line per problem, e.g. `temperature must be a number from 0 to 1 (got 3)`. */
  problems: string[];
}

/**
 * Validates normalized values. `keyNames` gives the spelling the user wrote for each field; `optional`
 * lists fields that may be missing even though they are required (their `${VAR}` was not set); `written`
 * the text of fields whose value came from `${VAR}`, shown in a problem instead of the variable's value
 * (which may be a secret).
 */
export function validateFields(
  values: Partial<Record<LLMConfigFieldName, unknown>>,
  keyNames: ReadonlyMap<LLMConfigFieldName, string>,
  optional: ReadonlySet<LLMConfigFieldName> = new Set(),
  written: ReadonlyMap<LLMConfigFieldName, string> = new Map(),
): ValidationOutcome {
  const fields: Record<string, unknown> = {};
  const problems: string[] = [];
  for (const field of LLM_CONFIG_FIELD_NAMES) {
    const rule = RULES[field];
    const key = keyNames.get(field) ?? snake(field);
    const value = prepare(values[field], rule);
    if (value === undefined) {
      if (REQUIRED.has(field) && !optional.has(field)) problems.push(`${key} is required: set it to ${rule.expect}`);
      continue;
    }
    const parsed = rule.schema.safeParse(value);
    if (parsed.success) fields[field] = parsed.data;
    else problems.push(`${key} must be ${rule.expect}${describeGot(field, value, written.get(field))}`);
  }
  return { fields: fields as unknown as LLMConfigFields, problems };
}

function prepare(value: unknown, rule: FieldRule): unknown {
  if (typeof value !== "string") return value;
  const text = value.trim();
  if (text === "") return undefined;
  if (rule.numeric && /^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(text)) return Number(text);
  return text;
}

function describeGot(field: LLMConfigFieldName, value: unknown, written: string | undefined): string {
  if (SECRET_FIELD_NAMES.has(field)) return ` (got a ${Array.isArray(value) ? "list" : typeof value}; value not shown)`;
  if (written !== undefined) return ` (got ${JSON.stringify(written.length > 80 ? `${written.slice(0, 77)}...` : written)}; the variable's value is not shown)`;
  let shown: string;
  try {
    shown = typeof value === "string" ? JSON.stringify(value) : (JSON.stringify(value) ?? String(value));
  } catch {
    shown = String(value);
  }
  return ` (got ${shown.length > 80 ? `${shown.slice(0, 77)}...` : shown})`;
}

function snake(field: string): string {
  return field.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);
}
