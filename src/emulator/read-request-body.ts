import { jsonNestedTooDeep, MAX_JSON_NESTING } from "./json-nesting.js";
import { WireError } from "./send-error.js";
import { headerValue, type WireRequest } from "./wire-exchange.js";

/** Bedrock's documented maximum InvokeModel body: 25,000,000 bytes. */
export const DEFAULT_MAX_BODY_BYTES = 25_000_000;

export type BodyResult =
  | { kind: "body"; body: Buffer }
  | { kind: "too_large"; error: WireError }
  | { kind: "aborted" };

/**
 * Reads the whole request body, at most `maxBytes` of it. A declared `content-length` over the limit is
 * refused before anything is read; a body that grows past it (chunked) is refused as soon as it does, and
 * the rest is not read (the caller closes the request side). A client that goes away resolves as "aborted".
 */
export function readRequestBody(req: WireRequest, maxBytes: number, onBytes: (count: number) => void): Promise<BodyResult> {
  const declared = Number(headerValue(req.headers, "content-length") ?? Number.NaN);
  if (declared > maxBytes) return Promise.resolve({ kind: "too_large", error: tooLarge(`${declared} bytes`, maxBytes) });
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const finish = (result: BodyResult) => {
      if (!settled) {
        settled = true;
        resolve(result);
      }
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      onBytes(chunk.length);
      chunks.push(chunk);
      if (size <= maxBytes) return;
      chunks.length = 0;
      req.removeListener("data", onData);
      req.pause();
      finish({ kind: "too_large", error: tooLarge(`more than ${maxBytes} bytes`, maxBytes) });
    };
    req.on("data", onData);
    req.on("end", () => finish({ kind: "body", body: chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size) }));
    req.on("aborted", () => finish({ kind: "aborted" }));
    req.on("close", () => finish({ kind: "aborted" }));
    req.on("error", () => finish({ kind: "aborted" }));
  });
}

function tooLarge(size: string, maxBytes: number): WireError {
  return new WireError(
    "ValidationException",
    400,
    `The request body is ${size}, over the limit of ${maxBytes} bytes. Send a smaller body (Bedrock accepts at most 25,000,000 bytes).`,
  );
}

/** Parses a JSON request body, or throws a ValidationException saying what is wrong. */
export function parseJsonBody(body: Buffer): unknown {
  if (body.length === 0) {
    throw new WireError("ValidationException", 400, "Malformed input request: the request body is empty. Send a JSON object.");
  }
  const text = body.toString("utf8");
  if (jsonNestedTooDeep(text)) {
    throw new WireError(
      "ValidationException",
      400,
      `Malformed input request: the JSON body is nested more than ${MAX_JSON_NESTING} levels deep. Flatten it and try again.`,
    );
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new WireError(
      "ValidationException",
      400,
      `Malformed input request: the request body is not valid JSON (${reason.slice(0, 160)}). Send a complete JSON object.`,
    );
  }
}
