/**
 * Sends the event-stream requests (InvokeModelWithResponseStream, ConverseStream) straight over Node's
 * http/https on the provider's keep-alive pool, signed here, and hands back the open response body.
 *
 * The AWS SDK's command pipeline costs ~1 ms per request before the request is even written (middleware
 * stack resolved per call, endpoint rules, serialisation, the signer), and its event-stream deserialiser ~30%
 * of the client's CPU per stream (bench/RESULTS.md). The SDK still does everything else: non-streaming calls,
 * the endpoint for a region, the credential chain.
 */
import http, { type IncomingMessage } from "node:http";
import https from "node:https";
import { secretsOf } from "../resolve-credentials.js";
import { SigV4Signer, type SigningCredentials } from "./sign-sigv4.js";
import { serviceErrorFromResponse, type ServiceErrorShape } from "./service-error.js";

export type StreamAuth =
  /** Static keys are returned synchronously (no await on the path to the first byte); a chain may be async. */
  | { kind: "sigv4"; credentials: () => SigningCredentials | Promise<SigningCredentials> }
  | { kind: "bearer"; token: string };

export interface EventStreamTransportSettings {
  /** Base URL of the Bedrock Runtime endpoint (a path prefix is kept). */
  endpoint: URL;
  region: string;
  auth: StreamAuth;
  /** The keep-alive pool, matching the endpoint's protocol. */
  agent: http.Agent;
}

/** A server clock further off than this is taken as our clock being wrong (the SDK uses the same bound). */
const CLOCK_SKEW_MS = 5 * 60 * 1000;

/** Error bodies are a short JSON message; this bounds what is kept of a surprising one. */
const MAX_ERROR_BODY = 64 * 1024;

export class EventStreamTransport {
  readonly #settings: EventStreamTransportSettings;
  readonly #signer: SigV4Signer;
  readonly #request: typeof http.request;
  readonly #basePath: string;
  /** Server time minus local time, learnt from a 403 whose Date header shows our clock is off. */
  #clockOffsetMs = 0;

  constructor(settings: EventStreamTransportSettings) {
    this.#settings = settings;
    this.#signer = new SigV4Signer(settings.region);
    this.#request = settings.endpoint.protocol === "https:" ? https.request : http.request;
    this.#basePath = settings.endpoint.pathname.replace(/\/+$/, "");
  }

  /**
   * POSTs `body` to `path` and resolves with the response once it has started with status 200; any other
   * status is read and rejected as the service error it carries. Aborting `signal` destroys the request, or
   * the response once it has started. A signature refused because the local clock is off is sent once more,
   * signed with the server's time (the SDK does the same for its own calls).
   */
  open(path: string, body: string, extraHeaders: Record<string, string>, signal: AbortSignal): Promise<IncomingMessage> {
    return this.#attempt(path, body, extraHeaders, signal).catch((error: unknown) => {
      if (!this.#learnClockOffset(error)) throw error;
      return this.#attempt(path, body, extraHeaders, signal);
    });
  }

  #attempt(path: string, body: string, extraHeaders: Record<string, string>, signal: AbortSignal): Promise<IncomingMessage> {
    const fullPath = this.#basePath + path;
    const headers: Record<string, string> = {
      host: this.#settings.endpoint.host,
      "content-type": "application/json",
      "content-length": String(Buffer.byteLength(body)),
      ...extraHeaders,
    };
    const auth = this.#settings.auth;
    if (auth.kind === "bearer") {
      headers["authorization"] = `Bearer ${auth.token}`;
      return this.#send(fullPath, headers, body, signal, auth.token);
    }
    const sign = (credentials: SigningCredentials): Promise<IncomingMessage> => {
      this.#signer.sign({ method: "POST", path: fullPath, headers, body }, credentials, new Date(Date.now() + this.#clockOffsetMs));
      return this.#send(fullPath, headers, body, signal, credentials);
    };
    try {
      const credentials = auth.credentials();
      return credentials instanceof Promise ? credentials.then(sign) : sign(credentials);
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /** `sentWith`: the credentials (or bearer token) of this request, removed from an error body before it is cut short. */
  #send(fullPath: string, headers: Record<string, string>, body: string, signal: AbortSignal, sentWith: SigningCredentials | string): Promise<IncomingMessage> {
    const { endpoint, agent } = this.#settings;
    if (signal.aborted) return Promise.reject(signal.reason);
    return new Promise<IncomingMessage>((resolve, reject) => {
      let response: IncomingMessage | undefined;
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
        failed = true;
        signal.removeEventListener("abort", onAbort);
        reject(error);
      };
      const request = this.#request(
        { protocol: endpoint.protocol, hostname: endpoint.hostname, port: endpoint.port, method: "POST", path: fullPath, headers, agent },
        (started) => {
          if (started.statusCode !== 200) return void readErrorResponse(started, typeof sentWith === "string" ? [sentWith] : secretsOf(sentWith)).then(fail, fail);
          response = started;
          response.once("close", () => signal.removeEventListener("abort", onAbort));
          resolve(response);
        },
      );
      request.on("error", fail);
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

  /** True when a 403's Date header shows the local clock is off, and the offset changed. */
  #learnClockOffset(error: unknown): boolean {
    const response = (error as Partial<ServiceErrorShape>).$response;
    const serverTime = Date.parse(response?.headers["date"] ?? "");
    if (response?.statusCode !== 403 || !Number.isFinite(serverTime)) return false;
    const offset = serverTime - Date.now();
    if (Math.abs(offset - this.#clockOffsetMs) <= CLOCK_SKEW_MS) return false;
    this.#clockOffsetMs = Math.abs(offset) > CLOCK_SKEW_MS ? offset : 0;
    return true;
  }
}

async function readErrorResponse(response: IncomingMessage, secrets: string[]): Promise<Error> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of response as AsyncIterable<Buffer>) {
    if (size < MAX_ERROR_BODY) chunks.push(chunk);
    size += chunk.length;
  }
  return serviceErrorFromResponse(response.statusCode ?? 0, response.headers, Buffer.concat(chunks).toString("utf8"), secrets);
}
