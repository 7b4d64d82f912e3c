/**
 * The values Bedrock accepts for its request knobs (bedrock-runtime-2023-09-30.json: ServiceTierType,
 * PerformanceConfigLatency, OutputConfig.effort, CacheTTL, RequestMetadata), shared by config validation and
 * the provider's per-call checks.
 */
export const SERVICE_TIERS = ["priority", "default", "flex", "reserved"] as const;
export const LATENCIES = ["standard", "optimized"] as const;
export const EFFORTS = ["low", "medium", "high", "xhigh", "max"] as const;
export const CACHE_TTLS = ["5m", "1h"] as const;

/** RequestMetadata: 1 to 16 pairs; keys 1-256 and values 0-256 characters of `[a-zA-Z0-9\s:_@$#=/+,-.]`. */
export const REQUEST_METADATA_MAX_PAIRS = 16;
export const REQUEST_METADATA_MAX_LENGTH = 256;
export const REQUEST_METADATA_TEXT = /^[a-zA-Z0-9\s:_@$#=/+,\-.]*$/;
