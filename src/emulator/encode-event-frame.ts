import { EventStreamCodec } from "@smithy/eventstream-codec";
import { fromUtf8, toUtf8 } from "@smithy/util-utf8";
import type { StreamExceptionName } from "./answer-plan.js";

type StringHeaders = Record<string, { type: "string"; value: string }>;

const codec = new EventStreamCodec(toUtf8, fromUtf8);
const PADDING = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

function stringHeaders(entries: [string, string][]): StringHeaders {
  return Object.fromEntries(entries.map(([name, value]) => [name, { type: "string", value }]));
}

const CHUNK_HEADERS = stringHeaders([
  [":event-type", "chunk"],
  [":content-type", "application/json"],
  [":message-type", "event"],
]);
const converseHeaders = new Map<string, StringHeaders>();

/** Padding like the real service's `p` field (varying length so frame sizes do not reveal token sizes). */
export function padding(seed: number): string {
  return PADDING.slice(0, 1 + ((seed * 7 + 3) % (PADDING.length - 1)));
}

function encode(headers: StringHeaders, payload: string): Buffer {
  const bytes = codec.encode({ headers, body: Buffer.from(payload) });
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** InvokeModelWithResponseStream: `:event-type chunk` with `{"bytes": base64(event json), "p": padding}`. */
export function encodeChunkFrame(eventJson: string, seed: number): Buffer {
  const bytes = Buffer.from(eventJson).toString("base64");
  return encode(CHUNK_HEADERS, `{"bytes":"${bytes}","p":"${padding(seed)}"}`);
}

/** ConverseStream: `:event-type <member>` with the member structure plus `p` padding. */
export function encodeConverseFrame(eventType: string, event: Record<string, unknown>, seed: number): Buffer {
  let headers = converseHeaders.get(eventType);
  if (!headers) {
    headers = stringHeaders([
      [":event-type", eventType],
      [":content-type", "application/json"],
      [":message-type", "event"],
    ]);
    converseHeaders.set(eventType, headers);
  }
  return encode(headers, JSON.stringify({ ...event, p: padding(seed) }));
}

/** A mid-stream exception: `:message-type exception`, `:exception-type <lowerCamel member>`, `{"message"}`. */
export function encodeExceptionFrame(name: StreamExceptionName, message: string): Buffer {
  const headers = stringHeaders([
    [":exception-type", name],
    [":content-type", "application/json"],
    [":message-type", "exception"],
  ]);
  const payload: Record<string, unknown> = { message };
  if (name === "modelStreamErrorException") {
    payload["originalStatusCode"] = 500;
    payload["originalMessage"] = message;
  }
  return encode(headers, JSON.stringify(payload));
}

/** A copy of a frame with one payload byte flipped, so its message CRC no longer matches. */
export function corruptFrame(frame: Buffer): Buffer {
  const copy = Buffer.from(frame);
  const index = Math.max(12, copy.length - 5);
  copy[index] = copy[index]! ^ 0xff;
  return copy;
}
