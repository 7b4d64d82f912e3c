/**
 * The emulator's own timestamps, recorded in the emulator process (bench only): when a request's body had
 * fully arrived, when the frame carrying the first and the last text delta was written, and when a non-streamed
 * body was written. Client-added latency = what the client observed minus these server-side durations.
 *
 * The emulator writes one event-stream frame per write when its chunk delay is > 0, so the text deltas are
 * writes 2.. (InvokeModelWithResponseStream: message_start, content_block_start, deltas...) or 1..
 * (ConverseStream: messageStart, deltas...), and the last delta is followed by three more frames in both.
 * Hooks only prototypes of node:http / node:http2 response objects in this process.
 */
import http from "node:http";
import http2 from "node:http2";
import { performance } from "node:perf_hooks";

export interface ServerTimings {
  /** Body fully received -> frame with the first text delta written (streams), ms. */
  firstDeltaMs: number[];
  /** Body fully received -> frame with the last text delta written (streams), ms. */
  lastDeltaMs: number[];
  /** Body fully received -> whole response written (non-streamed), ms. */
  wholeMs: number[];
}

const bodyDone = new WeakMap<object, number>();
interface Track {
  writes: number[];
  stream: boolean;
  converse: boolean;
}
const tracks = new WeakMap<object, Track>();
let timings: ServerTimings = { firstDeltaMs: [], lastDeltaMs: [], wholeMs: [] };

export function takeServerTimings(): ServerTimings {
  const out = timings;
  timings = { firstDeltaMs: [], lastDeltaMs: [], wholeMs: [] };
  return out;
}

function patchRequest(proto: { on: (...args: never[]) => unknown }): void {
  const original = proto.on as (this: object, event: string, listener: (...a: unknown[]) => void) => unknown;
  (proto as { on: unknown }).on = function on(this: object, event: string, listener: (...a: unknown[]) => void) {
    if (event !== "end") return original.call(this, event, listener);
    return original.call(this, event, (...args: unknown[]) => {
      bodyDone.set(this, performance.now());
      listener(...args);
    });
  };
}

function headerValue(headers: unknown, name: string): string {
  if (!headers || typeof headers !== "object") return "";
  for (const [k, v] of Object.entries(headers as Record<string, unknown>)) if (k.toLowerCase() === name) return String(v);
  return "";
}

function patchResponse(proto: object): void {
  const p = proto as Record<string, (...a: unknown[]) => unknown>;
  const writeHead = p.writeHead!;
  const write = p.write!;
  const end = p.end!;
  p.writeHead = function (this: object, ...args: unknown[]) {
    const headers = args.find((a) => a && typeof a === "object");
    const stream = headerValue(headers, "content-type") === "application/vnd.amazon.eventstream";
    tracks.set(this, { writes: [], stream, converse: stream && headerValue(headers, "x-amzn-bedrock-content-type") === "" });
    return writeHead.apply(this, args);
  };
  p.write = function (this: object, ...args: unknown[]) {
    tracks.get(this)?.writes.push(performance.now());
    return write.apply(this, args);
  };
  p.end = function (this: object, ...args: unknown[]) {
    const now = performance.now();
    const track = tracks.get(this);
    const req = (this as { req?: object }).req;
    const arrived = req ? bodyDone.get(req) : undefined;
    if (track && arrived !== undefined) record(track, arrived, now, typeof args[0] === "object" || typeof args[0] === "string");
    return end.apply(this, args);
  };
}

function record(track: Track, arrived: number, now: number, endHasData: boolean): void {
  if (!track.stream) {
    timings.wholeMs.push(now - arrived);
    return;
  }
  const writes = endHasData ? [...track.writes, now] : track.writes;
  const firstIndex = track.converse ? 1 : 2;
  if (writes.length >= firstIndex + 4) {
    timings.firstDeltaMs.push(writes[firstIndex]! - arrived);
    timings.lastDeltaMs.push(writes[writes.length - 4]! - arrived);
  }
}

export function installServerTimestamps(): void {
  patchRequest(http.IncomingMessage.prototype as never);
  patchRequest(http2.Http2ServerRequest.prototype as never);
  patchResponse(http.ServerResponse.prototype);
  patchResponse(http2.Http2ServerResponse.prototype);
}
