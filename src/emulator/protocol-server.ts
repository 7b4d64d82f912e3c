import http from "node:http";
import http2 from "node:http2";
import net from "node:net";
import type tls from "node:tls";
import { ConnectionWatch, type ConnectionTimeouts } from "./connection-timeouts.js";
import type { TlsCertificate } from "./tls-certificate.js";

type Handler = (req: unknown, res: unknown) => void;

const PREFACE = Buffer.from("PRI * HTTP/2.0");

export interface ProtocolServer {
  /** The server that listens on the port. */
  readonly listener: net.Server;
  /** Destroys every open connection and stops the inner servers. */
  destroyAll(): void;
  /** Bytes read from every client connection so far, closed ones included. */
  bytesReceived(): number;
  /** Client connections open now. */
  openConnections(): number;
  /** Client connections accepted since the server started, closed ones included. */
  connectionsAccepted(): number;
}

type CompatRequest = (http.IncomingMessage | http2.Http2ServerRequest) & { complete: boolean };
type CompatResponse = http.ServerResponse | http2.Http2ServerResponse;

/**
 * One port, both protocols. Plain: a net.Server reads the first bytes and hands the socket to an HTTP/2
 * server (h2c prior knowledge, "PRI * HTTP/2.0") or an HTTP/1.1 server. TLS: HTTP/2 with HTTP/1.1 via ALPN.
 * The inner servers never listen, so Node's own header and request timeouts are never armed: every
 * connection gets a ConnectionWatch instead.
 */
export function createProtocolServer(handler: Handler, timeouts: ConnectionTimeouts, tls?: TlsCertificate): ProtocolServer {
  const sockets = new Set<net.Socket>();
  const socketWatches = new WeakMap<net.Socket, ConnectionWatch>();
  const sessionWatches = new WeakMap<http2.Http2Session, ConnectionWatch>();
  let closedBytes = 0;
  let accepted = 0;
  const counts = {
    connectionsAccepted: () => accepted,
    bytesReceived: () => closedBytes + [...sockets].reduce((sum, socket) => sum + socket.bytesRead, 0),
    openConnections: () => sockets.size,
  };
  const track = (socket: net.Socket) => {
    accepted++;
    sockets.add(socket);
    socket.on("close", () => {
      if (sockets.delete(socket)) closedBytes += socket.bytesRead;
    });
    socket.on("error", () => undefined);
    socket.setNoDelay(true);
  };
  const watchSocket = (socket: net.Socket): ConnectionWatch => {
    const watch = new ConnectionWatch(timeouts, () => socket.destroy());
    socket.once("close", () => watch.closed());
    socketWatches.set(socket, watch);
    return watch;
  };
  let acceptedWatch: ConnectionWatch | undefined;
  const onSession = (session: http2.ServerHttp2Session) => {
    const watch = acceptedWatch ?? new ConnectionWatch(timeouts, () => session.destroy());
    session.once("close", () => watch.closed());
    sessionWatches.set(session, watch);
  };
  const watched: Handler = (req, res) => {
    const request = req as CompatRequest;
    const response = res as CompatResponse;
    if ("stream" in response) {
      const stream = response.stream;
      sessionWatches.get(stream.session!)?.requestStarted(request, response, () => {
        if (!stream.destroyed) stream.close(http2.constants.NGHTTP2_CANCEL);
      });
    } else {
      const socket = (request as http.IncomingMessage).socket;
      socketWatches.get(socket)?.requestStarted(request, response, () => socket.destroy());
    }
    handler(req, res);
  };

  const h2Options: http2.ServerOptions = { settings: { maxConcurrentStreams: 1000 } };
  if (tls) {
    const secureOptions: http2.SecureServerOptions = { ...h2Options, key: tls.key, cert: tls.cert, allowHTTP1: true };
    if (timeouts.headersTimeoutMs > 0) secureOptions.handshakeTimeout = timeouts.headersTimeoutMs;
    const secure = http2.createSecureServer(secureOptions, watched);
    secure.on("connection", track);
    secure.on("session", onSession);
    // HTTP/1.1 over TLS: the ALPN picked it, so no session was made; watch the TLS socket itself.
    secure.on("secureConnection", (socket: tls.TLSSocket) => {
      if (socket.alpnProtocol !== "h2") watchSocket(socket);
    });
    secure.on("sessionError", () => undefined);
    secure.on("tlsClientError", () => undefined);
    return { listener: secure, destroyAll: () => destroy(sockets), ...counts };
  }
  const h1 = http.createServer(watched);
  h1.keepAliveTimeout = 0; // the ConnectionWatch's idle timeout closes idle keep-alive connections
  h1.on("clientError", onClientError);
  const h2 = http2.createServer(h2Options, watched);
  h2.on("session", onSession);
  h2.on("sessionError", () => undefined);
  const listener = net.createServer((socket) => {
    track(socket);
    const watch = watchSocket(socket);
    sniff(socket, h1, (accepted) => {
      acceptedWatch = watch;
      try {
        h2.emit("connection", accepted);
      } finally {
        acceptedWatch = undefined;
      }
    });
  });
  return {
    listener,
    ...counts,
    destroyAll: () => {
      destroy(sockets);
      h1.close(() => undefined);
      h2.close(() => undefined);
    },
  };
}

function sniff(socket: net.Socket, h1: http.Server, toH2: (socket: net.Socket) => void): void {
  let buffered: Buffer | undefined;
  const onData = (chunk: Buffer) => {
    buffered = buffered ? Buffer.concat([buffered, chunk]) : chunk;
    const length = Math.min(buffered.length, PREFACE.length);
    const looksLikeH2 = buffered.subarray(0, length).equals(PREFACE.subarray(0, length));
    if (looksLikeH2 && buffered.length < PREFACE.length) return;
    socket.removeListener("data", onData);
    socket.pause();
    socket.unshift(buffered);
    if (looksLikeH2) {
      toH2(socket);
    } else {
      h1.emit("connection", socket);
      socket.resume();
    }
  };
  socket.on("data", onData);
}

/** A request Node's HTTP/1.1 parser rejects still gets a JSON error in AWS's shape. */
function onClientError(error: NodeJS.ErrnoException, socket: net.Socket): void {
  if (!socket.writable || error.code === "ECONNRESET") {
    socket.destroy();
    return;
  }
  const message =
    error.code === "HPE_INVALID_EOF_STATE"
      ? "The request was truncated: the connection ended before the whole body arrived. Send the complete body (content-length bytes)."
      : "The request could not be parsed as HTTP/1.1.";
  const body = JSON.stringify({ message });
  socket.end(
    `HTTP/1.1 400 Bad Request\r\ncontent-type: application/json\r\nx-amzn-errortype: ValidationException\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
  );
}

function destroy(sockets: Set<net.Socket>): void {
  for (const socket of sockets) socket.destroy();
}
