/** minion-ts public API. */
export * from "./schema/errors.js";
export * from "./schema/message.js";
export type * from "./schema/chat-completion.js";
export type * from "./providers/llm-provider.js";
export * from "./config/index.js";
