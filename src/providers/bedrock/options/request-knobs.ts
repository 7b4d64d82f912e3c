/**
 * Bedrock's request-level knobs, from the call's options over the config's defaults, checked against the
 * limits of the service model (bedrock-runtime-2023-09-30.json) before any network call:
 * - `serviceTier`: Converse `serviceTier: {type}`; InvokeModel header `X-Amzn-Bedrock-Service-Tier`.
 * - `performanceConfig.latency`: Converse `performanceConfig`; InvokeModel header
 *   `X-Amzn-Bedrock-PerformanceConfig-Latency`.
 * - `requestMetadata` (tags for invocation logs): Converse `requestMetadata`; InvokeModel header
 *   `X-Amzn-Bedrock-Request-Metadata` (the map as JSON text).
 * - `effort`: checked here against Bedrock's enum; where it goes depends on the model (map-effort.ts).
 * - `cacheTtl`: the TTL of cache points that do not set their own ("5m" or "1h").
 * - `citations`: citations on for every document part of the call.
 */
import {
  CACHE_TTLS,
  EFFORTS,
  LATENCIES,
  REQUEST_METADATA_MAX_LENGTH,
  REQUEST_METADATA_MAX_PAIRS,
  REQUEST_METADATA_TEXT as METADATA_TEXT,
  SERVICE_TIERS,
} from "../../../config/bedrock-knob-values.js";
import { InvalidRequestError } from "../../../schema/errors.js";

export type ServiceTier = (typeof SERVICE_TIERS)[number];
export type Latency = (typeof LATENCIES)[number];
export type Effort = (typeof EFFORTS)[number];
export type CacheTtl = (typeof CACHE_TTLS)[number];

export interface KnobDefaults {
  serviceTier?: string | undefined;
  performanceConfig?: { latency?: string } | undefined;
  requestMetadata?: Record<string, string> | undefined;
  effort?: string | undefined;
  cacheTtl?: string | undefined;
  citations?: boolean | undefined;
}

export interface KnobOptions {
  serviceTier?: unknown;
  performanceConfig?: unknown;
  requestMetadata?: unknown;
  effort?: unknown;
  cacheTtl?: unknown;
  citations?: unknown;
}

export interface RequestKnobs {
  serviceTier?: ServiceTier;
  latency?: Latency;
  requestMetadata?: Record<string, string>;
  effort?: Effort;
  cacheTtl?: CacheTtl;
  citations?: boolean;
}

export function resolveRequestKnobs(options: KnobOptions, defaults: KnobDefaults = {}): RequestKnobs {
  const knobs: RequestKnobs = {};
  const tier = oneOf("serviceTier", options.serviceTier ?? defaults.serviceTier, SERVICE_TIERS);
  if (tier) knobs.serviceTier = tier;
  const latency = checkLatency(options.performanceConfig ?? defaults.performanceConfig);
  if (latency) knobs.latency = latency;
  const metadata = checkRequestMetadata(options.requestMetadata ?? defaults.requestMetadata);
  if (metadata) knobs.requestMetadata = metadata;
  const effort = oneOf("effort", options.effort ?? defaults.effort, EFFORTS);
  if (effort) knobs.effort = effort;
  const ttl = oneOf("cacheTtl", options.cacheTtl ?? defaults.cacheTtl, CACHE_TTLS);
  if (ttl) knobs.cacheTtl = ttl;
  const citations = options.citations ?? defaults.citations;
  if (citations !== undefined && citations !== null) {
    if (typeof citations !== "boolean") throw new InvalidRequestError(`citations must be true or false, got ${show(citations)}.`);
    knobs.citations = citations;
  }
  return knobs;
}

/** The Converse / ConverseStream request fields of the knobs (effort is placed by map-effort.ts). */
export function converseKnobFields(knobs: RequestKnobs): Record<string, unknown> {
  const fields: Record<string, unknown> = {};
  if (knobs.serviceTier) fields["serviceTier"] = { type: knobs.serviceTier };
  if (knobs.latency) fields["performanceConfig"] = { latency: knobs.latency };
  if (knobs.requestMetadata) fields["requestMetadata"] = knobs.requestMetadata;
  return fields;
}

/** The InvokeModel / InvokeModelWithResponseStream headers of the knobs. */
export function invokeKnobHeaders(knobs: RequestKnobs): Record<string, string> {
  const headers: Record<string, string> = {};
  if (knobs.serviceTier) headers["x-amzn-bedrock-service-tier"] = knobs.serviceTier;
  if (knobs.latency) headers["x-amzn-bedrock-performanceconfig-latency"] = knobs.latency;
  if (knobs.requestMetadata) headers["x-amzn-bedrock-request-metadata"] = JSON.stringify(knobs.requestMetadata);
  return headers;
}

function oneOf<T extends string>(name: string, value: unknown, allowed: readonly T[]): T | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === "string" && (allowed as readonly string[]).includes(value)) return value as T;
  throw new InvalidRequestError(`${name} must be one of ${allowed.map((v) => `"${v}"`).join(", ")}; got ${show(value)}.`);
}

function checkLatency(value: unknown): Latency | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "object" || Array.isArray(value)) {
    throw new InvalidRequestError(`performanceConfig must be an object such as { latency: "optimized" }; got ${show(value)}.`);
  }
  const extra = Object.keys(value).filter((key) => key !== "latency");
  if (extra.length > 0) throw new InvalidRequestError(`performanceConfig takes only "latency"; remove ${extra.map((k) => `"${k}"`).join(", ")}.`);
  return oneOf("performanceConfig.latency", (value as { latency?: unknown }).latency, LATENCIES);
}

function checkRequestMetadata(value: unknown): Record<string, string> | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "object" || Array.isArray(value)) {
    throw new InvalidRequestError(`requestMetadata must be an object of string keys and values, e.g. { team: "search" }; got ${show(value)}.`);
  }
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length < 1 || entries.length > REQUEST_METADATA_MAX_PAIRS) {
    throw new InvalidRequestError(`requestMetadata must have 1 to ${REQUEST_METADATA_MAX_PAIRS} entries (Bedrock's limit); it has ${entries.length}.`);
  }
  for (const [key, text] of entries) {
    if (key.length < 1 || key.length > REQUEST_METADATA_MAX_LENGTH || !METADATA_TEXT.test(key)) {
      throw new InvalidRequestError(
        `requestMetadata key ${show(key)} is not accepted by Bedrock: keys are 1 to ${REQUEST_METADATA_MAX_LENGTH} characters of letters, digits, whitespace and : _ @ $ # = / + , - .`,
      );
    }
    if (typeof text !== "string" || text.length > REQUEST_METADATA_MAX_LENGTH || !METADATA_TEXT.test(text)) {
      throw new InvalidRequestError(
        `requestMetadata["${key}"] must be a string of at most ${REQUEST_METADATA_MAX_LENGTH} letters, digits, whitespace and : _ @ $ # = / + , - . (got ${typeof text === "string" ? `${text.length} characters` : `a ${typeof text}`}; the value is not shown: Bedrock treats request metadata as sensitive).`,
      );
    }
  }
  return Object.fromEntries(entries) as Record<string, string>;
}

function show(value: unknown): string {
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
