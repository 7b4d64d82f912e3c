/** The Bedrock providers: `bedrock_async` and `bedrock` (the same non-blocking implementation in Node). */
export { BedrockAsyncProvider, BedrockProvider, type BedrockProviderOptions } from "./bedrock-provider.js";
export type { TransportKind } from "./create-bedrock-client.js";
export type { TokenCount } from "./tokens/count-tokens-support.js";
