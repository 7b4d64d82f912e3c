/** The HTTPS-proxy agent of a connection pool (create-connection-pool.ts imports it only when a proxy applies). */
import type http from "node:http";
import type { Socket } from "node:net";
import tls from "node:tls";
import type { AgentConnectOpts } from "agent-base";
import { HttpsProxyAgent } from "https-proxy-agent";
import { TimeoutError } from "../../../schema/errors.js";

/** A CONNECT tunnel whose set-up (proxy answer, then the TLS handshake inside it) is bounded by the connect timeout. */
export class TunnelAgent extends HttpsProxyAgent<string> {
  readonly #connectTimeoutMs: number | undefined;
  readonly #secureContext: tls.SecureContext | undefined;

  constructor(proxy: string, options: http.AgentOptions & { secureContext?: tls.SecureContext | undefined }, secureContext: tls.SecureContext | undefined, connectTimeoutMs: number | undefined) {
    super(proxy, options);
    this.#connectTimeoutMs = connectTimeoutMs;
    this.#secureContext = secureContext;
  }

  override async connect(req: http.ClientRequest, opts: AgentConnectOpts): Promise<Socket> {
    const ms = this.#connectTimeoutMs;
    // https-proxy-agent drops the agent's own options from the TLS connection it opens inside the tunnel.
    const target = this.#secureContext && opts.secureEndpoint ? { ...opts, secureContext: this.#secureContext } : opts;
    if (ms === undefined) return super.connect(req, target).then(untilSecure);
    // The socket to the proxy is opened synchronously inside super.connect, from `connectOpts`: a signal
    // given there for this one call lets a timeout destroy it (https-proxy-agent keeps the socket to itself).
    const cancel = new AbortController();
    const shared = this.connectOpts;
    this.connectOpts = { ...shared, signal: cancel.signal };
    let opening: Promise<Socket>;
    try {
      opening = super.connect(req, target).then(untilSecure);
    } finally {
      this.connectOpts = shared;
    }
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => {
        cancel.abort();
        opening.then((socket) => socket.destroy(), () => undefined);
        reject(new TimeoutError("connect", ms));
      }, ms);
    });
    try {
      return await Promise.race([opening, timedOut]);
    } finally {
      clearTimeout(timer);
    }
  }
}

/** The socket once usable: a TLS socket after its handshake (https-proxy-agent returns it before). */
function untilSecure(socket: Socket): Promise<Socket> {
  if (!(socket instanceof tls.TLSSocket) || socket.getProtocol() !== "unknown") return Promise.resolve(socket);
  return new Promise((resolve, reject) => {
    socket.once("secureConnect", () => {
      socket.off("error", reject);
      resolve(socket);
    });
    socket.once("error", reject);
    socket.once("close", () => reject(new Error("The TLS connection through the proxy closed during its handshake.")));
  });
}
