/** Waits `ms` milliseconds; resolves false at once if the signal aborts (the timer is cleared). */
export function sleep(ms: number, signal: AbortSignal): Promise<boolean> {
  if (signal.aborted) return Promise.resolve(false);
  if (ms <= 0) return Promise.resolve(true);
  return new Promise((resolve) => {
    const onAbort = () => {
      clearTimeout(timer);
      resolve(false);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      resolve(true);
    }, ms);
    signal.addEventListener("abort", onAbort, { once: true });
  });
}

/** Resolves when the signal aborts (a stall that ends only when the client leaves or the emulator closes). */
export function waitForAbort(signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => signal.addEventListener("abort", () => resolve(), { once: true }));
}

/** Resolves true on 'drain', false if the signal aborts first. */
export function waitForDrain(target: { once(event: "drain", listener: () => void): unknown; removeListener?(event: string, listener: () => void): unknown }, signal: AbortSignal): Promise<boolean> {
  if (signal.aborted) return Promise.resolve(false);
  return new Promise((resolve) => {
    const onAbort = () => resolve(false);
    target.once("drain", () => {
      signal.removeEventListener("abort", onAbort);
      resolve(true);
    });
    signal.addEventListener("abort", onAbort, { once: true });
  });
}

/** Repeated waits bound to one signal, with one abort listener for all of them (a stream's frame delays). */
export class Ticker {
  private timer: NodeJS.Timeout | undefined;
  private wake: ((value: boolean) => void) | undefined;
  private readonly onAbort = () => {
    clearTimeout(this.timer);
    this.wake?.(false);
  };

  constructor(private readonly signal: AbortSignal) {
    signal.addEventListener("abort", this.onAbort, { once: true });
  }

  /** Waits `ms`; resolves false at once if (or when) the signal aborts. */
  sleep(ms: number): Promise<boolean> {
    if (this.signal.aborted) return Promise.resolve(false);
    return new Promise((resolve) => {
      this.wake = resolve;
      this.timer = setTimeout(resolve, ms, true);
    });
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.signal.removeEventListener("abort", this.onAbort);
  }
}
