/**
 * The provider layer's only retry layer (the AWS SDK's own retries are switched off with maxAttempts: 1).
 *
 * Retried: throttling, 5xx service errors and network errors, and only while nothing of the response has been
 * handed to the caller yet. Backoff is exponential with full jitter, and a retry-after hint from the service
 * wins when it is longer. Attempts are bounded (maxAttempts, default 3, counting the first).
 */
import { AbortError, MinionError } from "../schema/errors.js";

export interface RetryPolicyOptions {
  /** Attempts per call including the first. Default 3; 1 disables retries. */
  maxAttempts?: number;
  /** Base delay of the exponential backoff, ms. Default 100 (throttling: 500). */
  baseDelayMs?: number;
  /** Base delay after a throttling error, ms. Default 500. */
  throttlingBaseDelayMs?: number;
  /** Upper bound of one delay, ms. Default 20000. */
  maxDelayMs?: number;
  /** Random source in [0, 1), for tests. */
  random?: () => number;
}

/** What the policy needs to know about a failed attempt. */
export interface RetryableFailure {
  retryable: boolean;
  /** A throttling error (longer base delay). */
  throttling?: boolean;
  /** Delay the service asked for, ms. */
  retryAfterMs?: number | undefined;
}

export const DEFAULT_MAX_ATTEMPTS = 3;

export class RetryPolicy {
  readonly maxAttempts: number;
  readonly #baseDelayMs: number;
  readonly #throttlingBaseDelayMs: number;
  readonly #maxDelayMs: number;
  readonly #random: () => number;

  constructor(options: RetryPolicyOptions = {}) {
    const attempts = options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
    this.maxAttempts = Number.isInteger(attempts) && attempts >= 1 ? attempts : DEFAULT_MAX_ATTEMPTS;
    this.#baseDelayMs = options.baseDelayMs ?? 100;
    this.#throttlingBaseDelayMs = options.throttlingBaseDelayMs ?? 500;
    this.#maxDelayMs = options.maxDelayMs ?? 20_000;
    this.#random = options.random ?? Math.random;
  }

  /** Whether attempt number `attempt` (1-based) that failed with `failure` should be followed by another. */
  shouldRetry(failure: RetryableFailure, attempt: number): boolean {
    return failure.retryable && attempt < this.maxAttempts;
  }

  /** Delay before the attempt after `attempt` (1-based): full jitter over an exponential ceiling, or the hint. */
  delayMs(failure: RetryableFailure, attempt: number): number {
    const base = failure.throttling ? this.#throttlingBaseDelayMs : this.#baseDelayMs;
    const ceiling = Math.min(this.#maxDelayMs, base * 2 ** (attempt - 1));
    const jittered = Math.floor(this.#random() * ceiling);
    const hint = failure.retryAfterMs;
    if (hint !== undefined && Number.isFinite(hint) && hint > jittered) return Math.min(hint, this.#maxDelayMs);
    return jittered;
  }

  /**
   * Runs `attempt` until it succeeds, fails with a non-retryable error, or attempts run out. `toFailure` maps
   * a thrown value to the error to throw (and its retry facts). Waiting honours `signal`.
   */
  async run<T>(
    attemptFn: (attempt: number) => Promise<T>,
    toFailure: (error: unknown) => { error: Error; facts: RetryableFailure },
    signal?: AbortSignal,
  ): Promise<T> {
    const once = async function* (attempt: number): AsyncGenerator<T> {
      yield await attemptFn(attempt);
    };
    for await (const value of this.stream(once, toFailure, signal)) return value;
    throw new Error("RetryPolicy.run: the attempt produced no value."); // unreachable: `once` yields or throws
  }

  /**
   * The one retry loop. Yields what each attempt yields; a failed attempt is retried only while NOTHING has
   * been yielded to the caller yet (a caller that already saw part of an answer must not see it twice), only
   * when `toFailure` says it is retryable, and at most maxAttempts times, with backoff between attempts.
   * `toFailure` gets whether anything was yielded (a failure mid-stream is reported differently). A caller
   * that stops early (return) closes the running attempt, whose own `finally` releases its resources.
   */
  async *stream<T>(
    attemptFn: (attempt: number) => AsyncIterable<T>,
    toFailure: (error: unknown, yielded: boolean) => { error: Error; facts: RetryableFailure },
    signal?: AbortSignal,
  ): AsyncGenerator<T, void, undefined> {
    let yielded = false;
    for (let attempt = 1; ; attempt++) {
      try {
        for await (const item of attemptFn(attempt)) {
          yielded = true;
          yield item;
        }
        return;
      } catch (thrown) {
        const { error, facts } = toFailure(thrown, yielded);
        if (yielded || !this.shouldRetry(facts, attempt)) throw error;
        await sleep(this.delayMs(facts, attempt), signal);
      }
    }
  }
}

/** Waits `ms`, rejecting with the signal's reason (an AbortError unless it is already a library error). */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (signal?.aborted) return Promise.reject(abortReason(signal));
  if (ms <= 0) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(abortReason(signal!));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

function abortReason(signal: AbortSignal): Error {
  return signal.reason instanceof MinionError ? signal.reason : new AbortError(signal.reason);
}
