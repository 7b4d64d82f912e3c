import http from "node:http";
import http2 from "node:http2";
import net from "node:net";
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
}

/**
 * One port, both protocols. Plain: a net.Server reads the first bytes and hands the socket to an HTTP/2
 * server (h2c prior knowledge, "PRI * HTTP/2.0") or an HTTP/1.1 server. TLS: HTTP/2 with HTTP/1.1 via ALPN.
 */
export function createProtocolServer(handler: Handler, tls?: TlsCertificate): ProtocolServer {
  const sockets = new Set<net.Socket>();
  let closedBytes = 0;
  const counts = {
    bytesReceived: () => closedBytes + [...sockets].reduce((sum, socket) => sum + socket.bytesRead, 0),
    openConnections: () => sockets.size,
  };
  const track = (socket: net.Socket) => {
    sockets.add(socket);
    socket.on("close", () => {
      if (sockets.delete(socket)) closedBytes += socket.bytesRead;
    });
    socket.on("error", () => undefined);
    socket.setNoDelay(true);
  };
  const h2Options: http2.ServerOptions = { settings: { maxConcurrentStreams: 1000 } };
  if (tls) {
    const secure = http2.createSecureServer({ ...h2Options, key: tls.key, cert: tls.cert, allowHTTP1: true }, handler);
    secure.on("connection", track);
    secure.on("sessionError", () => undefined);
    secure.on("tlsClientError", () => undefined);
    return { listener: secure, destroyAll: () => destroy(sockets), ...counts };
  }
  const h1 = http.createServer(handler);
  // Keep idle keep-alive connections for a minute, so a busy client that reuses one late does not race
  // the server closing it ("socket hang up"). close() ends them anyway.
  h1.keepAliveTimeout = 60_000;
  h1.on("clientError", onClientError);
  const h2 = http2.createServer(h2Options, handler);
  h2.on("sessionError", () => undefined);
  const listener = net.createServer((socket) => {
    track(socket);
    sniff(socket, h1, h2);
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

function sniff(socket: net.Socket, h1: http.Server, h2: http2.Http2Server): void {
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
      h2.emit("connection", socket);
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
