/**
 * How many requests may be in flight: additive increase, multiplicative decrease (AIMD), as TCP does. A
 * throttled request halves the window, but only once per round trip: requests started before the last cut
 * were sent under the old window, and their throttles say nothing new. Each success adds 1/limit, so the
 * window grows back by one per window's worth of successes, up to the configured maximum.
 */
export class AdaptiveWindow {
  readonly max: number;
  #limit: number;
  #started = 0;
  #cutAt = 0;

  constructor(max: number) {
    this.max = max;
    this.#limit = max;
  }

  /** Requests allowed in flight now (at least 1). */
  get limit(): number {
    return Math.max(1, Math.floor(this.#limit));
  }

  /** Call when a request starts; pass the returned ticket to onThrottle. */
  start(): number {
    this.#started += 1;
    return this.#started;
  }

  onSuccess(): void {
    this.#limit = Math.min(this.max, this.#limit + 1 / this.#limit);
  }

  /** Returns true when this throttle cut the window. */
  onThrottle(ticket: number): boolean {
    if (ticket <= this.#cutAt) return false;
    this.#cutAt = this.#started;
    this.#limit = Math.max(1, this.#limit / 2);
    return true;
  }
}
