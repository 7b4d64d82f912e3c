/**
 * The default transport: one request handler that sends non-streaming calls over a shared HTTP/2 session
 * (many concurrent streams on one connection) and event streams over an HTTP/1.1 keep-alive pool. The SDK's
 * HTTP/2 handler always opens an isolated session (a new connection, and a TLS handshake) for every event
 * stream, so streams are better served by reused HTTP/1.1 sockets; InvokeModel is cheapest on shared h2.
 */
import type { HttpRequest, HttpResponse } from "@smithy/protocol-http";
import type { HttpHandlerOptions, RequestHandlerMetadata } from "@smithy/types";

export interface InnerHandler {
  handle(request: HttpRequest, options?: HttpHandlerOptions & { isEventStream?: boolean }): Promise<{ response: HttpResponse }>;
  destroy(): void;
  updateHttpClientConfig(key: never, value: never): void;
  httpHandlerConfigs(): object;
}

export class SplitHttpHandler {
  // Not "h2": the SDK would then sign an `:authority` pseudo-header, which an HTTP/1.1 request cannot carry.
  // With this value every request carries (and signs) `host`, which HTTP/2 accepts as well.
  readonly metadata: RequestHandlerMetadata = { handlerProtocol: "http/1.1" };
  readonly #unary: InnerHandler;
  readonly #streams: InnerHandler;

  constructor(unary: InnerHandler, streams: InnerHandler) {
    this.#unary = unary;
    this.#streams = streams;
  }

  handle(request: HttpRequest, options: HttpHandlerOptions & { isEventStream?: boolean } = {}): Promise<{ response: HttpResponse }> {
    return options.isEventStream ? this.#streams.handle(request, options) : this.#unary.handle(request, options);
  }

  updateHttpClientConfig(key: never, value: never): void {
    this.#unary.updateHttpClientConfig(key, value);
    this.#streams.updateHttpClientConfig(key, value);
  }

  httpHandlerConfigs(): object {
    return this.#unary.httpHandlerConfigs();
  }

  destroy(): void {
    this.#unary.destroy();
    this.#streams.destroy();
  }
}
