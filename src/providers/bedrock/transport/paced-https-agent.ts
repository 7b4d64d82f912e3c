/**
 * An https.Agent that opens at most `maxHandshakes` TLS connections at a time; further connections wait
 * (in order) for one of those to finish its handshake, or fail. Two effects in a burst (1,000 streams
 * started at once on an empty pool): the client and the server do not run 1,000 handshakes side by side,
 * and connections opened after the first ones resume their TLS session (Node's https.Agent caches the
 * session of a finished handshake and offers it to the next connection it opens; a server that does not
 * resume simply runs a full handshake). Once the pool is warm this changes nothing: sockets are reused.
 */
import https from "node:https";
import type { Duplex } from "node:stream";
import type tls from "node:tls";

type Callback = (error: Error | null, socket: Duplex) => void;

/** Node's Agent#createSocket calls createConnection(options, callback): a socket returned is used at once, else the callback's. */
type CreateConnection = (options: tls.ConnectionOptions) => Duplex;

export class PacedHttpsAgent extends https.Agent {
  readonly #maxHandshakes: number;
  #handshaking = 0;
  readonly #waiting: Array<{ options: tls.ConnectionOptions; callback: Callback }> = [];

  constructor(options: https.AgentOptions & { maxHandshakes: number }) {
    super(options);
    this.#maxHandshakes = options.maxHandshakes;
  }

  override createConnection(options: tls.ConnectionOptions, callback?: Callback): Duplex | undefined {
    if (this.#handshaking < this.#maxHandshakes || !callback) return this.#open(options);
    this.#waiting.push({ options, callback });
    return undefined;
  }

  /** Connections still waiting for their turn fail as well: none is opened once the pool is destroyed. */
  override destroy(): void {
    const waiting = this.#waiting.splice(0);
    for (const { callback } of waiting) callback(new Error("The connection pool was closed before this connection opened."), undefined as unknown as Duplex);
    super.destroy();
  }

  #open(options: tls.ConnectionOptions): Duplex {
    const socket = (super.createConnection as unknown as CreateConnection)(options) as tls.TLSSocket;
    this.#handshaking++;
    let done = false;
    const finished = (): void => {
      if (done) return;
      done = true;
      socket.off("secureConnect", finished);
      socket.off("close", finished);
      this.#handshaking--;
      this.#next();
    };
    socket.once("secureConnect", finished);
    socket.once("close", finished);
    return socket;
  }

  #next(): void {
    while (this.#handshaking < this.#maxHandshakes && this.#waiting.length > 0) {
      const { options, callback } = this.#waiting.shift()!;
      let socket: Duplex;
      try {
        socket = this.#open(options);
      } catch (error) {
        callback(error as Error, undefined as unknown as Duplex); // Node's callback reads the socket only without an error
        continue;
      }
      callback(null, socket);
    }
  }
}
