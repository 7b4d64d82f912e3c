/**
 * A token bucket: `ratePerSecond` tokens flow in, at most `capacity` are kept. Taking may drive the level below
 * zero (a call that used more tokens than estimated); later takers then wait until it has refilled.
 */
export class TokenBucket {
  #rate: number;
  #capacity: number;
  #level: number;
  #updatedAt: number;

  constructor(ratePerSecond: number, capacity: number, now: number, initialLevel = capacity) {
    this.#rate = ratePerSecond;
    this.#capacity = capacity;
    this.#level = Math.min(initialLevel, capacity);
    this.#updatedAt = now;
  }

  get ratePerSecond(): number {
    return this.#rate;
  }

  get capacity(): number {
    return this.#capacity;
  }

  level(now: number): number {
    this.#refill(now);
    return this.#level;
  }

  /**
   * Milliseconds until `amount` tokens can be taken (0: now). An amount above the capacity waits for a full
   * bucket only, so an oversized call is slowed, never stuck.
   */
  waitMs(amount: number, now: number): number {
    this.#refill(now);
    const needed = Math.min(amount, this.#capacity);
    if (this.#level >= needed) return 0;
    return Math.ceil(((needed - this.#level) / this.#rate) * 1000);
  }

  take(amount: number, now: number): void {
    this.#refill(now);
    this.#level -= amount;
  }

  /** Gives back tokens (a call that used fewer than it reserved), never above the capacity. */
  give(amount: number, now: number): void {
    this.#refill(now);
    this.#level = Math.min(this.#capacity, this.#level + amount);
  }

  /** Changes the rate and capacity; the level is kept, within the new capacity. */
  reconfigure(ratePerSecond: number, capacity: number, now: number): void {
    this.#refill(now);
    this.#rate = ratePerSecond;
    this.#capacity = capacity;
    this.#level = Math.min(this.#level, capacity);
  }

  #refill(now: number): void {
    const elapsed = Math.max(0, now - this.#updatedAt);
    this.#updatedAt = Math.max(now, this.#updatedAt);
    if (this.#level < this.#capacity) this.#level = Math.min(this.#capacity, this.#level + (elapsed * this.#rate) / 1000);
  }
}
