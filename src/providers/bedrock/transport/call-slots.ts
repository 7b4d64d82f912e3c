/**
 * At most `limit` calls of a provider in flight (the config's max_concurrency), on either transport: a call
 * takes a slot before it is signed, and holds it until its HTTP/1.1 request or HTTP/2 stream closes
 * (bedrock-transport.ts). A call beyond the limit waits, first come first served, for another to close; a
 * slot freed while calls wait passes straight to the first of them, so a later call cannot overtake it.
 * Once closed (the provider is), waiting calls and every later take() fail with the closing error.
 */

interface Waiter {
  grant(): void;
  refuse(error: unknown): void;
}

export class CallSlots {
  readonly #limit: number;
  #taken = 0;
  /** The error every call fails with once close() ran. */
  #closedWith: Error | undefined;
  /** In arrival order (a Set iterates in insertion order, and an aborted waiter leaves it in O(1)). */
  readonly #waiting = new Set<Waiter>();

  constructor(limit: number) {
    this.#limit = limit;
  }

  /** Slots held now (by open requests or streams, or by calls about to send one). */
  get taken(): number {
    return this.#taken;
  }

  /** Calls waiting for a slot. */
  get waiting(): number {
    return this.#waiting.size;
  }

  /**
   * Takes a slot: at once (undefined) when one is free and no call waits; otherwise a promise that resolves
   * once this call has one, or rejects with the signal's reason when it is aborted first (holding none), or
   * with the closing error (at once after close()).
   */
  take(signal: AbortSignal): Promise<void> | undefined {
    if (this.#closedWith) return Promise.reject(this.#closedWith);
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

  /** The closing error once close() ran (a call holding a slot checks it before it sends), else undefined. */
  get closedWith(): Error | undefined {
    return this.#closedWith;
  }

  /** Fails every waiting call, and every later take(), with `error` (the pool is closing: no slot will come). */
  close(error: Error): void {
    this.#closedWith ??= error;
    const waiting = [...this.#waiting];
    this.#waiting.clear();
    for (const waiter of waiting) waiter.refuse(error);
  }
}
