/**
 * The contract between the emulator's model side (validation, built-in model, scripts, fault plans) and its
 * wire side (HTTP/1.1 + HTTP/2 server, auth, rendering to InvokeModel / Converse JSON and event streams).
 * The model side decides WHAT to answer; the wire side decides HOW it looks on the wire for each operation.
 */

export type Operation =
  | "InvokeModel"
  | "InvokeModelWithResponseStream"
  | "Converse"
  | "ConverseStream"
  | "CountTokens";

export const STREAMING_OPERATIONS: ReadonlySet<Operation> = new Set(["InvokeModelWithResponseStream", "ConverseStream"]);

/** A request after routing and authentication: the wire side builds it, the model side answers it. */
export interface EmulatorRequest {
  operation: Operation;
  /** Model id decoded from the path (a base id, an inference profile id or an ARN). */
  modelId: string;
  /** The parsed JSON body (for InvokeModel*, the model's own body, e.g. an Anthropic Messages request). */
  body: unknown;
  /** Lower-cased request headers. */
  headers: Record<string, string>;
}

/** A citation the answer makes of one of the request's documents (char range, or page range, end exclusive). */
export interface AnswerCitation {
  documentIndex: number;
  title: string;
  citedText: string;
  location: { kind: "char" | "page"; start: number; end: number };
}

export type AnswerBlock =
  | { type: "text"; text: string; citations?: AnswerCitation[] }
  | { type: "tool_use"; id: string; name: string; input: Record<string, unknown> }
  | { type: "thinking"; thinking: string; signature: string }
  | { type: "redacted_thinking"; data: string };

export type StopReason =
  | "end_turn"
  | "max_tokens"
  | "stop_sequence"
  | "tool_use"
  | "guardrail_intervened"
  | "content_filtered";

export interface AnswerUsage {
  /** Uncached input tokens (Anthropic's input_tokens). */
  inputTokens: number;
  outputTokens: number;
  cacheReadInputTokens: number;
  cacheWriteInputTokens: number;
  /** The part of the cache writes made at 1-hour cache points. */
  cacheWrite1hInputTokens?: number;
}

export interface AnswerTiming {
  /** Delay before the first byte of the response (headers for streams). */
  firstByteLatencyMs: number;
  /** Delay between two stream frames. */
  chunkDelayMs: number;
  /** How many delta frames the text of the answer is split into. */
  chunksPerAnswer: number;
}

/** Something that goes wrong on purpose, after `afterChunks` delta frames of a stream have been sent. */
export type StreamFault =
  | { type: "reset"; afterChunks: number }
  | { type: "stall"; afterChunks: number }
  | { type: "corrupt_frame"; afterChunks: number }
  /** The response ends cleanly without the rest of the answer, as a proxy that cuts a stream may. */
  | { type: "truncate"; afterChunks: number }
  | { type: "exception"; afterChunks: number; name: StreamExceptionName; message: string };

/** lowerCamel member names the SDK uses to type mid-stream exceptions. */
export type StreamExceptionName =
  | "internalServerException"
  | "modelStreamErrorException"
  | "validationException"
  | "throttlingException"
  | "modelTimeoutException"
  | "serviceUnavailableException";

export interface AnswerPlan {
  kind: "answer";
  blocks: AnswerBlock[];
  stopReason: StopReason;
  /** The stop sequence that ended the answer, when stopReason is "stop_sequence". */
  stopSequence: string | null;
  usage: AnswerUsage;
  timing: AnswerTiming;
  fault?: StreamFault;
  /** Guardrail trace/assessment to report when a guardrail intervened (Converse `trace.guardrail`). */
  guardrail?: { action: "INTERVENED" | "NONE"; trace?: Record<string, unknown> };
  /** Answer for CountTokens. */
  countTokens?: number;
}

export type ErrorName =
  | "ValidationException"
  | "AccessDeniedException"
  | "ResourceNotFoundException"
  | "ThrottlingException"
  | "ServiceUnavailableException"
  | "InternalServerException"
  | "ModelTimeoutException"
  | "ModelNotReadyException"
  | "ModelErrorException"
  | "ServiceQuotaExceededException"
  | "UnrecognizedClientException"
  | "InvalidSignatureException"
  | "ExpiredTokenException";

/** An HTTP error response before any body bytes: status + x-amzn-ErrorType + JSON {"message"}. */
export interface ErrorPlan {
  kind: "error";
  name: ErrorName;
  status: number;
  message: string;
  /** Seconds for a Retry-After header (throttling). */
  retryAfterSeconds?: number;
  timing?: Pick<AnswerTiming, "firstByteLatencyMs">;
}

/** The connection is cut (or left hanging) before any response. */
export interface ConnectionFaultPlan {
  kind: "connection_fault";
  type: "reset" | "stall";
}

/** An embedding or rerank model's own InvokeModel body (model/retrieval-models.ts). */
export interface JsonPlan {
  kind: "json";
  body: unknown;
  /** Reported in x-amzn-bedrock-input-token-count. */
  inputTokens: number;
  timing: Pick<AnswerTiming, "firstByteLatencyMs">;
}

export type Plan = AnswerPlan | ErrorPlan | ConnectionFaultPlan | JsonPlan;

/** What the model side exports for the wire side to call once per authenticated request. */
export type PlanRequest = (request: EmulatorRequest) => Plan | Promise<Plan>;
