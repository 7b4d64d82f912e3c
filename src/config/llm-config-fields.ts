/**
 * The normalized (camelCase) fields of one model's configuration. `LLMConfig` (llm-config.ts) validates
 * input in either minion's snake_case or camelCase and exposes exactly these fields.
 */
export interface LLMConfigFields {
  /** Registry name of the provider: "bedrock_async", "bedrock", ... (`api_type`, alias `provider`). */
  apiType: string;
  /** The model id sent to the service, e.g. "anthropic.claude-3-5-sonnet-20240620-v1:0". */
  model: string;
  region?: string;
  accessKeyId?: string;
  secretAccessKey?: string;
  sessionToken?: string;
  /** Legacy "ACCESS:SECRET", or a Bedrock API key (bearer token). */
  apiKey?: string;
  /** Named profile of the shared AWS config/credentials files. */
  profile?: string;
  /** Service endpoint override, e.g. the emulator's URL. */
  endpoint?: string;
  /** PEM certificate(s) to trust for the endpoint (the emulator's self-signed certificate). */
  ca?: string;
  temperature?: number;
  maxTokens?: number;
  topP?: number;
  topK?: number;
  /** Attempts per call including the first (retry layer). Default 3. */
  maxAttempts?: number;
  /** Total timeout per call, ms (0: none). */
  timeout?: number;
  /** Longest silence while a response is awaited or read, ms (0: none). */
  idleTimeout?: number;
  /** Longest time to open a connection (proxy tunnel, TCP, TLS), ms (0: none). */
  connectTimeout?: number;
  /** Upper bound of concurrent requests/streams this provider keeps open (HTTP/1.1 sockets, or HTTP/2 streams). */
  maxConcurrency?: number;
  /** How calls reach Bedrock: "http1" (default, a keep-alive pool) or "http2" (streams on a few sessions). */
  transport?: "http1" | "http2";
  /** Bedrock API: "auto" (default: InvokeModel for Claude, Converse for other models), "converse" or "invoke". */
  api?: string;
  /** Bedrock service tier of every call (`service_tier`): "priority", "default", "flex" or "reserved". */
  serviceTier?: string;
  /** `performance_config: {latency: optimized}`: latency-optimized inference where the model offers it. */
  performanceConfig?: { latency: string };
  /** `request_metadata`: tags (1-16 string pairs) recorded in Bedrock's model invocation logs. */
  requestMetadata?: Record<string, string>;
  /** `effort`: low, medium, high, xhigh or max (Bedrock outputConfig.effort). */
  effort?: string;
  /** `cache_ttl`: TTL of prompt-cache points, "5m" or "1h". */
  cacheTtl?: string;
  /** `citations: true`: citations on for every document part. */
  citations?: boolean;
  /**
   * The model id to price calls by when `model` does not name one (an application inference profile ARN):
   * e.g. "anthropic.claude-sonnet-4-5-20250929-v1:0" (`price_as`).
   */
  priceAs?: string;
  /** Client-side limit: requests per minute to this model in this region (shared by every provider in the process). */
  rpm?: number;
  /** Client-side limit: tokens (input + output) per minute to this model in this region. */
  tpm?: number;
  /** "adaptive" (default when rpm or tpm is set): lower the rate on throttling; "fixed": rpm/tpm only; "off". */
  rateLimit?: string;
  /** Names of other models in the same config to try, in order, when this one fails before answering. */
  fallbacks?: readonly string[];
}

/** The same fields at run time (the single list: key mapping, validation and redaction all derive from it). */
export const LLM_CONFIG_FIELD_NAMES = [
  "apiType",
  "model",
  "region",
  "accessKeyId",
  "secretAccessKey",
  "sessionToken",
  "apiKey",
  "profile",
  "endpoint",
  "ca",
  "temperature",
  "maxTokens",
  "topP",
  "topK",
  "maxAttempts",
  "timeout",
  "idleTimeout",
  "connectTimeout",
  "maxConcurrency",
  "transport",
  "api",
  "serviceTier",
  "performanceConfig",
  "requestMetadata",
  "effort",
  "cacheTtl",
  "citations",
  "priceAs",
  "rpm",
  "tpm",
  "rateLimit",
  "fallbacks",
] as const satisfies readonly (keyof LLMConfigFields)[];

export type LLMConfigFieldName = (typeof LLM_CONFIG_FIELD_NAMES)[number];

// Compile-time check that the list above names every field of LLMConfigFields.
type MissingFieldNames = Exclude<keyof LLMConfigFields, LLMConfigFieldName>;
const everyFieldListed: MissingFieldNames extends never ? true : MissingFieldNames = true;
void everyFieldListed;

/** Fields holding credentials: never printed, logged or serialized. */
export const SECRET_FIELD_NAMES: ReadonlySet<LLMConfigFieldName> = new Set(["accessKeyId", "secretAccessKey", "sessionToken", "apiKey"]);
