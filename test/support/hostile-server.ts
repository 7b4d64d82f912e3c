/**
 * An HTTP server on 127.0.0.1 whose answers a test writes: it counts requests, keeps what each one asked for,
 * tracks its open connections (to check that a client closed its own), and can send a response's headers and
 * then drip its body a byte at a time for as long as the connection lives.
 */
import http, { type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";

export type Handler = (request: IncomingMessage, response: ServerResponse, index: number) => void;

export interface HostileServer {
  url: string;
  /** Requests answered so far (method and URL). */
  requests: { method: string; url: string }[];
  /** What the next requests get. */
  handle(handler: Handler): void;
  /** Connections still open on the server's side. */
  openSockets(): number;
  /** Resolves once the server holds no open connection; false when some are still open after `ms`. */
  allClosed(ms?: number): Promise<boolean>;
  close(): Promise<void>;
}

export async function startHostileServer(): Promise<HostileServer> {
  const sockets = new Set<Socket>();
  const requests: { method: string; url: string }[] = [];
  let handler: Handler = (_request, response) => response.writeHead(500).end();
  const server = http.createServer((request, response) => {
    const index = requests.length;
    requests.push({ method: request.method ?? "", url: request.url ?? "" });
    handler(request, response, index);
    if (!request.readableFlowing) request.resume(); // read an upload the handler left unread, so the answer can go out
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.once("close", () => sockets.delete(socket));
    socket.on("error", () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    handle(next) {
      handler = next;
    },
    openSockets: () => sockets.size,
    async allClosed(ms = 5000) {
      for (let waited = 0; sockets.size > 0 && waited < ms; waited += 10) await new Promise((resolve) => setTimeout(resolve, 10));
      return sockets.size === 0;
    },
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/**
 * Sends `headers` (a Content-Length far past what is sent) and `start`, then one byte every `everyMs` until
 * the client goes away: the answer never ends, and never goes silent long enough for an idle timeout.
 */
export function drip(response: ServerResponse, headers: Record<string, string>, start = "", everyMs = 20): void {
  response.writeHead(200, { ...headers, "content-length": String(10 * 1024 * 1024) });
  response.write(start);
  const timer = setInterval(() => response.write(" "), everyMs);
  response.once("close", () => clearInterval(timer));
}

/** Sends `headers` and `start`, then nothing, ever (a body stalled mid-way). */
export function stall(response: ServerResponse, headers: Record<string, string>, start: string): void {
  response.writeHead(200, { ...headers, "content-length": String(10 * 1024 * 1024) });
  response.write(start);
}

/** A JSON error answer as AWS's JSON protocols send it. */
export function awsError(response: ServerResponse, status: number, name: string, message: string): void {
  response.writeHead(status, { "content-type": "application/json", "x-amzn-errortype": name, "x-amzn-requestid": "req-test" });
  response.end(JSON.stringify({ message }));
}

/** Waits at most `ms` for `work`; a hang fails the test instead of holding it (no timing is asserted). */
export async function within<T>(work: Promise<T>, what: string, ms = 30_000): Promise<T> {
  let guard: NodeJS.Timeout | undefined;
  const hung = new Promise<never>((_, reject) => (guard = setTimeout(() => reject(new Error(`${what}: still waiting after ${ms} ms`)), ms)));
  try {
    return await Promise.race([work, hung]);
  } finally {
    clearTimeout(guard);
  }
}
