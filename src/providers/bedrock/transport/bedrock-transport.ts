/**
 * Every Bedrock Runtime call (InvokeModel, InvokeModelWithResponseStream, Converse, ConverseStream,
 * CountTokens) goes out here: straight over Node's http/https on the provider's keep-alive pool (direct, or
 * through a CONNECT proxy), or as a stream on its HTTP/2 sessions (`transport: "http2"`, http2-session-pool.ts),
 * signed here with SigV4 or carrying the bearer key, once it has a slot of the provider's max_concurrency
 * (call-slots.ts; held until its request or stream closes). The AWS SDK's command pipeline
 * cost ~1 ms per request before the request was even written, and its HTTP/2 handler opened a session per
 * event stream (bench/RESULTS.md); the SDK now only supplies the credential chain.
 *
 * One error path, typed where each failure starts: the connection (NetworkError, TimeoutError "connect"), a
 * silence (TimeoutError "idle"), an HTTP error (BedrockServiceError), the body (read-event-stream.ts,
 * readBody below). Headers are set on the request, not passed in its options, so that NODE_DEBUG=http, which
 * prints the options, cannot print the signature, session token or bearer key.
 */
import http, { type IncomingHttpHeaders } from "node:http";
import http2 from "node:http2";
import https from "node:https";
import type { Socket } from "node:net";
import type { Readable } from "node:stream";
import tls from "node:tls";
import { InvalidRequestError, MinionError, NetworkError, TimeoutError } from "../../../schema/errors.js";
import { secretsOf } from "../auth/resolve-auth.js";
import { scrub } from "../errors/scrub-secrets.js";
import type { Http2SessionPool } from "./http2-session-pool.js";
import { networkErrorOf } from "./network-error.js";
import { readResponseBody } from "./read-response-body.js";
import { serviceErrorFromResponse } from "./service-error.js";
import { SigV4Signer, type SigningCredentials } from "./sign-sigv4.js";
import type { CallSlots } from "./call-slots.js";
import { CALL_SIGNAL_OPTION } from "./call-signal-option.js";

export type TransportAuth =
  /** Static keys are returned synchronously (no await on the path to the first byte); a chain may be async. */
  | { kind: "sigv4"; credentials: () => SigningCredentials | Promise<SigningCredentials> }
  | { kind: "bearer"; token: string };

export interface BedrockTransportSettings {
  /** Base URL of the Bedrock Runtime endpoint (a path prefix, as a VPC endpoint or gateway may have, is kept). */
  endpoint: URL;
  region: string;
  auth: TransportAuth;
  /** The calls in flight at once (max_concurrency), on either transport. */
  slots: CallSlots;
  /** The HTTP/1.1 keep-alive pool (create-connection-pool.ts), or undefined when `sessions` carry the calls. */
  agent?: http.Agent | undefined;
  /** HTTP/2 sessions (http2-session-pool.ts) calls are sent on as streams instead of the agent's sockets. */
  sessions?: Http2SessionPool | undefined;
  /** Longest time to open a direct connection (TCP + TLS), ms; undefined = none. */
  connectTimeoutMs?: number | undefined;
  /** Other secrets of the connection (the proxy's password) that no error may show. */
  connectionSecrets?: readonly string[] | undefined;
}

/** A response that started with status 200: its headers, and its body to read (an HTTP/1.1 message or an HTTP/2 stream). */
export type TransportResponse = Readable & { readonly headers: IncomingHttpHeaders };

export interface SendOptions {
  signal: AbortSignal;
  /** Longest silence while a response is awaited or read, ms; undefined = none. */
  idleMs?: number | undefined;
  /**
   * Whether the wait for the response headers counts as silence: yes for an event stream (its headers come
   * once the prompt is read); no for a non-streaming call, whose headers come only with the whole answer.
   */
  headersAreIdle: boolean;
}

/** A server clock further off than this is taken as our clock being wrong (the SDK uses the same bound). */
const CLOCK_SKEW_MS = 5 * 60 * 1000;
/** Error bodies are a short JSON message; this bounds what is read of a surprising one. */
const MAX_ERROR_BODY = 64 * 1024;
/** Bounds a non-streaming answer (the largest are base64 images, a few MB). */
const MAX_BODY = 64 * 1024 * 1024;

/** A 403 that showed our clock is off: the request is signed again with the server's time. */
class ClockSkewed {
  constructor(readonly error: Error) {}
}

export class BedrockTransport {
  readonly #settings: BedrockTransportSettings;
  readonly #signer: SigV4Signer;
  readonly #request: typeof http.request;
  readonly #basePath: string;
  /** Server time minus local time, learnt from a 403 whose Date header shows our clock is off. */
  #clockOffsetMs = 0;
  /** The secrets of the credentials last signed with (a chain rotates them), for scrubbing errors. */
  #signedWith: { credentials: SigningCredentials; secrets: string[] } | undefined;

  constructor(settings: BedrockTransportSettings) {
    this.#settings = settings;
    this.#signer = new SigV4Signer(settings.region);
    this.#request = settings.endpoint.protocol === "https:" ? https.request : http.request;
    this.#basePath = settings.endpoint.pathname.replace(/\/+$/, "");
  }

  /** Credentials this transport sends (or last sent), which no error may show. */
  get secrets(): readonly string[] {
    const auth = this.#settings.auth;
    const sent = auth.kind === "bearer" ? [auth.token] : (this.#signedWith?.secrets ?? []);
    const connection = this.#settings.connectionSecrets ?? [];
    return connection.length === 0 ? sent : [...sent, ...connection];
  }

  /**
   * POSTs `body` to `path` and resolves with the response once it has started with status 200; any other
   * status is read (bounded) and rejected as the service error it carries. Aborting `signal` destroys the
   * request, or the response once it has started. A signature refused because the local clock is off is sent
   * once more, signed with the server's time (the SDK does the same).
   */
  open(path: string, body: string, headers: Record<string, string>, options: SendOptions): Promise<TransportResponse> {
    return this.#attempt(path, body, headers, options).catch((thrown: unknown) => {
      if (!(thrown instanceof ClockSkewed)) throw thrown;
      return this.#attempt(path, body, headers, options).catch((again: unknown) => {
        throw again instanceof ClockSkewed ? again.error : again;
      });
    });
  }

  /** A non-streaming call: the whole 200 body (bounded by the idle timeout and a size cap). */
  async invoke(path: string, body: string, headers: Record<string, string>, options: Omit<SendOptions, "headersAreIdle">): Promise<Buffer> {
    return (await this.invokeWithHeaders(path, body, headers, options)).body;
  }

  /** invoke(), with the response headers (embedding models report their token count only in a header). */
  async invokeWithHeaders(
    path: string,
    body: string,
    headers: Record<string, string>,
    options: Omit<SendOptions, "headersAreIdle">,
  ): Promise<{ body: Buffer; headers: IncomingHttpHeaders }> {
    const answer = await this.invokeChunks(path, body, headers, options);
    return { body: answer.chunks.length === 1 ? answer.chunks[0]! : Buffer.concat(answer.chunks), headers: answer.headers };
  }

  /** invokeWithHeaders(), with the body as it arrived (for a decoder that reads chunks without joining them). */
  async invokeChunks(
    path: string,
    body: string,
    headers: Record<string, string>,
    options: Omit<SendOptions, "headersAreIdle">,
  ): Promise<{ chunks: Buffer[]; headers: IncomingHttpHeaders }> {
    const response = await this.open(path, body, headers, { ...options, headersAreIdle: false });
    const read = await readResponseBody(response, { maxBytes: MAX_BODY, idleMs: options.idleMs }).catch((error: unknown) => {
      throw options.signal.aborted ? options.signal.reason : networkErrorOf(error, this.secrets, "while reading the response");
    });
    if (read.outcome === "idle") {
      this.#settings.sessions?.probe(response);
      throw new TimeoutError("idle", options.idleMs!);
    }
    if (read.outcome === "too_large") throw new NetworkError(`The response from Bedrock is larger than ${MAX_BODY} bytes; it was not read.`, false, { networkCode: "response_too_large" });
    return { chunks: read.chunks, headers: response.headers };
  }

  #attempt(path: string, body: string, extraHeaders: Record<string, string>, options: SendOptions): Promise<TransportResponse> {
    const fullPath = this.#basePath + path;
    const headers: Record<string, string> = {
      host: this.#settings.endpoint.host,
      "content-type": "application/json",
      "content-length": String(Buffer.byteLength(body)),
      ...extraHeaders,
    };
    const { signal } = options;
    if (signal.aborted) return Promise.reject(signal.reason);
    const refused = refusedHeader(extraHeaders);
    if (refused) return Promise.reject(new InvalidRequestError(`The request could not be sent: ${scrub(refused, this.secrets)}`));
    const slots = this.#settings.slots;
    // A slot (max_concurrency) first, then the signature: a long wait for a slot cannot outlast it.
    const send = (): Promise<TransportResponse> =>
      this.#authorizeThen(fullPath, headers, body, () => this.#send(fullPath, headers, body, options, slots), () => slots.release());
    const waiting = slots.take(signal);
    return waiting ? waiting.then(send) : send();
  }

  /**
   * Sends on the HTTP/2 sessions or the HTTP/1.1 agent, on the slot taken (if any), which the request's or
   * stream's close frees however the call ends. Aborted or closed while the slot or the credentials were
   * awaited: nothing is sent (no connection is opened after close) and the slot is freed.
   */
  #send(fullPath: string, headers: Record<string, string>, body: string, options: SendOptions, slots: CallSlots): Promise<TransportResponse> {
    const { signal } = options;
    const refusal: unknown = signal.aborted ? signal.reason : slots.closedWith;
    if (refusal !== undefined) {
      slots.release();
      return Promise.reject(refusal);
    }
    const sessions = this.#settings.sessions;
    return sessions ? this.#sendStream(sessions, fullPath, headers, body, options, slots) : this.#sendHttp1(fullPath, headers, body, options, slots);
  }

  /** Authorizes the request, then sends it; `unsent` runs when authorizing fails (the request is not sent). */
  #authorizeThen(fullPath: string, headers: Record<string, string>, body: string, send: () => Promise<TransportResponse>, unsent?: () => void): Promise<TransportResponse> {
    let authorizing: Promise<void> | undefined;
    try {
      authorizing = this.#authorize(fullPath, headers, body);
    } catch (error) {
      unsent?.();
      return Promise.reject(error);
    }
    if (!authorizing) return send();
    return authorizing.then(send, (error: unknown) => {
      unsent?.();
      throw error;
    });
  }

  /**
   * Adds the bearer key or the SigV4 signature to `headers`: synchronously for static keys (no await on the
   * way to the first byte), a promise while a credential chain resolves. Throws when signing fails.
   */
  #authorize(fullPath: string, headers: Record<string, string>, body: string): Promise<void> | undefined {
    const auth = this.#settings.auth;
    if (auth.kind === "bearer") {
      headers["authorization"] = `Bearer ${auth.token}`;
      return undefined;
    }
    const sign = (credentials: SigningCredentials): void => {
      if (this.#signedWith?.credentials !== credentials) this.#signedWith = { credentials, secrets: secretsOf(credentials) };
      this.#signer.sign({ method: "POST", path: fullPath, headers, body }, credentials, new Date(Date.now() + this.#clockOffsetMs));
    };
    const credentials = auth.credentials();
    if (credentials instanceof Promise) return credentials.then(sign);
    sign(credentials);
    return undefined;
  }

  #sendHttp1(fullPath: string, headers: Record<string, string>, body: string, options: SendOptions, slots: CallSlots): Promise<TransportResponse> {
    const { endpoint, agent, connectTimeoutMs } = this.#settings;
    const { signal, idleMs } = options;
    return new Promise<TransportResponse>((resolve, reject) => {
      let response: http.IncomingMessage | undefined;
      let headerTimer: NodeJS.Timeout | undefined;
      // Before the response: the request is destroyed and fails with the signal's reason at once (a request
      // still queued for a pool socket would emit its error only once it got one). After: the response is
      // destroyed without an error (the reader reports the reason), which frees its socket. An error given to
      // destroy() would reach the socket, which may already be back in the pool with no error listener.
      const onAbort = (): void => {
        if (response) return void response.destroy();
        request.destroy(signal.reason as Error);
        fail(signal.reason);
      };
      let failed = false;
      const fail = (error: unknown): void => {
        if (failed) return;
        failed = true;
        if (headerTimer !== undefined) clearTimeout(headerTimer);
        signal.removeEventListener("abort", onAbort);
        reject(error instanceof MinionError || error instanceof ClockSkewed || signal.aborted ? error : networkErrorOf(error, this.secrets, "before a response"));
      };
      let request: http.ClientRequest;
      let created: http.ClientRequest | undefined;
      try {
        const requestOptions: http.RequestOptions = { protocol: endpoint.protocol, hostname: endpoint.hostname, port: endpoint.port, method: "POST", path: fullPath, agent };
        Object.assign(requestOptions, { [CALL_SIGNAL_OPTION]: signal });
        request = created = this.#request(requestOptions, (started) => {
          if (headerTimer !== undefined) clearTimeout(headerTimer);
          if (started.statusCode !== 200) return void this.#readError(started.statusCode ?? 0, started.headers, started, idleMs).then(fail, fail);
          response = started;
          response.once("close", () => signal.removeEventListener("abort", onAbort));
          resolve(response);
        });
        request.once("close", () => slots.release());
        for (const name in headers) request.setHeader(name, headers[name]!);
      } catch (error) {
        // A header value Node refuses (a control character in a guardrail id, say): nothing was sent. The
        // request is dropped, which frees the socket the agent gives it, then the slot (its close).
        if (created) dropUnsent(created);
        else slots.release();
        return reject(new InvalidRequestError(`The request could not be sent: ${scrub(String((error as Error).message), this.secrets)}`));
      }
      request.on("error", fail);
      // Without this listener Node destroys the socket and the request closes with neither a response nor an error.
      request.once("upgrade", (answer: http.IncomingMessage, socket: Socket) => {
        socket.destroy();
        fail(new NetworkError(`Bedrock answered HTTP ${answer.statusCode}, a switch to another protocol the request did not ask for.`, false, { networkCode: "unexpected_upgrade" }));
      });
      if (connectTimeoutMs !== undefined) request.once("socket", (socket: Socket) => armConnectTimeout(socket, connectTimeoutMs));
      if (options.headersAreIdle && idleMs !== undefined) {
        request.once("finish", () => {
          if (response || failed) return;
          headerTimer = setTimeout(() => {
            request.destroy();
            fail(new TimeoutError("idle", idleMs));
          }, idleMs);
        });
      }
      request.end(body);
      // Queued behind the nextTick in which Node writes the request, so that adding an EventTarget listener
      // (~10 calls into Node) is not on the way to the first byte; an abort in between shows in `aborted`.
      process.nextTick(() => {
        if (failed) return;
        if (signal.aborted) onAbort();
        else signal.addEventListener("abort", onAbort, { once: true });
      });
    });
  }

  /**
   * The same request as a stream on one of the HTTP/2 sessions. An abort before the response resets the stream
   * (RST_STREAM CANCEL) and fails with the signal's reason; after it, the stream is reset and the reader
   * reports the reason. A reset stream frees its slot; the session goes on carrying the others. A timeout has
   * the session probed (http2-session-pool.ts), which may have stopped reading without Node saying so.
   */
  #sendStream(sessions: Http2SessionPool, fullPath: string, headers: Record<string, string>, body: string, options: SendOptions, slots: CallSlots): Promise<TransportResponse> {
    const { signal, idleMs } = options;
    return new Promise<TransportResponse>((resolve, reject) => {
      let answered = false; // response headers received (an error body is then read by #readError)
      let started = false;
      let failed = false;
      let headerTimer: NodeJS.Timeout | undefined;
      const onAbort = (): void => {
        if (signal.reason instanceof TimeoutError) sessions.probe(stream);
        if (!stream.closed) stream.close(http2.constants.NGHTTP2_CANCEL);
        if (!started) fail(signal.reason);
      };
      const fail = (error: unknown): void => {
        if (failed) return;
        failed = true;
        if (headerTimer !== undefined) clearTimeout(headerTimer);
        signal.removeEventListener("abort", onAbort);
        if (!stream.closed) stream.close(http2.constants.NGHTTP2_CANCEL);
        reject(error instanceof MinionError || error instanceof ClockSkewed || signal.aborted ? error : networkErrorOf(error, this.secrets, "before a response"));
      };
      let stream: http2.ClientHttp2Stream;
      try {
        stream = sessions.request({ ...headers, ":method": "POST", ":path": fullPath });
      } catch (error) {
        slots.release();
        return reject(new InvalidRequestError(`The request could not be sent: ${scrub(String((error as Error).message), this.secrets)}`));
      }
      stream.once("close", () => slots.release());
      stream.once("response", (responseHeaders) => {
        answered = true;
        if (headerTimer !== undefined) clearTimeout(headerTimer);
        const status = Number(responseHeaders[":status"]);
        if (status !== 200) return void this.#readError(status, responseHeaders, stream, idleMs).then(fail, fail);
        started = true;
        stream.once("close", () => signal.removeEventListener("abort", onAbort));
        resolve(Object.assign(stream, { headers: responseHeaders, destroy: cancelThenDestroy(stream) }));
      });
      stream.on("error", (error) => fail(sessionErrorOf(error)));
      // Reset by the server without an error code, or its session closed, before any response.
      stream.once("close", () => {
        if (!answered) fail(Object.assign(new Error(`The HTTP/2 stream closed before a response (code ${stream.rstCode ?? "none"}).`), { code: "ERR_HTTP2_STREAM_CLOSED" }));
      });
      if (idleMs !== undefined) {
        stream.once("finish", () => {
          if (started || failed) return;
          // A non-streaming answer may take many idle timeouts to start; meanwhile its session is checked.
          if (!options.headersAreIdle) return void (headerTimer = setInterval(() => sessions.probe(stream), idleMs));
          headerTimer = setTimeout(() => {
            sessions.probe(stream);
            fail(new TimeoutError("idle", idleMs));
          }, idleMs);
        });
      }
      stream.end(body);
      process.nextTick(() => {
        if (failed) return;
        if (signal.aborted) onAbort();
        else signal.addEventListener("abort", onAbort, { once: true });
      });
    });
  }

  /** A non-200 response -> its service error, read within the idle timeout and the error-body cap. */
  async #readError(status: number, headers: IncomingHttpHeaders, body: Readable, idleMs: number | undefined): Promise<Error | ClockSkewed> {
    const { chunks } = await readResponseBody(body, { maxBytes: MAX_ERROR_BODY, idleMs });
    const error = serviceErrorFromResponse(status, headers, Buffer.concat(chunks).toString("utf8"), this.secrets);
    return this.#learnClockOffset(status, headers) ? new ClockSkewed(error) : error;
  }

  /** True when a 403's Date header shows the local clock is off, and the offset changed. */
  #learnClockOffset(status: number, headers: IncomingHttpHeaders): boolean {
    const serverTime = Date.parse(headers["date"] ?? "");
    if (status !== 403 || !Number.isFinite(serverTime)) return false;
    const offset = serverTime - Date.now();
    if (Math.abs(offset - this.#clockOffsetMs) <= CLOCK_SKEW_MS) return false;
    this.#clockOffsetMs = Math.abs(offset) > CLOCK_SKEW_MS ? offset : 0;
    return true;
  }
}

/**
 * A reader that stops early destroys the body; a client stream destroyed without an error is reset with
 * NO_ERROR, so it is closed with CANCEL first, the code RFC 9113 section 8.7 gives a response no longer needed.
 */
function cancelThenDestroy(stream: http2.ClientHttp2Stream): http2.ClientHttp2Stream["destroy"] {
  const destroy = stream.destroy.bind(stream);
  return (error?: Error) => {
    if (!stream.closed) stream.close(http2.constants.NGHTTP2_CANCEL);
    return destroy(error);
  };
}

/** Drops a request refused before it was ended: an agent still gives it a socket, which its destruction frees. */
function dropUnsent(request: http.ClientRequest): void {
  request.on("error", () => undefined); // the "socket hang up" of the destruction: the caller has its error already
  request.destroy();
}

/** A stream cancelled because its session failed to open -> the session's error (ECONNREFUSED, a connect timeout). */
function sessionErrorOf(error: Error): Error {
  const cause = (error as { code?: unknown; cause?: unknown }).cause;
  return (error as { code?: unknown }).code === "ERR_HTTP2_STREAM_CANCEL" && cause instanceof Error ? cause : error;
}

/** A new direct connection that is not open (TCP, then TLS) within `ms` is destroyed with TimeoutError "connect". */
function armConnectTimeout(socket: Socket, ms: number): void {
  if (!socket.connecting) return; // a pooled socket, or a proxy tunnel (bounded in create-connection-pool.ts)
  const timer = setTimeout(() => socket.destroy(new TimeoutError("connect", ms)), ms);
  const clear = (): void => clearTimeout(timer);
  socket.once(socket instanceof tls.TLSSocket ? "secureConnect" : "connect", clear);
  socket.once("close", clear);
}

/**
 * Why Node would refuse one of these headers (a control character in a value, say), checked before a slot is
 * taken or a connection opened: Node opens the connection before it checks a header.
 */
function refusedHeader(headers: Record<string, string>): string | undefined {
  for (const name in headers) {
    try {
      http.validateHeaderName(name);
      http.validateHeaderValue(name, headers[name]);
    } catch (error) {
      return (error as Error).message;
    }
  }
  return undefined;
}
