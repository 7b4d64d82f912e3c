import http2 from "node:http2";
import type { IncomingMessage, OutgoingHttpHeaders } from "node:http";

/** The parts of a Node request/response pair (HTTP/1.1 or the HTTP/2 compatibility API) the emulator uses. */
export interface WireRequest {
  readonly method?: string;
  readonly url?: string;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly httpVersionMajor: number;
  /** True once the whole request (body included) has arrived. */
  readonly complete: boolean;
  on(event: "data", listener: (chunk: Buffer) => void): unknown;
  removeListener(event: "data", listener: (chunk: Buffer) => void): unknown;
  on(event: "end" | "close" | "aborted", listener: () => void): unknown;
  on(event: "error", listener: (error: Error) => void): unknown;
  resume(): unknown;
  pause(): unknown;
}

export interface WireResponse {
  readonly headersSent: boolean;
  readonly writableEnded: boolean;
  readonly writableFinished: boolean;
  writeHead(status: number, headers: OutgoingHttpHeaders): unknown;
  write(chunk: Uint8Array): boolean;
  end(chunk?: Uint8Array | string): unknown;
  on(event: "close" | "finish" | "drain", listener: () => void): unknown;
  on(event: "error", listener: (error: Error) => void): unknown;
  once(event: "drain" | "close", listener: () => void): unknown;
  off(event: "drain" | "close", listener: () => void): unknown;
}

/** One request/response exchange with the operations that differ between HTTP/1.1 and HTTP/2. */
export interface WireExchange {
  readonly req: WireRequest;
  readonly res: WireResponse;
  readonly protocol: "http/1.1" | "h2";
  /** Cuts the exchange abruptly: an RST_STREAM on HTTP/2, a destroyed socket on HTTP/1.1. */
  reset(): void;
  /** Whether the client is gone (or the exchange was reset). */
  readonly closed: boolean;
  /** Whether the response must close the request side (set by refuseBody). */
  readonly bodyRefused: boolean;
  /**
   * The rest of the request body will not be read: once the response is out, HTTP/1.1 closes the connection
   * (the response says `connection: close`) and HTTP/2 ends the stream with RST_STREAM(NO_ERROR), which tells
   * the client to stop sending (RFC 9113, 8.1).
   */
  refuseBody(): void;
}

export function toExchange(req: unknown, res: unknown): WireExchange {
  const request = req as WireRequest & { socket?: { destroy(): void } };
  const response = res as WireResponse & { stream?: http2.ServerHttp2Stream };
  const protocol = request.httpVersionMajor === 2 ? "h2" : "http/1.1";
  let closed = false;
  let bodyRefused = false;
  response.on("close", () => {
    closed = true;
  });
  return {
    req: request,
    res: response,
    protocol,
    get closed() {
      return closed;
    },
    get bodyRefused() {
      return bodyRefused;
    },
    refuseBody() {
      if (bodyRefused) return;
      bodyRefused = true;
      const stream = protocol === "h2" ? response.stream : undefined;
      if (stream) {
        // Node closes a stream whose body was never read once the response is out; one whose body was read
        // in part stays open (and its compat response's "finish" never comes), so that one is closed here.
        stream.once("finish", () => {
          setImmediate(() => {
            if (stream.readableFlowing !== null && !stream.closed) stream.close(http2.constants.NGHTTP2_NO_ERROR);
          });
        });
      } else {
        response.on("finish", () => (req as IncomingMessage).socket?.destroy());
      }
    },
    reset() {
      closed = true;
      if (protocol === "h2" && response.stream) {
        if (!response.stream.destroyed) response.stream.close(http2.constants.NGHTTP2_INTERNAL_ERROR);
      } else {
        (req as IncomingMessage).socket?.destroy();
      }
    },
  };
}

/** A header value as one string (Node joins repeated headers with ", "). */
export function headerValue(headers: WireRequest["headers"], name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value.join(", ") : value;
}
