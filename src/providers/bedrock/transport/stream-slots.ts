/**
 * At most `limit` HTTP/2 streams of a provider in flight (the config's max_concurrency, as the HTTP/1.1 pool's
 * socket limit): a call beyond it waits, first come first served, for a stream of another call to close.
 * A slot freed while calls wait passes straight to the first of them, so a later call cannot overtake it.
 */

interface Waiter {
  grant(): void;
  refuse(error: unknown): void;
}

export class StreamSlots {
  readonly #limit: number;
  #taken = 0;
  /** In arrival order (a Set iterates in insertion order, and an aborted waiter leaves it in O(1)). */
  readonly #waiting = new Set<Waiter>();

  constructor(limit: number) {
    this.#limit = limit;
  }

  /** Slots held now (by open streams, or by calls about to open one). */
  get taken(): number {
    return this.#taken;
  }

  /** Calls waiting for a slot. */
  get waiting(): number {
    return this.#waiting.size;
  }

  /**
   * Takes a slot: at once (undefined) when one is free and no call waits; otherwise a promise that resolves
   * once this call has one, or rejects with the signal's reason when it is aborted first (holding none).
   */
  take(signal: AbortSignal): Promise<void> | undefined {
    if (this.#taken < this.#limit && this.#waiting.size === 0) {
      this.#taken++;
      return undefined;
    }
    if (signal.aborted) return Promise.reject(signal.reason);
    return new Promise<void>((resolve, reject) => {
      const onAbort = (): void => {
        this.#waiting.delete(waiter);
        reject(signal.reason);
      };
      const waiter: Waiter = {
        grant: () => {
          signal.removeEventListener("abort", onAbort);
          resolve();
        },
        refuse: (error) => {
          signal.removeEventListener("abort", onAbort);
          reject(error);
        },
      };
      this.#waiting.add(waiter);
      signal.addEventListener("abort", onAbort, { once: true });
    });
  }

  /** Frees a slot taken with take(): it goes to the first waiting call, if any. */
  release(): void {
    const next = this.#waiting.values().next();
    if (next.done) {
      this.#taken--;
      return;
    }
    this.#waiting.delete(next.value);
    next.value.grant();
  }

  /** Fails every waiting call with `error` (the pool is closing: no slot will come). */
  refuseWaiting(error: unknown): void {
    const waiting = [...this.#waiting];
    this.#waiting.clear();
    for (const waiter of waiting) waiter.refuse(error);
  }
}
