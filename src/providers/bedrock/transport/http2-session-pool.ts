/**
 * The HTTP/2 sessions a provider sends its calls on with `transport: "http2"`: each call is a stream, and
 * streams share a few sessions (TLS connections with ALPN h2, or h2c prior knowledge on http:// endpoints).
 * A new session is opened only when every open one carries as many streams as its server allows
 * (SETTINGS_MAX_CONCURRENT_STREAMS; until the server's SETTINGS arrive, RFC 9113's recommended minimum of 100).
 *
 * A session that receives GOAWAY, fails or closes leaves the pool at once: Node fails the streams the server
 * did not take, and later calls open a new session. A session with no stream is unref'd (it does not keep the
 * process alive, as a free keep-alive socket does not) and closed after IDLE_SESSION_MS.
 *
 * When a call on a session times out (and each idle timeout while a non-streaming call awaits its answer), the
 * session is sent a PING (`probe`) and destroyed if it does not answer within the connect timeout: nghttp2
 * ends a session on some protocol errors of the server (a SETTINGS frame with too many entries, a frame larger
 * than allowed) by sending GOAWAY and reading no more, and Node does not report it. Such a session looks
 * open, and every call sent on it would wait for its own timeout.
 *
 * How many streams are in flight at once (max_concurrency) is capped before a call reaches the pool, by the
 * transport's slots (call-slots.ts), as on HTTP/1.1.
 */
import http2 from "node:http2";
import { NetworkError, TimeoutError } from "../../../schema/errors.js";

/** Streams given to a session before its server's SETTINGS say how many it takes (RFC 9113 section 6.5.2). */
const ASSUMED_MAX_STREAMS = 100;
/** A session without a stream for this long is closed. */
const IDLE_SESSION_MS = 60_000;
/** How long a session has to answer the PING of `probe` when no connect timeout is set. */
const PROBE_DEADLINE_MS = 10_000;
/** Connection-level receive window: one session carries many streams, so Node's 64 KB default would stall them. */
const SESSION_WINDOW_BYTES = 16 * 1024 * 1024;

export interface Http2SessionPoolSettings {
  endpoint: URL;
  /** PEM certificate(s) to trust for the endpoint. */
  ca?: string | undefined;
  /** Longest time to open a session (TCP, TLS, the server's SETTINGS), ms; undefined = none. */
  connectTimeoutMs?: number | undefined;
  idleSessionMs?: number | undefined;
}

interface PooledSession {
  session: http2.ClientHttp2Session;
  /** Streams open on it (requests sent and not yet closed). */
  streams: number;
  /** The server's SETTINGS_MAX_CONCURRENT_STREAMS once received. */
  maxStreams: number;
  idleTimer: NodeJS.Timeout | undefined;
  /** A PING sent by `probe` is awaited. */
  probing: boolean;
}

export class Http2SessionPool {
  readonly #settings: Http2SessionPoolSettings;
  readonly #origin: string;
  #sessions: PooledSession[] = [];
  readonly #sessionOf = new WeakMap<object, PooledSession>();

  constructor(settings: Http2SessionPoolSettings) {
    this.#settings = settings;
    this.#origin = settings.endpoint.origin;
  }

  /** Sessions open now (for tests and the bench). */
  get sessionCount(): number {
    return this.#sessions.length;
  }

  /**
   * Sends the request's headers as a new stream on a session with room (the body is for the caller to end).
   * Throws synchronously when Node refuses a header (nothing was sent); a session that cannot be opened fails
   * the stream with its error (TimeoutError "connect" when it takes longer than the connect timeout).
   */
  request(headers: http2.OutgoingHttpHeaders): http2.ClientHttp2Stream {
    const pooled = this.#sessionWithRoom() ?? this.#open();
    const stream = pooled.session.request(headers, { endStream: false });
    if (pooled.streams++ === 0) {
      if (pooled.idleTimer !== undefined) clearTimeout(pooled.idleTimer);
      pooled.session.ref();
    }
    this.#sessionOf.set(stream, pooled);
    stream.once("close", () => this.#released(pooled));
    return stream;
  }

  /**
   * A call on `stream` timed out, or has long been waiting: its session is sent a PING, and destroyed (its
   * streams fail with a retryable NetworkError) unless the answer comes within the connect timeout.
   */
  probe(stream: object): void {
    const pooled = this.#sessionOf.get(stream);
    if (pooled === undefined || pooled.probing) return;
    const { session } = pooled;
    if (session.closed || session.destroyed) return;
    pooled.probing = true;
    const deadline = this.#settings.connectTimeoutMs ?? PROBE_DEADLINE_MS;
    let answered = false;
    const timer = setTimeout(() => {
      // Decided after the loop's next read of the sockets: timers run before it, so after a long synchronous
      // task in this process the answer may be waiting, unread, in the socket.
      setImmediate(() => {
        if (answered) return;
        this.#remove(pooled);
        const error = new NetworkError(`The HTTP/2 session with Bedrock did not answer a PING within ${deadline} ms; it was closed.`, true, { networkCode: "session_unresponsive" });
        session.destroy(error);
      });
    }, deadline);
    timer.unref();
    session.ping(() => {
      answered = true;
      clearTimeout(timer);
      pooled.probing = false;
    });
  }

  /** Destroys every session (their open streams fail). */
  close(): void {
    const sessions = this.#sessions;
    this.#sessions = [];
    for (const pooled of sessions) {
      if (pooled.idleTimer !== undefined) clearTimeout(pooled.idleTimer);
      pooled.session.destroy();
    }
  }

  #sessionWithRoom(): PooledSession | undefined {
    for (const pooled of this.#sessions) {
      // A session closing or destroyed in this tick has not emitted its events yet: request() would throw.
      if (pooled.streams < pooled.maxStreams && !pooled.session.closed && !pooled.session.destroyed) return pooled;
    }
    return undefined;
  }

  #open(): PooledSession {
    const { ca, connectTimeoutMs } = this.#settings;
    const session = http2.connect(this.#origin, { ...(ca ? { ca } : {}), settings: { enablePush: false } });
    const pooled: PooledSession = { session, streams: 0, maxStreams: ASSUMED_MAX_STREAMS, idleTimer: undefined, probing: false };
    this.#sessions.push(pooled);
    const leave = (): void => this.#remove(pooled);
    session.on("error", leave); // the streams receive the error themselves
    session.once("goaway", () => {
      leave();
      session.close(); // once the streams the server kept have ended
    });
    session.once("close", leave);
    session.on("remoteSettings", (settings) => {
      pooled.maxStreams = settings.maxConcurrentStreams ?? pooled.maxStreams;
    });
    // Node destroys a session whose request() it refused (an invalid header name), yet still emits "connect".
    session.once("connect", () => session.destroyed || session.setLocalWindowSize(SESSION_WINDOW_BYTES));
    if (connectTimeoutMs !== undefined) armConnectTimeout(session, connectTimeoutMs);
    return pooled;
  }

  #released(pooled: PooledSession): void {
    if (--pooled.streams > 0 || pooled.session.destroyed) return;
    pooled.session.unref();
    if (pooled.idleTimer !== undefined) clearTimeout(pooled.idleTimer);
    pooled.idleTimer = setTimeout(() => {
      if (pooled.streams > 0) return;
      this.#remove(pooled);
      pooled.session.close();
    }, this.#settings.idleSessionMs ?? IDLE_SESSION_MS);
    pooled.idleTimer.unref();
  }

  #remove(pooled: PooledSession): void {
    const at = this.#sessions.indexOf(pooled);
    if (at !== -1) this.#sessions.splice(at, 1);
  }
}

/** A session not connected (TCP, TLS, the server's SETTINGS) within `ms` is destroyed with TimeoutError "connect". */
function armConnectTimeout(session: http2.ClientHttp2Session, ms: number): void {
  const timer = setTimeout(() => session.destroy(new TimeoutError("connect", ms)), ms);
  const clear = (): void => clearTimeout(timer);
  session.once("remoteSettings", clear);
  session.once("close", clear);
}
