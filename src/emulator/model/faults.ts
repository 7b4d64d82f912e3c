import type { ErrorPlan, Operation, Plan, StreamExceptionName, StreamFault } from "../answer-plan.js";
import { STREAMING_OPERATIONS } from "../answer-plan.js";
import { createPrng } from "./prng.js";
import { errorPlan } from "./request-rejected.js";

/**
 * Faults by rate: before answering, a seeded draw decides whether the request is throttled
 * (ThrottlingException 429 with Retry-After), fails with a 5xx (InternalServerException 500 or
 * ServiceUnavailableException 503), or, for a streaming operation, breaks mid-stream. The same seed and the
 * same sequence of requests give the same faults.
 */
export type StreamFaultType = StreamFault["type"];

export interface RateOptions {
  throttleRate?: number;
  errorRate?: number;
  faultRate?: number;
  faultTypes?: StreamFaultType[];
  retryAfterSeconds?: number;
  seed?: number;
}

export class RateFaults {
  private readonly random: () => number;

  constructor(private readonly options: RateOptions) {
    this.random = createPrng(options.seed ?? 1);
  }

  /** An error instead of an answer, or null. */
  errorBeforeAnswer(): ErrorPlan | null {
    const throttle = this.options.throttleRate ?? 0;
    const error = this.options.errorRate ?? 0;
    if (throttle <= 0 && error <= 0) return null;
    const draw = this.random();
    if (draw < throttle) {
      return { ...errorPlan("ThrottlingException"), retryAfterSeconds: this.options.retryAfterSeconds ?? 1 };
    }
    if (draw < throttle + error) {
      return this.random() < 0.5 ? errorPlan("InternalServerException") : errorPlan("ServiceUnavailableException");
    }
    return null;
  }

  /** A mid-stream fault for a streaming answer of `chunks` delta frames, or undefined. */
  streamFault(operation: Operation, chunks: number): StreamFault | undefined {
    const rate = this.options.faultRate ?? 0;
    if (rate <= 0 || !STREAMING_OPERATIONS.has(operation)) return undefined;
    if (this.random() >= rate) return undefined;
    const types = this.options.faultTypes && this.options.faultTypes.length > 0 ? this.options.faultTypes : ["reset" as const];
    const type = types[Math.floor(this.random() * types.length)] as StreamFaultType;
    const afterChunks = Math.floor(this.random() * Math.max(1, chunks));
    return makeStreamFault(type, afterChunks);
  }
}

const EXCEPTION_MESSAGES: Record<StreamExceptionName, string> = {
  internalServerException: "The server encountered an internal error while processing the request.",
  modelStreamErrorException: "The model stream encountered an error.",
  validationException: "The request is invalid.",
  throttlingException: "Too many requests, please wait before trying again.",
  modelTimeoutException: "Model has timed out in processing the request. Try your request again.",
  serviceUnavailableException: "Bedrock is unable to process your request.",
};

export function makeStreamFault(type: StreamFaultType, afterChunks: number, name?: StreamExceptionName, message?: string): StreamFault {
  if (type !== "exception") return { type, afterChunks };
  const exceptionName = name ?? "modelStreamErrorException";
  return { type, afterChunks, name: exceptionName, message: message ?? EXCEPTION_MESSAGES[exceptionName] };
}

const PASCAL_NAMES = {
  internalServerException: "InternalServerException",
  modelStreamErrorException: "ModelErrorException",
  validationException: "ValidationException",
  throttlingException: "ThrottlingException",
  modelTimeoutException: "ModelTimeoutException",
  serviceUnavailableException: "ServiceUnavailableException",
} as const;

/**
 * A stream fault asked of a non-streaming operation: a reset or stall cuts the connection before any
 * response, an exception becomes the matching HTTP error (modelStreamErrorException -> ModelErrorException
 * 424), and a corrupt frame has no meaning without frames, so the answer is served intact (null).
 */
export function faultWithoutStream(fault: StreamFault): Plan | null {
  if (fault.type === "reset" || fault.type === "stall") return { kind: "connection_fault", type: fault.type };
  if (fault.type === "exception") return errorPlan(PASCAL_NAMES[fault.name], fault.message);
  return null;
}
