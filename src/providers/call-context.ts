/**
 * One call's cancellation: the caller's AbortSignal and the total timeout folded into one internal signal,
 * which is what the transport sees. The reason tells why it fired (AbortError or TimeoutError), and the
 * context can be aborted from inside (a consumer that stops reading a stream) to free the connection.
 */
import { AbortError, InvalidRequestError, MinionError, TimeoutError, providerClosedError } from "../schema/errors.js";

export class CallContext {
  readonly #controller = new AbortController();
  /** The controller's signal, kept: `aborted` is read for every streamed event. */
  readonly #signal = this.#controller.signal;
  readonly #userSignal: AbortSignal | undefined;
  readonly #onUserAbort: (() => void) | undefined;
  readonly #onEnd: (() => void) | undefined;
  #timer: ReturnType<typeof setTimeout> | undefined;

  /** `onEnd`: called when the call is aborted or disposed (RunningCalls forgets it then; more than once is harmless). */
  constructor(options: { signal?: AbortSignal | undefined; timeout?: number | undefined; onEnd?: () => void }) {
    const { signal, timeout, onEnd } = options;
    this.#onEnd = onEnd;
    if (timeout !== undefined && !(typeof timeout === "number" && timeout > 0 && Number.isFinite(timeout))) {
      throw new InvalidRequestError(`timeout must be a positive number of milliseconds, got ${String(timeout)}.`);
    }
    if (signal !== undefined && !(signal instanceof AbortSignal)) {
      throw new InvalidRequestError("signal must be an AbortSignal (for example from new AbortController().signal).");
    }
    this.#userSignal = signal;
    if (signal?.aborted) {
      this.#controller.abort(new AbortError(signal.reason));
    } else if (signal) {
      this.#onUserAbort = () => this.abort(new AbortError(signal.reason));
      signal.addEventListener("abort", this.#onUserAbort, { once: true });
    }
    if (timeout !== undefined && !this.#controller.signal.aborted) {
      this.#timer = setTimeout(() => this.abort(new TimeoutError("total", timeout)), timeout);
    }
  }

  /** The signal to hand to the transport. */
  get signal(): AbortSignal {
    return this.#signal;
  }

  get aborted(): boolean {
    return this.#signal.aborted;
  }

  /** Why the call was cut, as the error to throw (undefined while it runs). */
  get reason(): MinionError | undefined {
    const reason: unknown = this.#controller.signal.reason;
    return this.aborted ? (reason instanceof MinionError ? reason : new AbortError(reason)) : undefined;
  }

  /** Cuts the call (frees its connection). The first reason wins. */
  abort(reason: MinionError = new AbortError("released")): void {
    if (!this.#controller.signal.aborted) this.#controller.abort(reason);
    this.#clear();
  }

  /** Stops the timer and detaches from the caller's signal; call when the call is over. */
  dispose(): void {
    this.#clear();
  }

  #clear(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    if (this.#onUserAbort) this.#userSignal?.removeEventListener("abort", this.#onUserAbort);
    this.#onEnd?.();
  }
}

/**
 * A provider's running calls, so that its close() can end them all with provider_closed (a call waiting for a
 * retry, the rate limiter or a slot, or reading a stream). A Set, not a listener per call on one shared
 * signal: adding listeners to one EventTarget costs O(n) each, so a burst of queued calls would cost O(n²).
 */
export class RunningCalls {
  readonly #calls = new Set<CallContext>();
  #closed = false;

  /** A new call's context; a call started after close() is ended at once. */
  start(options: { signal?: AbortSignal | undefined; timeout?: number | undefined }): CallContext {
    const call: CallContext = new CallContext({ ...options, onEnd: () => this.#calls.delete(call) });
    if (this.#closed) call.abort(providerClosedError());
    else if (!call.aborted) this.#calls.add(call);
    return call;
  }

  close(): void {
    this.#closed = true;
    for (const call of [...this.#calls]) call.abort(providerClosedError());
    this.#calls.clear();
  }
}

/**
 * Ends a stream whose iterator the caller dropped without finishing it or calling return() (a function that
 * returned early, an exception between two next() calls). Such a generator's `finally` never runs; once the
 * iterator is garbage, the guard runs the release the generator left with it: the call is aborted (its
 * connection, slot and timers freed) and the attempt ended (its usage recorded), as a `break` out of
 * `for await` does. Without it a stalled answer would hold them until the call's timeout (60 minutes by
 * default). The release must not refer to the iterator, or the iterator would never be garbage.
 */
export class DroppedStreamGuard {
  static readonly #registry = new FinalizationRegistry<DroppedStreamGuard>((guard) => guard.#dropped());
  #release: (() => void) | undefined;
  readonly #alsoOnDrop: (() => void) | undefined;

  /** `alsoOnDrop`: what else a drop ends that lives outside the generator (a trace's span); it may run after a normal end too. */
  constructor(alsoOnDrop?: () => void) {
    this.#alsoOnDrop = alsoOnDrop;
  }

  /** Watches `iterator` (the object the caller holds) and returns it. */
  watch<T extends object>(iterator: T): T {
    DroppedStreamGuard.#registry.register(iterator, this);
    return iterator;
  }

  /** What a drop runs; `undefined` once the stream has ended on its own. */
  set release(release: (() => void) | undefined) {
    this.#release = release;
  }

  #dropped(): void {
    this.#release?.();
    this.#alsoOnDrop?.();
  }
}
