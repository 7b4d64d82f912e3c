/** The HTTPS-proxy agent of a connection pool (create-connection-pool.ts imports it only when a proxy applies). */
import type http from "node:http";
import type { Socket } from "node:net";
import tls from "node:tls";
import type { AgentConnectOpts } from "agent-base";
import { HttpsProxyAgent } from "https-proxy-agent";
import { TimeoutError } from "../../../schema/errors.js";
import { CALL_SIGNAL_OPTION } from "./call-signal-option.js";

const CLOSED = "The connection pool was closed before this connection opened.";
const CALL_ENDED = "The call ended before its connection opened.";

/**
 * A CONNECT tunnel whose set-up (proxy answer, then the TLS handshake inside it) is bounded by the connect
 * timeout and cut by destroy(): Node's Agent#destroy reaches only the sockets it was handed, and a tunnel is
 * handed over only once the proxy has answered.
 */
export class TunnelAgent extends HttpsProxyAgent<string> {
  readonly #connectTimeoutMs: number | undefined;
  readonly #secureContext: tls.SecureContext | undefined;
  /** One per tunnel being set up: destroys its socket (with the timeout's error, else none). */
  readonly #settingUp = new Set<(error: Error) => void>();
  #destroyed = false;

  constructor(proxy: string, options: http.AgentOptions & { secureContext?: tls.SecureContext | undefined }, secureContext: tls.SecureContext | undefined, connectTimeoutMs: number | undefined) {
    super(proxy, options);
    this.#connectTimeoutMs = connectTimeoutMs;
    this.#secureContext = secureContext;
  }

  override async connect(req: http.ClientRequest, opts: AgentConnectOpts): Promise<Socket> {
    if (this.#destroyed) throw new Error(CLOSED);
    // https-proxy-agent drops the agent's own options from the TLS connection it opens inside the tunnel.
    const target = this.#secureContext && opts.secureEndpoint ? { ...opts, secureContext: this.#secureContext } : opts;
    const cancel = new AbortController();
    // What cuts the tunnel: the signal until the proxy answers, then the TLS socket's own destruction (the
    // signal would destroy the socket under it first, and the request would see a bare hang-up).
    let cut = (error: Error): void => cancel.abort(error);
    const cutter = (error: Error): void => cut(error);
    this.#settingUp.add(cutter);
    const ms = this.#connectTimeoutMs;
    const timer = ms === undefined ? undefined : setTimeout(() => cutter(new TimeoutError("connect", ms)), ms);
    // A call aborted while its tunnel is set up: nothing else would end the tunnel before the proxy answers.
    const callSignal = (opts as { [CALL_SIGNAL_OPTION]?: AbortSignal })[CALL_SIGNAL_OPTION];
    const onCallEnd = (): void => cutter(new Error(CALL_ENDED));
    if (callSignal?.aborted) onCallEnd();
    else callSignal?.addEventListener("abort", onCallEnd, { once: true });
    const setUp = (): void => {
      clearTimeout(timer);
      callSignal?.removeEventListener("abort", onCallEnd);
      this.#settingUp.delete(cutter);
    };
    let socket: Socket;
    try {
      socket = await this.#tunnel(req, target, cancel.signal);
    } catch (error) {
      setUp();
      throw error;
    }
    if (!(socket instanceof tls.TLSSocket) || socket.getFinished() !== undefined) {
      setUp();
      return socket;
    }
    // Handed over before its TLS handshake ends (so that a request destroyed by an abort destroys it), which
    // the timeout and destroy() still bound.
    cut = (error) => void socket.destroy(error instanceof TimeoutError ? error : undefined);
    socket.once("secureConnect", setUp);
    socket.once("close", setUp);
    return socket;
  }

  /** Also cuts the tunnels being set up: their sockets are destroyed, and none is opened after. */
  override destroy(): void {
    this.#destroyed = true;
    for (const cut of this.#settingUp) cut(new Error(CLOSED));
    this.#settingUp.clear();
    super.destroy();
  }

  /** The socket once the proxy has answered; rejects with the signal's reason once it aborts (the socket destroyed). */
  #tunnel(req: http.ClientRequest, opts: AgentConnectOpts, signal: AbortSignal): Promise<Socket> {
    // The socket to the proxy is opened synchronously inside super.connect, from `connectOpts`: a signal given
    // there for this one tunnel destroys it on abort (https-proxy-agent keeps the socket to itself).
    const shared = this.connectOpts;
    this.connectOpts = { ...shared, signal };
    let opening: Promise<Socket>;
    try {
      opening = super.connect(req, opts);
    } finally {
      this.connectOpts = shared;
    }
    return new Promise<Socket>((resolve, reject) => {
      signal.addEventListener("abort", () => reject(signal.reason), { once: true });
      opening.then((socket) => {
        if (!signal.aborted) return resolve(socket);
        // Answered as it was cut: destroyed, never handed to the pool. The TLS socket https-proxy-agent opened
        // on the destroyed one reports that destruction as an error, which no one else would listen for.
        socket.on("error", () => undefined);
        socket.destroy();
      }, reject);
    });
  }
}
