import type { ChatCompletion } from "../../schema/chat-completion.js";
import type { MessageInput } from "../../schema/message.js";
import type { GenerateOptions, StreamEvent } from "../llm-provider.js";

/** What generateObject / streamObject need from a provider; both calls record their usage and cost. */
export interface StructuredCaller {
  readonly model: string;
  complete(messages: MessageInput[], options: GenerateOptions): Promise<ChatCompletion>;
  streamEvents(messages: MessageInput[], options: GenerateOptions): AsyncIterable<StreamEvent>;
}
