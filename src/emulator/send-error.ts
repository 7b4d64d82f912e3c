import { randomUUID } from "node:crypto";
import type { WireExchange } from "./wire-exchange.js";

/** An error the wire side answers itself (routing, body, auth), rendered like an AWS error response. */
export class WireError extends Error {
  constructor(
    readonly errorType: string,
    readonly status: number,
    message: string,
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = "WireError";
  }
}

const CORAL_BEDROCK = "http://internal.amazon.com/coral/com.amazon.bedrock/";
const CORAL_SERVICE = "http://internal.amazon.com/coral/com.amazon.coral.service/";
const FRONTEND_ERRORS = new Set([
  "UnrecognizedClientException",
  "InvalidSignatureException",
  "IncompleteSignature",
  "ExpiredTokenException",
  "MissingAuthenticationTokenException",
  "UnknownOperationException",
]);

/**
 * Sends `status` + `x-amzn-ErrorType` + JSON `{"message"}` like Bedrock does. Returns the bytes written.
 * The message must never contain a secret.
 */
export function sendError(exchange: WireExchange, error: WireError, requestId: string = randomUUID()): number {
  const { res } = exchange;
  if (exchange.closed || res.headersSent) return 0;
  const body = Buffer.from(JSON.stringify({ message: error.message }));
  const headers: Record<string, string | number> = {
    "content-type": "application/json",
    "content-length": body.length,
    "x-amzn-requestid": requestId,
    "x-amzn-errortype": `${error.errorType}:${FRONTEND_ERRORS.has(error.errorType) ? CORAL_SERVICE : CORAL_BEDROCK}`,
  };
  if (error.retryAfterSeconds !== undefined) headers["retry-after"] = String(error.retryAfterSeconds);
  if (exchange.bodyRefused && exchange.protocol === "http/1.1") headers["connection"] = "close";
  res.writeHead(error.status, headers);
  res.end(body);
  return body.length;
}
