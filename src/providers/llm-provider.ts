/** The contract every provider implements (Bedrock today; the registry lets others join). */
import type { ChatCompletion } from "../schema/chat-completion.js";
import type { Citation, RouteInfo } from "../schema/chat-completion.js";
import type { MessageInput, ToolCall } from "../schema/message.js";
import type { InferObject, ObjectSchema } from "./structured/object-schema.js";
import type { GenerateObjectOptions } from "./structured/structured-request.js";
import type { ObjectStreamPart } from "./structured/stream-object.js";

/** A tool in the OpenAI function format (what minion's providers accept). */
export interface ToolDefinition {
  type: "function";
  /** `strict: true` asks the service to constrain the call's arguments to `parameters` (Bedrock strict tool use). */
  function: { name: string; description?: string; parameters?: Record<string, unknown>; strict?: boolean };
}

/**
 * Native structured output: the answer's text is JSON that conforms to `schema` (Converse
 * `outputConfig.textFormat`, Anthropic `output_config.format` over InvokeModel). `generateObject` sets it for
 * you and validates the answer; set it yourself to get the raw JSON text.
 */
export interface ResponseFormat {
  type: "json_schema";
  schema: Record<string, unknown>;
  /** Converse only: the schema's name and description. */
  name?: string;
  description?: string;
}

export type ToolChoice = "auto" | "any" | "required" | "none" | { type: "function"; function: { name: string } };

export interface GenerateOptions {
  temperature?: number;
  topP?: number;
  topK?: number;
  maxTokens?: number;
  /** Stop sequences; honoured by the server and, for streams, on the client across chunk boundaries. */
  stop?: string | string[];
  signal?: AbortSignal;
  /** Total time budget for the call, in milliseconds. */
  timeout?: number;
  /** Longest silence allowed between two stream chunks, in milliseconds. */
  idleTimeout?: number;
  tools?: ToolDefinition[];
  toolChoice?: ToolChoice;
  /** Extended thinking with a token budget, for models that support it. */
  thinking?: { budgetTokens: number } | boolean;
  /** Prompt caching: put cache points after the system prompt, the tools and/or the last message. */
  cache?: boolean | { system?: boolean; tools?: boolean; messages?: boolean };
  /** Native structured output (see ResponseFormat). */
  responseFormat?: ResponseFormat;
  /** Bedrock guardrail to apply. */
  guardrail?: { identifier: string; version: string; trace?: boolean };
  /** minion's spelling of `topP` (its guide's per-call keyword); giving both with different values is an error. */
  top_p?: number;
  /** minion's spelling of `topK`. */
  top_k?: number;
  /** minion's spelling of `maxTokens`. */
  max_tokens?: number;
  /** Anthropic's spelling of `stop`. */
  stop_sequences?: string | string[];
  /** Bedrock service tier; the tier the service reports back is the one priced (docs/cost.md). */
  serviceTier?: "priority" | "default" | "flex" | "reserved";
  /** Latency-optimized inference where the model offers it. */
  performanceConfig?: { latency: "standard" | "optimized" };
  /** Tags (1-16 string pairs) recorded with the call in Bedrock's model invocation logs. */
  requestMetadata?: Record<string, string>;
  /**
   * How much effort the model spends, in each family's own field (docs/bedrock-features.md#effort): Claude
   * `outputConfig.effort` / `output_config.effort` (Opus 4.5, Sonnet 4.6 and later), Amazon Nova 2
   * `reasoningConfig.maxReasoningEffort`, OpenAI gpt-oss and DeepSeek V3 `reasoning_effort` (low..high).
   * A model that takes none raises InvalidRequestError.
   */
  effort?: "low" | "medium" | "high" | "xhigh" | "max";
  /** TTL of the prompt-cache points that do not set their own: "5m" (default) or "1h". */
  cacheTtl?: "5m" | "1h";
  /** Turn citations on for every document part of the call (a part's own `citations` wins). */
  citations?: boolean;
}

/** One event of a streamed generation; `generateStream` yields only the `text` events' text. */
export type StreamEvent =
  | { type: "text"; text: string }
  | { type: "thinking"; text: string }
  | { type: "tool_call_start"; index: number; id: string; name: string }
  | { type: "tool_call_delta"; index: number; argumentsDelta: string }
  | { type: "tool_call"; index: number; toolCall: ToolCall }
  /** A citation of a document the answer relies on (documents sent with `citations` on). */
  | { type: "citation"; citation: Citation }
  | { type: "finish"; completion: ChatCompletion }
  /** From a provider with fallbacks, before the first event of the model that answers: which one it is. */
  | ({ type: "route" } & RouteInfo);

export type { RouteInfo } from "../schema/chat-completion.js";

export interface CostSnapshot {
  totalCost: number;
  totalPromptCost: number;
  totalCompletionCost: number;
  totalPromptTokens: number;
  totalCompletionTokens: number;
  totalTokens: number;
  totalCacheReadTokens: number;
  totalCacheWriteTokens: number;
}

export interface LlmProvider {
  /** The model id this provider sends to the service. */
  readonly model: string;
  generate(messages: MessageInput[], options?: GenerateOptions): Promise<string>;
  generateStream(messages: MessageInput[], options?: GenerateOptions): AsyncIterable<string>;
  generateStreamResponse(messages: MessageInput[], options?: GenerateOptions): Promise<ChatCompletion>;
  /** Every event of a streamed generation: text, thinking, tool calls, and a final `finish` with the ChatCompletion. */
  streamEvents(messages: MessageInput[], options?: GenerateOptions): AsyncIterable<StreamEvent>;
  /** The answer as an object matching `options.schema` (zod or JSON Schema), validated; see docs/structured-output.md. */
  generateObject<S extends ObjectSchema>(messages: MessageInput[], options: GenerateObjectOptions<S>): Promise<InferObject<S>>;
  /** Partial objects as the answer streams, then the validated object (`{ type: "object" }`). */
  streamObject<S extends ObjectSchema>(messages: MessageInput[], options: GenerateObjectOptions<S>): AsyncIterable<ObjectStreamPart<InferObject<S>>>;
  /** Blocks the calling thread until the answer is there (worker thread + Atomics.wait). */
  generateSync(messages: MessageInput[], options?: Omit<GenerateOptions, "signal">): string;
  getCost(): CostSnapshot;
  /** The same totals per model id called (optional for providers registered by others). */
  getCostByModel?(): Record<string, CostSnapshot>;
  /** Resets the cost counters to zero. */
  reset(): void;
  /** Releases the connection pool. */
  close(): Promise<void>;
}
