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
  stream<T>(
    attemptFn: (attempt: number) => AsyncIterable<T>,
    toFailure: (error: unknown, yielded: boolean) => { error: Error; facts: RetryableFailure },
    signal?: AbortSignal,
  ): AsyncIterableIterator<T, void, undefined> {
    return new RetryingStream(this, attemptFn, toFailure, signal);
  }
}

type AttemptFn<T> = (attempt: number) => AsyncIterable<T>;
type ToFailure = (error: unknown, yielded: boolean) => { error: Error; facts: RetryableFailure };

/**
 * RetryPolicy.stream's loop, as an iterator rather than an async generator: it sits on the streamed path's
 * hot loop, and once the first item is out (no retry is possible any more) each next() is the attempt's own
 * next() plus one reaction, instead of a generator's resume and yield. One next() at a time, as `for await`
 * calls it.
 */
class RetryingStream<T> implements AsyncIterableIterator<T, void, undefined> {
  readonly #policy: RetryPolicy;
  readonly #attemptFn: AttemptFn<T>;
  readonly #toFailure: ToFailure;
  readonly #signal: AbortSignal | undefined;
  #attempt = 0;
  #current: AsyncIterator<T, unknown> | undefined;
  #yielded = false;
  /** Ended before an item was yielded (an empty answer, a final failure) or closed by the caller. */
  #ended = false;
  /** Closed by the caller's return(): an attempt or a backoff wait still running must not yield, or start another. */
  #closed = false;
  /** Ends a backoff wait at once when the caller closes the stream (made at the first wait). */
  #stopWait: AbortController | undefined;

  constructor(policy: RetryPolicy, attemptFn: AttemptFn<T>, toFailure: ToFailure, signal: AbortSignal | undefined) {
    this.#policy = policy;
    this.#attemptFn = attemptFn;
    this.#toFailure = toFailure;
    this.#signal = signal;
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  next(): Promise<IteratorResult<T, void>> {
    if (this.#ended) return Promise.resolve(DONE);
    if (!this.#yielded) return this.#untilFirstItem();
    return this.#current!.next().then(itemOrEnd, this.#failMidStream);
  }

  /** The caller stops early: the running attempt is closed (its `finally` runs). */
  async return(): Promise<IteratorResult<T, void>> {
    this.#ended = true;
    this.#closed = true;
    this.#stopWait?.abort();
    const current = this.#current;
    this.#current = undefined;
    await current?.return?.();
    return DONE;
  }

  /** Runs attempts until one yields its first item or ends, retrying the failures the policy allows. */
  async #untilFirstItem(): Promise<IteratorResult<T, void>> {
    for (;;) {
      try {
        this.#current ??= this.#attemptFn(++this.#attempt)[Symbol.asyncIterator]();
        const result = await this.#current.next();
        if (this.#closed) return DONE; // return() came meanwhile and closed this attempt
        if (result.done) {
          this.#ended = true;
          return DONE;
        }
        this.#yielded = true;
        return result;
      } catch (thrown) {
        this.#current = undefined;
        if (this.#closed) return DONE;
        const { error, facts } = this.#toFailure(thrown, false);
        if (!this.#policy.shouldRetry(facts, this.#attempt)) {
          this.#ended = true;
          throw error;
        }
        this.#ended = true; // while waiting: an abort of the wait ends the stream
        await sleep(this.#policy.delayMs(facts, this.#attempt), this.#waitSignal()).catch((reason: unknown) => {
          if (!this.#closed) throw reason;
        });
        if (this.#closed) return DONE;
        this.#ended = false;
      }
    }
  }

  /** The caller's signal and the stream's own stop, for a backoff wait. */
  #waitSignal(): AbortSignal {
    const stop = (this.#stopWait ??= new AbortController()).signal;
    return this.#signal ? AbortSignal.any([this.#signal, stop]) : stop;
  }

  /** A failure after an item was yielded: never retried, reported as mid-stream. */
  readonly #failMidStream = (thrown: unknown): never => {
    this.#ended = true;
    throw this.#toFailure(thrown, true).error;
  };
}

const DONE: IteratorResult<never, void> = Object.freeze({ done: true, value: undefined });

/** An attempt's result as the stream's (an attempt's return value is not handed on). */
function itemOrEnd<T>(result: IteratorResult<T, unknown>): IteratorResult<T, void> {
  return result.done ? DONE : result;
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
