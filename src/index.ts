/** minion-ts public API. */
export * from "./schema/errors.js";
export * from "./schema/message.js";
export type * from "./schema/chat-completion.js";
export type * from "./providers/llm-provider.js";
export * from "./config/index.js";
export {
  createLlmProvider,
  registerProvider,
  unregisterProvider,
  registeredApiTypes,
  type ProviderFactory,
  type ProviderClass,
  type CreateLlmProviderOptions,
} from "./providers/registry.js";
export { FallbackProvider, type FallbackEntry, type FallbackEvent, type FallbackProviderOptions } from "./providers/routing/fallback-provider.js";
export type { ProviderOptions, CreateProviderOptions } from "./providers/provider-options.js";
export type * from "./providers/embedding-provider.js";
export { createEmbeddingProvider, registerEmbeddingProvider, registeredEmbeddingApiTypes, type EmbeddingProviderFactory } from "./providers/embedding-registry.js";
export { BedrockEmbeddingProvider, DEFAULT_EMBEDDING_CONCURRENCY, type BedrockEmbeddingProviderOptions } from "./providers/bedrock/embeddings/bedrock-embedding-provider.js";
export { BEDROCK_EMBEDDING_PRICES } from "./providers/prices/bedrock-embedding-prices.js";
export { BaseProvider, type CallUsage, type CompletionResult } from "./providers/base-provider.js";
export { BedrockAsyncProvider, BedrockProvider, type BedrockProviderOptions, type TransportKind } from "./providers/bedrock/index.js";
export { SEMCONV_VERSION, type TelemetryHooks, type TelemetryCall, type TelemetryResponse, type TelemetryError, type TelemetryUsage, type TelemetryUsageEvent, type RequestParameters } from "./providers/telemetry/index.js";
export { RetryPolicy, DEFAULT_MAX_ATTEMPTS, type RetryPolicyOptions } from "./providers/retry-policy.js";
export { CostManager, type UsageUpdate, type CostManagerOptions } from "./providers/cost-manager.js";
export { findModelPrice, registerModelPrice, type PriceMatch } from "./providers/prices/find-model-price.js";
export { BEDROCK_CLAUDE_PRICES, type ModelPrice } from "./providers/prices/bedrock-claude-prices.js";
export { BEDROCK_OPEN_MODEL_PRICES } from "./providers/prices/bedrock-open-model-prices.js";
export type { TokenCount } from "./providers/bedrock/tokens/count-tokens-support.js";
export * from "./brain/index.js";
export * from "./batch/index.js";
export * from "./schema/structured-output-error.js";
export type { GenerateObjectOptions } from "./providers/structured/structured-request.js";
export type { InferObject, JsonSchema, ObjectSchema } from "./providers/structured/object-schema.js";
export type { DeepPartial, ObjectStreamPart } from "./providers/structured/stream-object.js";
export { supportsNativeStructuredOutput, type StructuredMode } from "./providers/structured/structured-mode.js";
