/**
 * Client-side rate limiting of one model in one region: requests per minute (`rpm`), tokens per minute (`tpm`)
 * and, when adaptive, a rate that falls on throttling and climbs back slowly (cubic-rate.ts). Calls wait their
 * turn in order; an AbortSignal ends the wait with the signal's reason (the provider's AbortError or
 * TimeoutError). A call reserves its estimated tokens up front and settles the difference when it is done; a
 * throttled attempt used none, so its reservation comes back.
 */
import { AbortError, MinionError } from "../../schema/errors.js";
import { CubicRate } from "./cubic-rate.js";
import { TokenBucket } from "./token-bucket.js";

export interface RateLimits {
  /** Requests per minute. */
  rpm?: number | undefined;
  /** Tokens (input + output) per minute. */
  tpm?: number | undefined;
  /** Lower the request rate on throttling and raise it slowly again. */
  adaptive: boolean;
}

/** Time and timers, injectable so tests can drive them. */
export interface Clock {
  now(): number;
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const systemClock: Clock = {
  now: () => performance.now(),
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/** One admitted attempt: report how the service answered it (once), then the tokens it used. */
export interface RatePermit {
  /** When the attempt was let through (limiter clock, ms). */
  readonly sentAt: number;
  /** The service took the request: it answered with anything but a throttle (adaptive: measures the accepted rate). */
  accepted(): void;
  /** The service throttled the request: the adaptive rate is cut, and the reserved tokens come back. */
  throttled(): void;
  /** The attempt used this many tokens in all (replaces the estimate it reserved). */
  settle(tokens: number): void;
}

/** A request bucket lets bursts of a tenth of a second's worth through, at least one request. */
const REQUEST_BURST_SECONDS = 0.1;
/** The token bucket holds ten seconds' worth. */
const TOKEN_BURST_SECONDS = 10;

interface Waiter {
  tokens: number;
  resolve: (permit: RatePermit) => void;
  reject: (error: Error) => void;
  signal: AbortSignal | undefined;
  onAbort: (() => void) | undefined;
}

export class RateLimiter {
  #limits: RateLimits;
  readonly #clock: Clock;
  readonly #cubic = new CubicRate();
  #requests: TokenBucket | undefined;
  #tokens: TokenBucket | undefined;
  readonly #queue: Waiter[] = [];
  #timer: unknown;
  #throttles = 0;

  constructor(limits: RateLimits, clock: Clock = systemClock) {
    this.#limits = { ...limits };
    this.#clock = clock;
    this.#configure(clock.now());
  }

  get limits(): Readonly<RateLimits> {
    return this.#limits;
  }

  /** The request rate allowed now, per second (undefined: no request limit). */
  currentRate(): number | undefined {
    return this.#requestRate(this.#clock.now());
  }

  /** Calls waiting for capacity. */
  get waiting(): number {
    return this.#queue.length;
  }

  /** Throttles reported that cut the adaptive rate. */
  get cuts(): number {
    return this.#throttles;
  }

  /** Tightens the limits (another provider of the same model and region asked for less). */
  tighten(limits: RateLimits): void {
    const lower = (a: number | undefined, b: number | undefined): number | undefined => (a === undefined ? b : b === undefined ? a : Math.min(a, b));
    this.#limits = { rpm: lower(this.#limits.rpm, limits.rpm), tpm: lower(this.#limits.tpm, limits.tpm), adaptive: this.#limits.adaptive || limits.adaptive };
    this.#configure(this.#clock.now());
    this.#pump();
  }

  /** Waits until a call of about `tokens` tokens may go. */
  acquire(tokens = 0, signal?: AbortSignal): Promise<RatePermit> {
    if (signal?.aborted) return Promise.reject(abortReason(signal));
    if (this.#queue.length === 0 && this.#waitMs(tokens, this.#clock.now()) === 0) return Promise.resolve(this.#admit(tokens));
    return new Promise<RatePermit>((resolve, reject) => {
      const waiter: Waiter = { tokens, resolve, reject, signal, onAbort: undefined };
      if (signal) {
        waiter.onAbort = () => this.#cancel(waiter);
        signal.addEventListener("abort", waiter.onAbort, { once: true });
      }
      this.#queue.push(waiter);
      this.#pump();
    });
  }

  #admit(tokens: number): RatePermit {
    const sentAt = this.#clock.now();
    this.#configure(sentAt);
    this.#requests?.take(1, sentAt);
    this.#tokens?.take(tokens, sentAt);
    let reserved = tokens;
    let answered = false;
    const settle = (used: number): void => {
      if (!this.#tokens || !Number.isFinite(used)) return;
      if (used > reserved) this.#tokens.take(used - reserved, this.#clock.now());
      else this.#tokens.give(reserved - used, this.#clock.now());
      reserved = used;
      this.#pump();
    };
    const answer = (throttled: boolean): void => {
      if (answered) return;
      answered = true;
      if (throttled) settle(0);
      if (this.#limits.adaptive) this.#onAnswer(sentAt, throttled);
    };
    return { sentAt, accepted: () => answer(false), throttled: () => answer(true), settle };
  }

  #onAnswer(sentAt: number, throttled: boolean): void {
    const now = this.#clock.now();
    if (!throttled) return this.#cubic.noteAccepted(now);
    if (!this.#cubic.onThrottle(sentAt, now)) return;
    this.#throttles++;
    this.#configure(now);
    this.#pump();
  }

  #cancel(waiter: Waiter): void {
    const index = this.#queue.indexOf(waiter);
    if (index < 0) return;
    this.#queue.splice(index, 1);
    waiter.reject(abortReason(waiter.signal!));
    if (index === 0) this.#pump();
  }

  /** Lets through every waiter at the head that may go now, then sleeps until the next one may. */
  #pump(): void {
    if (this.#timer !== undefined) {
      this.#clock.clearTimeout(this.#timer);
      this.#timer = undefined;
    }
    while (this.#queue.length > 0) {
      const head = this.#queue[0]!;
      const wait = this.#waitMs(head.tokens, this.#clock.now());
      if (wait > 0) {
        this.#timer = this.#clock.setTimeout(() => {
          this.#timer = undefined;
          this.#pump();
        }, wait);
        return;
      }
      this.#queue.shift();
      if (head.onAbort) head.signal?.removeEventListener("abort", head.onAbort);
      head.resolve(this.#admit(head.tokens));
    }
  }

  #waitMs(tokens: number, now: number): number {
    this.#configure(now);
    return Math.max(this.#requests?.waitMs(1, now) ?? 0, this.#tokens?.waitMs(tokens, now) ?? 0);
  }

  #requestRate(now: number): number | undefined {
    const fixed = this.#limits.rpm !== undefined ? this.#limits.rpm / 60 : undefined;
    const adaptive = this.#limits.adaptive ? this.#cubic.rateAt(now) : undefined;
    if (fixed === undefined) return adaptive;
    return adaptive === undefined ? fixed : Math.min(fixed, adaptive);
  }

  /** Brings the buckets in line with the limits and the adaptive rate at `now`. */
  #configure(now: number): void {
    const rate = this.#requestRate(now);
    if (rate === undefined) {
      this.#requests = undefined;
    } else {
      const capacity = Math.max(1, rate * REQUEST_BURST_SECONDS);
      // A limit that just started (the first throttle) starts empty: the burst that caused it is over.
      if (this.#requests) this.#requests.reconfigure(rate, capacity, now);
      else this.#requests = new TokenBucket(rate, capacity, now, this.#limits.rpm !== undefined && this.#limits.rpm / 60 <= rate ? capacity : 0);
    }
    const tpm = this.#limits.tpm;
    if (tpm === undefined) this.#tokens = undefined;
    else if (!this.#tokens) this.#tokens = new TokenBucket(tpm / 60, (tpm / 60) * TOKEN_BURST_SECONDS, now);
    else if (this.#tokens.ratePerSecond !== tpm / 60) this.#tokens.reconfigure(tpm / 60, (tpm / 60) * TOKEN_BURST_SECONDS, now);
  }
}

function abortReason(signal: AbortSignal): Error {
  return signal.reason instanceof MinionError ? signal.reason : new AbortError(signal.reason);
}
