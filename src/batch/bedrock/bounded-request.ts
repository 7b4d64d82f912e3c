/**
 * One SDK request of a Bedrock batch, bounded. The SDK's connect and idle timeouts stop counting once the
 * response's headers are in, so an answer whose body came a byte at a time would hold the batch forever.
 * Each request gets one signal folding the caller's signal and a total timeout over the whole exchange, body
 * included (the CallContext a model call uses); when it fires, the SDK destroys the request and its socket.
 */
import { CallContext } from "../../providers/call-context.js";
import { clean } from "../../providers/bedrock/transport/service-error.js";
import { TimeoutError } from "../../schema/errors.js";
import type { BatchClients, BatchPlane } from "./batch-clients.js";
import { fromSdkError } from "./bedrock-batch-errors.js";

export class BoundedRequest {
  readonly #context: CallContext;
  readonly #action: string;
  readonly #secrets: readonly string[];

  /** `action` names the request in errors ("Uploading s3://bucket/key"). */
  constructor(clients: BatchClients, plane: BatchPlane, action: string, signal: AbortSignal | undefined) {
    this.#context = new CallContext({ signal, timeout: clients.requestTimeoutMs[plane] });
    this.#action = action;
    this.#secrets = clients.secrets;
  }

  /** The signal to hand to the SDK's send(). */
  get signal(): AbortSignal {
    return this.#context.signal;
  }

  /** A failure of this request as the library's error: why the signal fired (TimeoutError, AbortError), else the SDK's error typed. */
  failure(error: unknown): unknown {
    const reason = this.#context.reason;
    if (reason instanceof TimeoutError) return new TimeoutError(reason.kind, reason.timeoutMs, clean(this.#action, this.#secrets));
    return reason ?? fromSdkError(error, this.#action, this.#secrets);
  }

  /** Stops the timer and detaches from the caller's signal; call when the response (body included) is read. */
  end(): void {
    this.#context.dispose();
  }
}

/** `send(abortSignal)` as one bounded request whose answer is read whole by the SDK. */
export async function sendBounded<T>(
  clients: BatchClients,
  plane: BatchPlane,
  action: string,
  signal: AbortSignal | undefined,
  send: (abortSignal: AbortSignal) => Promise<T>,
): Promise<T> {
  const request = new BoundedRequest(clients, plane, action, signal);
  try {
    return await send(request.signal);
  } catch (error) {
    throw request.failure(error);
  } finally {
    request.end();
  }
}
