/**
 * The emulator's own quota: at most `perSecond` requests per second per model id (a token bucket holding one
 * second's worth), like a Bedrock requests-per-minute quota. A request above it gets Bedrock's
 * ThrottlingException (HTTP 429, no Retry-After, as Bedrock sends it). Rejected requests use no capacity.
 */
import type { ErrorPlan } from "../answer-plan.js";
import { errorPlan } from "./request-rejected.js";

export class RequestRateLimit {
  readonly #buckets = new Map<string, { level: number; at: number }>();

  constructor(
    private readonly perSecond: number,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** A ThrottlingException when `modelId` is over its rate, else null (and the request counts). */
  check(modelId: string): ErrorPlan | null {
    const now = this.now();
    const bucket = this.#buckets.get(modelId) ?? { level: this.perSecond, at: now };
    bucket.level = Math.min(this.perSecond, bucket.level + ((now - bucket.at) * this.perSecond) / 1000);
    bucket.at = now;
    this.#buckets.set(modelId, bucket);
    if (bucket.level < 1) return errorPlan("ThrottlingException");
    bucket.level -= 1;
    return null;
  }
}
