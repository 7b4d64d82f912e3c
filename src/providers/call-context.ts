/**
 * One call's cancellation: the caller's AbortSignal and the total timeout folded into one internal signal,
 * which is what the transport sees. The reason tells why it fired (AbortError or TimeoutError), and the
 * context can be aborted from inside (a consumer that stops reading a stream) to free the connection.
 */
import { setMaxListeners } from "node:events";
import { AbortError, InvalidRequestError, MinionError, ProviderError, TimeoutError } from "../schema/errors.js";

export class CallContext {
  readonly #controller = new AbortController();
  /** The controller's signal, kept: `aborted` is read for every streamed event. */
  readonly #signal = this.#controller.signal;
  readonly #userSignal: AbortSignal | undefined;
  readonly #onUserAbort: (() => void) | undefined;
  readonly #closing: AbortSignal | undefined;
  readonly #onClosing: (() => void) | undefined;
  #timer: ReturnType<typeof setTimeout> | undefined;

  /** `closing`: the provider's, aborted by its close() with the error every call still running ends with. */
  constructor(options: { signal?: AbortSignal | undefined; timeout?: number | undefined; closing?: AbortSignal | undefined }) {
    const { signal, timeout, closing } = options;
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
    if (closing !== undefined) {
      this.#closing = closing;
      this.#onClosing = () => this.abort(closing.reason as MinionError);
      if (closing.aborted) this.#onClosing();
      else closing.addEventListener("abort", this.#onClosing, { once: true });
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
    if (this.#onClosing) this.#closing?.removeEventListener("abort", this.#onClosing);
  }
}

/** What a call of a closed provider ends with. */
export function closedError(): ProviderError {
  return new ProviderError("This provider was closed; create a new one.", "provider_closed", false);
}

/** A provider's `closing` controller: every running call listens to it, so it takes any number of listeners. */
export function closingSignal(): AbortController {
  const controller = new AbortController();
  setMaxListeners(0, controller.signal);
  return controller;
}
