/**
 * Admission for the runner: at most `window.limit` requests in flight, and at most `maxOpen` requests
 * open (in flight or waiting out a retry delay), so memory stays bounded even while throttled.
 */
import type { AdaptiveWindow } from "./adaptive-window.js";

export class RequestSlots {
  readonly #window: AdaptiveWindow;
  readonly #maxOpen: number;
  #inFlight = 0;
  #open = 0;
  #waiters: (() => void)[] = [];

  constructor(window: AdaptiveWindow, maxOpen: number) {
    this.#window = window;
    this.#maxOpen = maxOpen;
  }

  get inFlight(): number {
    return this.#inFlight;
  }

  get open(): number {
    return this.#open;
  }

  /** Waits until a new request may be opened (and sent). */
  async openRequest(): Promise<void> {
    while (this.#open >= this.#maxOpen || this.#inFlight >= this.#window.limit) await this.#wait();
    this.#open += 1;
    this.#inFlight += 1;
  }

  /** Waits until an open request may send again (after a retry delay). */
  async resend(): Promise<void> {
    while (this.#inFlight >= this.#window.limit) await this.#wait();
    this.#inFlight += 1;
  }

  /** The request's call ended; it stays open (for a retry) unless `closed`. */
  release(closed: boolean): void {
    this.#inFlight -= 1;
    if (closed) this.#open -= 1;
    this.wake();
  }

  /** An open request that is waiting (not in flight) is closed. */
  closeWaiting(): void {
    this.#open -= 1;
    this.wake();
  }

  /** Resolves when no request is open. */
  async drained(): Promise<void> {
    while (this.#open > 0) await this.#wait();
  }

  /** Lets waiters check again (also call after the window grows). */
  wake(): void {
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const resolve of waiters) resolve();
  }

  #wait(): Promise<void> {
    return new Promise((resolve) => this.#waiters.push(resolve));
  }
}
