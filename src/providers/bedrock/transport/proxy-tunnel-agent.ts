/** The HTTPS-proxy agent of a connection pool (create-connection-pool.ts imports it only when a proxy applies). */
import type http from "node:http";
import type { Socket } from "node:net";
import tls from "node:tls";
import type { AgentConnectOpts } from "agent-base";
import { HttpsProxyAgent } from "https-proxy-agent";
import { TimeoutError } from "../../../schema/errors.js";

/**
 * A CONNECT tunnel whose set-up (proxy answer, then the TLS handshake inside it) is bounded by the connect
 * timeout and cut by destroy(): Node's Agent#destroy only reaches sockets it was handed, and a tunnel being
 * set up is not handed over until it is open.
 */
export class TunnelAgent extends HttpsProxyAgent<string> {
  readonly #connectTimeoutMs: number | undefined;
  readonly #secureContext: tls.SecureContext | undefined;
  /** One per tunnel being set up; aborting it destroys that tunnel's socket. */
  readonly #settingUp = new Set<AbortController>();
  #destroyed = false;

  constructor(proxy: string, options: http.AgentOptions & { secureContext?: tls.SecureContext | undefined }, secureContext: tls.SecureContext | undefined, connectTimeoutMs: number | undefined) {
    super(proxy, options);
    this.#connectTimeoutMs = connectTimeoutMs;
    this.#secureContext = secureContext;
  }

  override async connect(req: http.ClientRequest, opts: AgentConnectOpts): Promise<Socket> {
    if (this.#destroyed) throw new Error("The connection pool was closed before this connection opened.");
    // https-proxy-agent drops the agent's own options from the TLS connection it opens inside the tunnel.
    const target = this.#secureContext && opts.secureEndpoint ? { ...opts, secureContext: this.#secureContext } : opts;
    const cancel = new AbortController();
    this.#settingUp.add(cancel);
    const ms = this.#connectTimeoutMs;
    const timer = ms === undefined ? undefined : setTimeout(() => cancel.abort(new TimeoutError("connect", ms)), ms);
    try {
      return await this.#open(req, target, cancel.signal);
    } finally {
      clearTimeout(timer);
      this.#settingUp.delete(cancel);
    }
  }

  /** Also cuts the tunnels being set up: their sockets are destroyed, and none is opened after. */
  override destroy(): void {
    this.#destroyed = true;
    for (const cancel of this.#settingUp) cancel.abort(new Error("The connection pool was closed before this connection opened."));
    this.#settingUp.clear();
    super.destroy();
  }

  /** The tunnel, open and secure; rejects with the signal's reason once it is aborted (its socket destroyed). */
  #open(req: http.ClientRequest, opts: AgentConnectOpts, signal: AbortSignal): Promise<Socket> {
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
      const onAbort = (): void => reject(signal.reason);
      signal.addEventListener("abort", onAbort, { once: true });
      opening.then(
        (socket) => {
          // A tunnel that opened as it was cut is destroyed, never handed to the pool.
          if (signal.aborted) return void socket.destroy();
          untilSecure(socket, signal).then(resolve, reject);
        },
        reject,
      );
    });
  }
}

/**
 * The socket once usable: a TLS socket after its handshake (https-proxy-agent returns it before), destroyed
 * if `signal` aborts first.
 */
function untilSecure(socket: Socket, signal: AbortSignal): Promise<Socket> {
  if (!(socket instanceof tls.TLSSocket) || socket.getFinished() !== undefined) return Promise.resolve(socket);
  return new Promise((resolve, reject) => {
    const onAbort = (): void => void socket.destroy();
    signal.addEventListener("abort", onAbort, { once: true });
    socket.once("secureConnect", () => {
      signal.removeEventListener("abort", onAbort);
      socket.off("error", reject);
      resolve(socket);
    });
    socket.once("error", reject);
    socket.once("close", () => {
      signal.removeEventListener("abort", onAbort);
      reject(new Error("The TLS connection through the proxy closed during its handshake."));
    });
  });
}
