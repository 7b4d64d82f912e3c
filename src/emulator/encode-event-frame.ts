import { Crc32 } from "@smithy/core/checksum";
import { EventStreamCodec } from "@smithy/core/event-streams";
import { fromUtf8, toUtf8 } from "@smithy/util-utf8";
import type { StreamExceptionName } from "./answer-plan.js";

type StringHeaders = Record<string, { type: "string"; value: string }>;

const codec = new EventStreamCodec(toUtf8, fromUtf8);

/** The SDK's CRC-32: zlib's where Node has it (node:zlib's crc32 came in Node 20.15), a table otherwise. */
function crc32(bytes: Uint8Array): number {
  const checksum = new Crc32();
  checksum.update(bytes);
  return checksum.digestSync();
}
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

const headerBytesCache = new WeakMap<StringHeaders, Buffer>();

/**
 * The encoded header block for a header set: taken once from a frame the codec encodes, then reused, since
 * every frame of a kind has the same headers.
 */
function headerBytes(headers: StringHeaders): Buffer {
  let bytes = headerBytesCache.get(headers);
  if (!bytes) {
    const template = Buffer.from(codec.encode({ headers, body: new Uint8Array(0) }));
    bytes = template.subarray(12, 12 + template.readUInt32BE(4));
    headerBytesCache.set(headers, bytes);
  }
  return bytes;
}

/**
 * One event-stream frame: prelude (total length, headers length, prelude CRC32), headers, payload,
 * message CRC32. Same bytes as EventStreamCodec.encode, with the header block cached and zlib's CRC32.
 */
function encode(headers: StringHeaders, payload: string): Buffer {
  const head = headerBytes(headers);
  const payloadLength = Buffer.byteLength(payload);
  const total = 16 + head.length + payloadLength;
  const frame = Buffer.allocUnsafe(total);
  frame.writeUInt32BE(total, 0);
  frame.writeUInt32BE(head.length, 4);
  frame.writeUInt32BE(crc32(frame.subarray(0, 8)), 8);
  head.copy(frame, 12);
  frame.write(payload, 12 + head.length, "utf8");
  frame.writeUInt32BE(crc32(frame.subarray(0, total - 4)), total - 4);
  return frame;
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
const exceptionHeaders = new Map<string, StringHeaders>();

export function encodeExceptionFrame(name: StreamExceptionName, message: string): Buffer {
  let headers = exceptionHeaders.get(name);
  if (!headers) {
    headers = stringHeaders([
      [":exception-type", name],
      [":content-type", "application/json"],
      [":message-type", "exception"],
    ]);
    exceptionHeaders.set(name, headers);
  }
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
