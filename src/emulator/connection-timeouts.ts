/** How long the emulator waits for a slow client; 0 turns one off. */
export interface ConnectionTimeouts {
  /** From accepting a connection to the first request's complete headers (TLS handshake aside). */
  headersTimeoutMs: number;
  /** From a request's headers to the end of its body. */
  requestTimeoutMs: number;
  /** How long a connection with no request in progress stays open; the next request's headers must come within it. */
  idleTimeoutMs: number;
}

export const DEFAULT_CONNECTION_TIMEOUTS: ConnectionTimeouts = {
  headersTimeoutMs: 60_000,
  requestTimeoutMs: 120_000,
  idleTimeoutMs: 60_000,
};

/** The parts of a request the watch needs (HTTP/1.1 or the HTTP/2 compatibility API). */
export interface WatchedRequest {
  readonly complete: boolean;
  once(event: "end", listener: () => void): unknown;
}

export interface WatchedResponse {
  once(event: "close", listener: () => void): unknown;
}

/**
 * One client connection's timers. A connection is closed when its first request's headers take longer than
 * headersTimeoutMs, or, with no request in progress, when the next one's take longer than idleTimeoutMs. A
 * request whose body takes longer than requestTimeoutMs is cut (`cutRequest`). A response the emulator itself
 * delays (latency, a stall fault) is never timed out here: that is the client's call.
 */
export class ConnectionWatch {
  #timer: NodeJS.Timeout | undefined;
  #open = 0;
  #closed = false;

  constructor(
    private readonly timeouts: ConnectionTimeouts,
    private readonly closeConnection: () => void,
  ) {
    this.#arm(timeouts.headersTimeoutMs);
  }

  /** A request's headers arrived: the connection is busy until its response closes. */
  requestStarted(req: WatchedRequest, res: WatchedResponse, cutRequest: () => void): void {
    this.#open += 1;
    this.#disarm();
    let bodyTimer: NodeJS.Timeout | undefined;
    if (!req.complete && this.timeouts.requestTimeoutMs > 0) {
      bodyTimer = setTimeout(cutRequest, this.timeouts.requestTimeoutMs);
      bodyTimer.unref();
      req.once("end", () => clearTimeout(bodyTimer));
    }
    res.once("close", () => {
      clearTimeout(bodyTimer);
      this.#open -= 1;
      if (this.#open === 0) this.#arm(this.timeouts.idleTimeoutMs);
    });
  }

  /** The connection is gone: drop its timers. */
  closed(): void {
    this.#closed = true;
    this.#disarm();
  }

  #arm(ms: number): void {
    this.#disarm();
    if (ms <= 0 || this.#closed) return;
    this.#timer = setTimeout(() => {
      if (this.#open === 0) this.closeConnection();
    }, ms);
    this.#timer.unref();
  }

  #disarm(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
  }
}
